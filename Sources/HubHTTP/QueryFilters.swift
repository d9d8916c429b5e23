import HubCore
import HubStore

/// A bad query argument: answered 400 with this message.
struct BadRequest: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Reads the filter arguments the event and entity endpoints share.
enum QueryFilters {
    /// Arguments every listing accepts besides its own.
    static let common: Set<String> = ["access_token", "limit", "cursor"]
    /// The filter arguments.
    static let filterNames: Set<String> = ["type", "entity", "route", "from", "to", "bbox"]

    /// Refuses arguments the endpoint does not know, so a misspelt filter never silently matches everything.
    static func rejectUnknown(_ request: HTTPRequest, allowed: Set<String>) throws {
        if let unknown = request.query.first(where: { !allowed.contains($0.name) }) {
            throw BadRequest("unknown query argument \"\(unknown.name)\"; known: \(allowed.subtracting(["access_token"]).sorted().joined(separator: ", "))")
        }
    }

    /// Values of a repeatable, comma-separable argument.
    static func list(_ request: HTTPRequest, _ name: String) -> [String] {
        request.queryValues(name).flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
    }

    /// The filter from `type`, `entity`, `route`, `from`, `to`, `bbox`.
    static func filter(_ request: HTTPRequest) throws -> EventFilter {
        var filter = EventFilter()
        filter.types = list(request, "type")
        filter.routes = list(request, "route")
        if let entity = request.queryValue("entity") {
            guard !entity.isEmpty else { throw BadRequest("entity must not be empty") }
            filter.entity = entity
        }
        filter.from = try time(request, "from")
        filter.to = try time(request, "to")
        if let from = filter.from, let to = filter.to, from >= to {
            throw BadRequest("from (\(from.iso8601)) must be earlier than to (\(to.iso8601))")
        }
        if let text = request.queryValue("bbox") {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, parts.allSatisfy({ $0 != nil && $0!.isFinite }),
                  let box = BoundingBox(minLongitude: parts[0]!, minLatitude: parts[1]!, maxLongitude: parts[2]!, maxLatitude: parts[3]!)
            else {
                throw BadRequest("bbox must be minLon,minLat,maxLon,maxLat in degrees (west <= east, south <= north), found \"\(text)\"")
            }
            filter.boundingBox = box
        }
        return filter
    }

    private static func time(_ request: HTTPRequest, _ name: String) throws -> Timestamp? {
        guard let text = request.queryValue(name) else { return nil }
        guard let time = Timestamp(iso8601: text) else {
            throw BadRequest("\(name) must be an ISO 8601 time such as 2024-05-01T12:00:00Z, found \"\(text)\"")
        }
        return time
    }

    /// The page size: `limit`, default 100, at most `StoreLimits.maximumPageSize`.
    static func limit(_ request: HTTPRequest, default fallback: Int = 100) throws -> Int {
        guard let text = request.queryValue("limit") else { return fallback }
        guard let limit = Int(text), (1...StoreLimits.maximumPageSize).contains(limit) else {
            throw BadRequest("limit must be a whole number from 1 to \(StoreLimits.maximumPageSize), found \"\(text)\"")
        }
        return limit
    }

    /// A numeric cursor from a previous page's `nextCursor`.
    static func sequenceCursor(_ request: HTTPRequest) throws -> Int64? {
        guard let text = request.queryValue("cursor") else { return nil }
        guard let cursor = Int64(text), cursor > 0 else {
            throw BadRequest("cursor must be the nextCursor of a previous page, found \"\(text)\"")
        }
        return cursor
    }
}
