import Foundation
import HubCore

/// The query arguments of the NGSI-LD read operations (ETSI GS CIM 009 clause 6.4.3.2 and 6.18.3.2),
/// read and checked once: entity selection, projection, representation, paging and time.
struct NGSILDParameters: Sendable {
    /// Entity types, any of them (`type=A,B` or `A|B`), compacted.
    var types: [String] = []
    /// Entity ids, any of them.
    var ids: [String] = []
    /// A regular expression every id must match.
    var idPattern: NGSILDPattern?
    /// The `q` filter.
    var query: NGSILDQuery?
    /// Attributes to keep (and, on queries, of which an entity must have one), compacted.
    var attributes: Set<String>?
    /// The geo-query.
    var geoQuery: NGSILDGeoQuery?
    /// Page size and start; `count` asks for `NGSILD-Results-Count`.
    var limit = 20
    var offset = 0
    var count = false
    /// `options=keyValues` (or `format=simplified`), `sysAttrs`, `temporalValues`.
    var keyValues = false
    var systemAttributes = false
    var temporalValues = false
    /// `timerel` with `timeAt` and `endTimeAt`, as an observation-time window.
    var from: Timestamp?
    var to: Timestamp?
    /// `lastN`: the last instances of each attribute.
    var lastN: Int?

    /// The largest page served at once, for entities and for the instances of one entity.
    static let maximumLimit = 1000

    /// Arguments of the entity query.
    static let entityQuery: Set<String> = [
        "type", "id", "idPattern", "q", "attrs", "georel", "geometry", "coordinates", "geoproperty",
        "limit", "offset", "count", "options", "format", "local", "access_token",
    ]
    /// Arguments of retrieving one entity.
    static let entityRetrieval: Set<String> = ["type", "attrs", "options", "format", "local", "access_token"]
    /// Arguments of the temporal query (`timerel`, `timeAt`, `endTimeAt`, `timeproperty`, `lastN`).
    static let temporalQuery = entityQuery.union(["timerel", "timeAt", "endTimeAt", "timeproperty", "lastN", "pageSize", "pageAnchor"])
    /// Arguments of retrieving one entity's temporal evolution.
    static let temporalRetrieval = entityRetrieval.union(["timerel", "timeAt", "endTimeAt", "timeproperty", "lastN", "pageSize", "pageAnchor"])
    /// Arguments the specification defines that this view does not implement.
    static let unsupported: Set<String> = [
        "csf", "scopeQ", "lang", "pick", "omit", "datasetId", "expandValues", "collect", "join", "joinLevel",
        "containedBy", "entityMap", "orderBy", "aggrMethods", "aggrPeriodDuration",
    ]

