import HubCore

/// Rewrites a recorded JSON feed (GBFS, SIRI-Lite, Waze) as if it were published now: every date-time
/// shifted by the same amount (ISO 8601 text, and the epoch numbers GBFS and Waze use under known
/// names), every position moved by the same offset, so that a recording made elsewhere lands in the
/// demo territory with its shape intact.
struct JSONFeedReplay {
    /// Epoch-second numbers (GBFS 2.x).
    static let epochSecondKeys: Set<String> = ["last_updated", "last_reported"]
    /// Epoch-millisecond numbers (Waze for Cities).
    static let epochMillisecondKeys: Set<String> = ["startTimeMillis", "endTimeMillis", "pubMillis", "detectionDateMillis"]

    /// How far every time moves, in microseconds.
    var shift: Int64
    /// How far every position moves.
    var offset: GeoOffset
    /// A further change to the time under a key (after the shift), for predictions that vary.
    var adjust: (_ key: String, _ time: Timestamp) -> Timestamp = { $1 }

    /// `value` rewritten; `key` is the member name it was found under.
    func rewrite(_ value: JSONValue, key: String = "") -> JSONValue {
        switch value {
        case .object(var members):
            for (name, member) in members { members[name] = rewrite(member, key: name) }
            for (latitude, longitude) in [("lat", "lon"), ("y", "x")] {
                if case .number(let lat)? = members[latitude], case .number(let lon)? = members[longitude] {
                    members[latitude] = .number(lat + offset.latitude)
                    members[longitude] = .number(lon + offset.longitude)
                }
            }
            return .object(members)
        case .array(let items):
            return .array(items.map { rewrite($0, key: key) })
        case .number(let number) where Self.epochSecondKeys.contains(key):
            return .number((number + Double(shift / 1_000_000)).rounded())
        case .number(let number) where Self.epochMillisecondKeys.contains(key):
            return .number((number + Double(shift / 1000)).rounded())
        case .string(let text):
            guard text.count >= 20, let time = Timestamp(iso8601: text) else { return value }
            return .string(adjust(key, time.adding(microseconds: shift)).iso8601)
        default:
            return value
        }
    }

    /// Every position in `value`: `lat`/`lon` (GBFS) and `y`/`x` (Waze) members of one object.
    static func positions(in value: JSONValue) -> [(latitude: Double, longitude: Double)] {
        switch value {
        case .object(let members):
            var found = members.values.flatMap(positions(in:))
            for (latitude, longitude) in [("lat", "lon"), ("y", "x")] {
                if let lat = members[latitude]?.numberValue, let lon = members[longitude]?.numberValue { found.append((lat, lon)) }
            }
            return found
        case .array(let items):
            return items.flatMap(positions(in:))
        default:
            return []
        }
    }
}

/// A move in degrees, the same for every position of a feed.
struct GeoOffset: Sendable {
    var latitude: Double
    var longitude: Double

    static let zero = GeoOffset(latitude: 0, longitude: 0)

    /// The offset that brings the middle of `positions` to `target`.
    static func centring(_ positions: [(latitude: Double, longitude: Double)], on target: (latitude: Double, longitude: Double)) -> GeoOffset {
        guard !positions.isEmpty else { return .zero }
        let latitudes = positions.map(\.latitude), longitudes = positions.map(\.longitude)
        return GeoOffset(latitude: target.latitude - (latitudes.min()! + latitudes.max()!) / 2,
                         longitude: target.longitude - (longitudes.min()! + longitudes.max()!) / 2)
    }
}
