/// The normalized record every connector produces, close to an NGSI-LD entity observation.
public struct Event: Sendable, Hashable {
    /// Deterministic: the same observation always gets the same id, so re-delivery is harmless.
    public var id: EventID
    /// The kind of observation (`AirQualityObserved`, `VehiclePosition`, ...).
    public var type: String
    /// The entity the event is about, as a URN (`urn:ngsi-ld:AirQualityObserved:station-12`).
    public var entity: String
    /// When the observation was made, by the source's clock.
    public var observedAt: Timestamp
    /// When the hub received the message that carried it.
    public var receivedAt: Timestamp
    /// The name of the route it came through.
    public var route: String
    /// Where the observation was made, when known.
    public var location: GeoPoint?
    /// The observed values by attribute name.
    public var attributes: [String: Value] {
        didSet { attributesJSON = Self.render(attributes) }
    }
    /// The attributes as stored and exported: a JSON object of `Value.storedForm`s, keys sorted.
    ///
    /// Rendered when the attributes are set, that is on the route's own thread where the connector
    /// builds the event, so that the store's single writer thread only writes.
    public private(set) var attributesJSON: String

    /// Creates an event whose id is derived from its type, entity and observation time
    /// (see `EventID.make`); `key` separates several events a message yields for one entity and time.
    public init(
        type: String, entity: String, observedAt: Timestamp, receivedAt: Timestamp, route: String,
        location: GeoPoint? = nil, attributes: [String: Value], key: String = ""
    ) {
        self.init(id: EventID.make(type: type, entity: entity, observedAt: observedAt, key: key), type: type, entity: entity,
                  observedAt: observedAt, receivedAt: receivedAt, route: route, location: location, attributes: attributes,
                  text: Self.render(attributes))
    }

    /// Creates an event as the initializer above does, from attributes added in name order with
    /// their text already written (`EventAttributes`): nothing is sorted or rendered again.
    public init(
        type: String, entity: String, observedAt: Timestamp, receivedAt: Timestamp, route: String,
        location: GeoPoint? = nil, attributes: consuming EventAttributes, key: String = ""
    ) {
        let (values, text) = attributes.finish()
        assert(text == Self.render(values), "attributes not added in name order, or nested JSON written otherwise than its value: \(text)")
        self.init(id: EventID.make(type: type, entity: entity, observedAt: observedAt, key: key), type: type, entity: entity,
                  observedAt: observedAt, receivedAt: receivedAt, route: route, location: location, attributes: values, text: text)
    }

    /// Creates an event with an id given by the caller (a store reading an event back).
    public init(
        id: EventID, type: String, entity: String, observedAt: Timestamp, receivedAt: Timestamp, route: String,
        location: GeoPoint?, attributes: [String: Value]
    ) {
        self.init(id: id, type: type, entity: entity, observedAt: observedAt, receivedAt: receivedAt, route: route,
                  location: location, attributes: attributes, text: Self.render(attributes))
    }

    private init(
        id: EventID, type: String, entity: String, observedAt: Timestamp, receivedAt: Timestamp, route: String,
        location: GeoPoint?, attributes: [String: Value], text: String
    ) {
        self.id = id
        self.type = type
        self.entity = entity
        self.observedAt = observedAt
        self.receivedAt = receivedAt
        self.route = route
        self.location = location
        self.attributes = attributes
        self.attributesJSON = text
    }

    /// The stored text of `attributes`: a JSON object of their `Value.storedForm`s, keys sorted
    /// (what `attributesJSON` holds).
    public static func render(_ attributes: [String: Value]) -> String {
        // About what a reading's attribute takes; a longer list grows the buffer a few times at most.
        var out = JSONOutput(reservingCapacity: 48 * attributes.count + 2)
        out.appendObject(attributes) { value, out in value.writeStoredForm(to: &out) }
        return out.text
    }

    /// The event as one line of JSON (ISO 8601 times, GeoJSON location), for `hub decode` and exports.
    public var jsonLine: String {
        var members: [String: JSONValue] = [
            "id": .string(id.rawValue),
            "type": .string(type),
            "entity": .string(entity),
            "observedAt": .string(observedAt.iso8601),
            "receivedAt": .string(receivedAt.iso8601),
            "route": .string(route),
            "attributes": .object(attributes.mapValues(\.storedForm)),
        ]
        if let location { members["location"] = location.geoJSON }
        return JSONValue.object(members).jsonText
    }
}

/// An event's identifier: 32 lowercase hex digits, the observation time first.
///
/// The first 16 digits are the observation time (microseconds, offset so that order is kept for
/// times before 1970), the last 16 a hash of what was observed. Ids of observations made in time
/// order therefore sort in that order, which keeps the store's unique index appending instead of
/// touching a random page per event.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The identifier as text.
    public var rawValue: String

    /// Wraps an identifier read back from a store.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The identifier of an observation: its time, then the first 64 bits of SHA-256 over its type,
    /// entity, observation time and key, each length-prefixed so that no two inputs share an encoding.
    public static func make(type: String, entity: String, observedAt: Timestamp, key: String = "") -> EventID {
        // The parts are laid out in one buffer on the stack and hashed in one pass, and the digits
        // are hexed into the id's own storage: this runs for every event.
        var type = type, entity = entity, key = key
        let hash = type.withUTF8 { type in
            entity.withUTF8 { entity in
                key.withUTF8 { key in
                    DecimalText.withDigits(of: observedAt.microsecondsSinceEpoch) { time in
                        // Each part's length takes at most 19 digits and a colon.
                        let capacity = type.count + entity.count + time.count + key.count + 4 * 20
                        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                            var count = 0
                            func append(_ part: UnsafeBufferPointer<UInt8>) {
                                DecimalText.withDigits(of: Int64(part.count), suffix: UInt8(ascii: ":")) { prefix in
                                    _ = UnsafeMutableBufferPointer(rebasing: buffer[count...]).initialize(from: prefix)
                                    count += prefix.count
                                }
                                _ = UnsafeMutableBufferPointer(rebasing: buffer[count...]).initialize(from: part)
                                count += part.count
                            }
                            append(type)
                            append(entity)
                            append(time)
                            append(key)
                            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256.byteCount) { digest in
                                SHA256.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[..<count])), into: UnsafeMutableRawBufferPointer(digest))
                                return digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                            }
                        }
                    }
                }
            }
        }
        let time = UInt64(bitPattern: observedAt.microsecondsSinceEpoch) ^ (1 << 63)
        let digits: StaticString = "0123456789abcdef"
        let rawValue = String(unsafeUninitializedCapacity: 32) { out in
            for index in 0..<16 {
                let byte = UInt8(truncatingIfNeeded: index < 8 ? time >> (56 - 8 * UInt64(index)) : hash >> (120 - 8 * UInt64(index)))
                out[2 * index] = digits.utf8Start[Int(byte >> 4)]
                out[2 * index + 1] = digits.utf8Start[Int(byte & 0x0F)]
            }
            return 32
        }
        return EventID(rawValue: rawValue)
    }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