    /// Reads `request`'s arguments, accepting those in `allowed`.
    ///
    /// - Throws: `NGSILDProblem`: BadRequestData for an unknown or malformed argument,
    ///   OperationNotSupported for one of the specification's that the view does not implement.
    init(_ request: HTTPRequest, allowed: Set<String>, context: NGSILDContext, defaultLimit: Int = 20) throws {
        for argument in request.query where !allowed.contains(argument.name) {
            if Self.unsupported.contains(argument.name) {
                throw NGSILDProblem(.operationNotSupported, "the query argument \(argument.name) is not supported by this read-only view")
            }
            throw NGSILDProblem.badRequest("unknown query argument \"\(argument.name)\"; known: \(allowed.subtracting(["access_token", "local"]).sorted().joined(separator: ", "))")
        }
        func list(_ name: String, separators: String = ",") -> [String] {
            request.queryValues(name).flatMap { $0.split(whereSeparator: { separators.contains($0) }) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        types = list("type", separators: ",|").map(context.compact)
        ids = list("id")
        if let pattern = request.queryValue("idPattern") {
            guard let compiled = NGSILDPattern(pattern) else {
                throw NGSILDProblem.badRequest("idPattern must be a POSIX extended regular expression of 1 to \(NGSILDPattern.maximumLength) characters without back references, found \"\(pattern.prefix(300))\"")
            }
            idPattern = compiled
        }
        if let q = request.queryValue("q") { query = try NGSILDQuery(parsing: q, compact: context.compact) }
        if request.queryValue("attrs") != nil {
            let names = list("attrs").map(context.compact)
            guard !names.isEmpty else { throw NGSILDProblem.badRequest("attrs must name at least one attribute") }
            attributes = Set(names)
        }
        geoQuery = try NGSILDGeoQuery(georel: request.queryValue("georel"), geometry: request.queryValue("geometry"),
                                      coordinates: request.queryValue("coordinates"), geoproperty: request.queryValue("geoproperty").map(context.compact))
        for option in list("options") + list("format") {
            switch option {
            case "keyValues", "simplified": keyValues = true
            case "normalized": keyValues = false
            case "sysAttrs": systemAttributes = true
            case "temporalValues": temporalValues = true
            case "count": count = true
            case "concise", "aggregatedValues":
                throw NGSILDProblem(.operationNotSupported, "the \(option) representation is not supported by this read-only view")
            default:
                throw NGSILDProblem.badRequest("unknown option \"\(option)\"; known: keyValues, simplified, normalized, sysAttrs, temporalValues")
            }
        }
        if let text = request.queryValue("count") {
            guard let flag = Bool(text) else { throw NGSILDProblem.badRequest("count must be true or false, found \"\(text)\"") }
            count = count || flag
        }
        limit = defaultLimit
        if let text = request.queryValue("limit") ?? request.queryValue("pageSize") {
            guard let value = Int(text), value >= 0 else { throw NGSILDProblem.badRequest("limit must be a whole number, found \"\(text)\"") }
            guard value <= Self.maximumLimit else {
                throw NGSILDProblem(.tooManyResults, "limit is at most \(Self.maximumLimit); page with offset")
            }
            guard value > 0 || count else { throw NGSILDProblem.badRequest("limit=0 is only allowed with count=true") }
            limit = value
        }
        if let text = request.queryValue("offset") {
            guard let value = Int(text), value >= 0 else { throw NGSILDProblem.badRequest("offset must be a whole number, found \"\(text)\"") }
            offset = value
        }
        if let text = request.queryValue("pageAnchor") {
            throw NGSILDProblem.badRequest("pageAnchor \"\(text.prefix(100))\" was not given by this server; page with limit and offset")
        }
        try readTime(request)
        if let text = request.queryValue("lastN") {
            guard let value = Int(text), value > 0 else { throw NGSILDProblem.badRequest("lastN must be a whole number above 0, found \"\(text)\"") }
            lastN = min(value, Self.maximumLimit)
        }
    }

    private mutating func readTime(_ request: HTTPRequest) throws {
        switch request.queryValue("timeproperty") {
        case nil, "observedAt": break
        case let property? where ["createdAt", "modifiedAt", "deletedAt"].contains(property):
            throw NGSILDProblem(.operationNotSupported, "timeproperty \(property) is not supported: the hub keeps each instance's observedAt")
        case let property?:
            throw NGSILDProblem.badRequest("timeproperty must be observedAt, createdAt, modifiedAt or deletedAt, found \"\(property)\"")
        }
        func time(_ name: String) throws -> Timestamp? {
            guard let text = request.queryValue(name) else { return nil }
            guard let time = Timestamp(iso8601: text) else {
                throw NGSILDProblem.badRequest("\(name) must be a DateTime such as 2026-11-22T08:00:00Z, found \"\(text)\"")
            }
            return time
        }
        let timeAt = try time("timeAt")
        let endTimeAt = try time("endTimeAt")
        guard let relation = request.queryValue("timerel") else {
            guard timeAt == nil, endTimeAt == nil else { throw NGSILDProblem.badRequest("timeAt and endTimeAt need timerel") }
            return
        }
        guard let timeAt else { throw NGSILDProblem.badRequest("timerel needs timeAt") }
        switch relation {
        case "before": to = timeAt
        case "after": from = timeAt.adding(microseconds: 1)
        case "between":
            guard let endTimeAt, endTimeAt > timeAt else {
                throw NGSILDProblem.badRequest("timerel=between needs an endTimeAt later than timeAt")
            }
            from = timeAt
            to = endTimeAt
        default:
            throw NGSILDProblem.badRequest("timerel must be before, after or between, found \"\(relation)\"")
        }
    }

    /// Whether the entity query selects anything: type, id, idPattern, q, attrs or a geo-query.
    var selectsEntities: Bool {
        !types.isEmpty || !ids.isEmpty || idPattern != nil || query != nil || attributes != nil || geoQuery != nil
    }

    /// Whether selecting needs the entities read in Swift rather than only counted and paged by SQL.
    var needsEvaluation: Bool {
        ids.count > 1 || idPattern != nil || query != nil || attributes != nil || geoQuery != nil
    }

    /// Whether an entity in normalized form (at `location`) passes the filters evaluated in Swift.
    func admits(_ entity: [String: JSONValue], id: String, location: GeoPoint?) -> Bool {
        if ids.count > 1, !ids.contains(id) { return false }
        if let idPattern, !idPattern.matches(id) { return false }
        if let attributes, NGSILDEntity.attributeNames(entity).isDisjoint(with: attributes) { return false }
        if let query, !query.matches(entity) { return false }
        if let geoQuery {
            guard geoQuery.property == "location", geoQuery.matches(location) else { return false }
        }
        return true
    }

    /// An entity as the request asks for it: projected on `attrs`, simplified for keyValues.
    func represent(_ entity: [String: JSONValue]) -> JSONValue {
        var members = entity
        if let attributes { members = NGSILDEntity.projected(members, to: attributes) }
        return .object(keyValues ? NGSILDEntity.keyValues(members) : members)
    }
}
