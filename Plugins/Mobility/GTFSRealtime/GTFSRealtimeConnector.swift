import Foundation
import HubCore

/// Turns a GTFS-Realtime `FeedMessage` (protobuf, decoded from the wire format by hand) into
/// `VehiclePosition`, `TripUpdate` and `ServiceAlert` events; see `GTFSRealtime/README.md`.
///
/// It remembers a hash of each entity's bytes by entity id, so an entity that did not change since
/// the last fetch yields nothing. A FULL_DATASET feed replaces what it remembers; a DIFFERENTIAL
/// feed updates it, and an entity marked `is_deleted` yields a `FeedEntityDeleted` event.
/// Validator findings are kept on each event as `warnings` and counted per fetch in a
/// `FeedQuality` event, emitted when the counts differ from the previous fetch's.
public struct GTFSRealtimeConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "mobility.gtfs-rt"
    /// What the connector reads and yields, for listings.
    public static let summary = "GTFS-Realtime protobuf FeedMessage -> VehiclePosition, TripUpdate, ServiceAlert events"

    private let agency: String?
    /// `urn:ngsi-ld:Vehicle:` and `urn:ngsi-ld:Trip:`, with the agency: the entity URNs of the
    /// events made for every entity, made once.
    private let vehicleURNPrefix: String, tripURNPrefix: String
    /// The content hash of each entity seen, by entity id.
    private var lastHashes: [String: UInt64] = [:]
    private var lastWarningCounts: [String: Int]?
    /// Every warning counted since the route started, by rule id.
    public private(set) var warningTotals: [String: Int] = [:]

    /// Builds the connector; `agency` (optional) goes into entity URNs so that two feeds' vehicle
    /// ids cannot collide: `urn:ngsi-ld:Vehicle:{agency}:{vehicle id}`.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["agency"])
        agency = try settings.optionalString("agency")
        if let agency, agency.isEmpty || agency.contains(where: { $0 == ":" || $0.isWhitespace }) {
            throw SettingsError(path: settings.path(of: "agency"), message: "must be a non-empty name without spaces or \":\"")
        }
        vehicleURNPrefix = Self.urnPrefix("Vehicle", agency: agency)
        tripURNPrefix = Self.urnPrefix("Trip", agency: agency)
    }

    /// Decodes one fetched feed.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let feed: GTFSRealtimeFeed
        do {
            feed = try envelope.payload.withUnsafeBytes { (bytes) throws(ProtobufError) in try GTFSRealtimeFeed(bytes: bytes) }
        } catch {
            throw Self.malformed(error, envelope.payload)
        }
        let header = feed.header
        let headerTime = header.timestamp.flatMap { $0 > 0 ? $0 : nil }
        let differential = header.incrementality == 1
        var events: [Event] = []
        events.reserveCapacity(feed.entityCount + 1)
        var counts: [String: Int] = [:]
        var seen: [String: UInt64] = differential ? lastHashes : [:]
        seen.reserveCapacity(feed.entityCount)
        let feedTime = Self.time(headerTime) ?? envelope.receivedAt

        do {
            try envelope.payload.withUnsafeBytes { bytes in
                var entities = GTFSRealtimeFeed.Entities(in: bytes)
                while let entity = try entities.next() {
                    let id = entity.id ?? ""
                    if entity.isDeleted {
                        if seen.removeValue(forKey: id) != nil || !differential {
                            events.append(Event(type: "FeedEntityDeleted", entity: urn("FeedEntity", id), observedAt: feedTime,
                                                receivedAt: envelope.receivedAt, route: envelope.route,
                                                attributes: ["entityId": .text(id)]))
                        }
                        continue
                    }
                    let unchanged = lastHashes[id] == entity.contentHash
                    seen[id] = entity.contentHash
                    // The content goes into the event id: a changed entity at the same time is a new event.
                    let key = Self.contentKey(id, entity.contentHash)
                    if let vehicle = entity.vehicle {
                        let found = GTFSRealtimeQuality.check(vehicle: vehicle, header: headerTime)
                        for warning in found { counts[warning.rule, default: 0] += 1 }
                        if !unchanged { events.append(vehiclePosition(vehicle, entityID: id, feedTime: feedTime, warnings: found, envelope, key: key)) }
                    }
                    if let tripUpdate = entity.tripUpdate {
                        let found = GTFSRealtimeQuality.check(tripUpdate: tripUpdate, header: headerTime)
                        for warning in found { counts[warning.rule, default: 0] += 1 }
                        if !unchanged { events.append(self.tripUpdate(tripUpdate, entityID: id, feedTime: feedTime, warnings: found, envelope, key: key)) }
                    }
                    if let alert = entity.alert {
                        let found = GTFSRealtimeQuality.check(alert: alert, entityID: id)
                        for warning in found { counts[warning.rule, default: 0] += 1 }
                        if !unchanged { events.append(serviceAlert(alert, entityID: id, feedTime: feedTime, warnings: found, envelope, key: key)) }
                    }
                }
            }
        } catch {
            throw Self.malformed(error, envelope.payload)
        }
        for warning in GTFSRealtimeQuality.check(header: header) { counts[warning.rule, default: 0] += 1 }
        lastHashes = seen
        for (rule, count) in counts { warningTotals[rule, default: 0] += count }
        if counts != (lastWarningCounts ?? [:]) || lastWarningCounts == nil && !counts.isEmpty {
            events.append(Event(
                type: "FeedQuality", entity: urn("GTFSRealtimeFeed", agency ?? envelope.route), observedAt: feedTime,
                receivedAt: envelope.receivedAt, route: envelope.route,
                attributes: [
                    "warnings": .json(.object(counts.mapValues { .number(Double($0)) })),
                    "entities": .number(Double(feed.entityCount), unit: nil),
                    "incrementality": .text(GTFSRealtimeNames.name(header.incrementality, in: GTFSRealtimeNames.incrementality)),
                ],
                key: counts.keys.sorted().map { "\($0)=\(counts[$0]!)" }.joined(separator: ",")))
        }
        lastWarningCounts = counts
        return events
    }

    /// Decodes a feed's wire format without making events and returns how many entities it holds
    /// (what `hub bench` compares with the official bindings' parse); throws as `decode` does.
    public static func entityCount(of payload: Data) throws -> Int {
        do {
            return try payload.withUnsafeBytes { (bytes) throws(ProtobufError) in
                _ = try GTFSRealtimeFeed(bytes: bytes)
                var entities = GTFSRealtimeFeed.Entities(in: bytes), decoded = 0
                while try entities.next() != nil { decoded += 1 }
                return decoded
            }
        } catch {
            throw malformed(error, payload)
        }
    }

    private static func malformed(_ error: any Error, _ payload: Data) -> ConnectorError {
        ConnectorError(.malformedPayload, "not a GTFS-Realtime FeedMessage: \(error) (of \(payload.count) bytes)")
    }

    // MARK: - Events

    private func urn(_ type: String, _ id: String) -> String { Self.urnPrefix(type, agency: agency) + id }

    private static func urnPrefix(_ type: String, agency: String?) -> String {
        if let agency { "urn:ngsi-ld:\(type):\(agency):" } else { "urn:ngsi-ld:\(type):" }
    }

    /// `id#hash`, the hash in lowercase hexadecimal: what puts an entity's content into its
    /// events' ids. Made in one allocation, as it is for every entity of every feed.
    static func contentKey(_ id: String, _ hash: UInt64) -> String {
        let digits = max(1, (64 - hash.leadingZeroBitCount + 3) / 4)
        var id = id
        return id.withUTF8 { idBytes in
            String(unsafeUninitializedCapacity: idBytes.count + 1 + digits) { out in
                _ = out.initialize(from: idBytes)
                out[idBytes.count] = UInt8(ascii: "#")
                for index in 0..<digits {
                    let nibble = UInt8(truncatingIfNeeded: hash >> UInt64(4 * (digits - 1 - index))) & 0x0F
                    out[idBytes.count + 1 + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                }
                return idBytes.count + 1 + digits
            }
        }
    }

    private static func time(_ seconds: UInt64?) -> Timestamp? {
        guard let seconds, seconds > 0, GTFSRealtimeWarning.posixRange.contains(seconds) else { return nil }
        return Timestamp(microsecondsSinceEpoch: Int64(seconds) * 1_000_000)
    }

    private static func text(_ value: String?) -> Value? { value.map(Value.text) }

    private static func number(_ value: (some BinaryInteger)?, unit: String? = nil) -> Value? {
        value.map { .number(Double($0), unit: unit) }
    }

    private static func name(_ value: UInt64?, in names: [String]) -> Value? {
        value.map { .text(GTFSRealtimeNames.name($0, in: names)) }
    }

    private static func warnings(_ warnings: [GTFSRealtimeWarning]) -> Value? {
        warnings.isEmpty ? nil : .json(.array(warnings.map { .string($0.text) }))
    }

    // The attributes below are added in name order (`EventAttributes`), written as they are added.

    private func vehiclePosition(_ vehicle: GTFSRealtimeFeed.VehiclePosition, entityID: String, feedTime: Timestamp,
                                 warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        let trip = vehicle.trip, descriptor = vehicle.vehicle, position = vehicle.position
        var attributes = EventAttributes(count: 20, textCapacity: 640)
        attributes.append("bearing", position?.bearing.map { .number(Double($0), unit: "DD") })
        attributes.append("congestion", Self.name(vehicle.congestionLevel, in: GTFSRealtimeNames.congestionLevel))
        attributes.append("currentStopSequence", Self.number(vehicle.currentStopSequence))
        attributes.append("directionId", Self.number(trip?.directionID))
        attributes.append("entityId", .text(entityID))
        attributes.append("licensePlate", Self.text(descriptor?.licensePlate))
        attributes.append("occupancy", Self.name(vehicle.occupancyStatus, in: GTFSRealtimeNames.occupancyStatus))
        attributes.append("occupancyPercentage", Self.number(vehicle.occupancyPercentage, unit: "P1"))
        attributes.append("odometer", position?.odometer.map { .number($0, unit: "MTR") })
        attributes.append("routeId", Self.text(trip?.routeID))
        attributes.append("speed", position?.speed.map { .number(Double($0), unit: "MTS") })
        attributes.append("startDate", Self.text(trip?.startDate))
        attributes.append("startTime", Self.text(trip?.startTime))
        attributes.append("status", Self.name(vehicle.currentStatus, in: GTFSRealtimeNames.vehicleStopStatus))
        attributes.append("stopId", Self.text(vehicle.stopID))
        attributes.append("tripId", Self.text(trip?.tripID))
        attributes.append("tripScheduleRelationship", Self.name(trip?.scheduleRelationship, in: GTFSRealtimeNames.tripScheduleRelationship))
        attributes.append("vehicleId", Self.text(descriptor?.id))
        attributes.append("vehicleLabel", Self.text(descriptor?.label))
        attributes.append("warnings", Self.warnings(warnings))
        var location: GeoPoint?
        if let latitude = position?.latitude, let longitude = position?.longitude {
            location = GeoPoint(latitude: Double(latitude), longitude: Double(longitude))
        }
        return Event(type: "VehiclePosition", entity: vehicleURNPrefix + (descriptor?.id ?? entityID),
                     observedAt: Self.time(vehicle.timestamp) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, location: location, attributes: attributes, key: key)
    }

    private func tripUpdate(_ update: GTFSRealtimeFeed.TripUpdate, entityID: String, feedTime: Timestamp,
                            warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        let trip = update.trip
        var attributes = EventAttributes(count: 12, textCapacity: 256 + 112 * update.stopTimeUpdates.count)
        attributes.append("delay", Self.number(update.delay, unit: "SEC"))
        attributes.append("directionId", Self.number(trip?.directionID))
        attributes.append("entityId", .text(entityID))
        attributes.append("routeId", Self.text(trip?.routeID))
        attributes.append("startDate", Self.text(trip?.startDate))
        attributes.append("startTime", Self.text(trip?.startTime))
        attributes.appendJSON("stopTimeUpdates") { out in
            var stops: [JSONValue] = []
            stops.reserveCapacity(update.stopTimeUpdates.count)
            out.append("[")
            for stop in update.stopTimeUpdates {
                if !stops.isEmpty { out.append(",") }
                stops.append(Self.write(stop, to: &out))
            }
            out.append("]")
            return .array(stops)
        }
        attributes.append("tripId", Self.text(trip?.tripID))
        attributes.append("tripScheduleRelationship", Self.name(trip?.scheduleRelationship, in: GTFSRealtimeNames.tripScheduleRelationship))
        attributes.append("vehicleId", Self.text(update.vehicle?.id))
        attributes.append("warnings", Self.warnings(warnings))
        return Event(type: "TripUpdate", entity: tripURNPrefix + (trip?.tripID ?? entityID),
                     observedAt: Self.time(update.timestamp) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, attributes: attributes, key: key)
    }

    private static let stopShapes = JSONObjectShapes(names: ["arrival", "departure", "scheduleRelationship", "stopId", "stopSequence"])
    private static let stopTimeShapes = JSONObjectShapes(names: ["delay", "time", "uncertainty"])

    /// Writes one stop time update as its JSON object, members in name order, and returns it as a value.
    private static func write(_ stop: GTFSRealtimeFeed.StopTimeUpdate, to out: inout JSONOutput) -> JSONValue {
        let mask = (stop.arrival == nil ? 0 : 1) | (stop.departure == nil ? 0 : 2) | (stop.scheduleRelationship == nil ? 0 : 4)
            | (stop.stopID == nil ? 0 : 8) | (stop.stopSequence == nil ? 0 : 16)
        var members = stopShapes.object(mask)
        var object = ObjectText(&out)
        if let arrival = stop.arrival {
            object.member("\"arrival\":", &out)
            members.set(0, write(arrival, to: &out))
        }
        if let departure = stop.departure {
            object.member("\"departure\":", &out)
            members.set(1, write(departure, to: &out))
        }
        if let relationship = stop.scheduleRelationship {
            let name = GTFSRealtimeNames.name(relationship, in: GTFSRealtimeNames.stopScheduleRelationship)
            object.member("\"scheduleRelationship\":", &out)
            out.appendString(name)
            members.set(2, .string(name))
        }
        if let stopID = stop.stopID {
            object.member("\"stopId\":", &out)
            out.appendString(stopID)
            members.set(3, .string(stopID))
        }
        if let sequence = stop.stopSequence { object.number("\"stopSequence\":", Double(sequence), at: 4, of: &members, &out) }
        out.append("}")
        return .object(members.members)
    }

    /// Writes a stop's arrival or departure as its JSON object and returns it as a value.
    private static func write(_ event: GTFSRealtimeFeed.StopTimeEvent, to out: inout JSONOutput) -> JSONValue {
        var members = stopTimeShapes.object((event.delay == nil ? 0 : 1) | (event.time == nil ? 0 : 2) | (event.uncertainty == nil ? 0 : 4))
        var object = ObjectText(&out)
        if let delay = event.delay { object.number("\"delay\":", Double(delay), at: 0, of: &members, &out) }
        if let time = event.time { object.number("\"time\":", Double(time), at: 1, of: &members, &out) }
        if let uncertainty = event.uncertainty { object.number("\"uncertainty\":", Double(uncertainty), at: 2, of: &members, &out) }
        out.append("}")
        return .object(members.members)
    }

    private func serviceAlert(_ alert: GTFSRealtimeFeed.Alert, entityID: String, feedTime: Timestamp,
                              warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        func perLanguage(_ translations: [GTFSRealtimeFeed.Translation]) -> Value? {
            guard !translations.isEmpty else { return nil }
            var members: [String: JSONValue] = [:]
            for translation in translations { members[translation.language ?? ""] = .string(translation.text ?? "") }
            return .json(.object(members))
        }
        func seconds(_ value: UInt64?) -> JSONValue? {
            guard let value, value > 0 else { return nil }
            return Timestamp(secondsSinceEpoch: Double(value)).map { .string($0.iso8601) }
        }
        var attributes = EventAttributes(count: 10, textCapacity: 1024)
        attributes.append("activePeriods", .json(.array(alert.activePeriods.map { period in
            var members: [String: JSONValue] = [:]
            members.set("start", seconds(period.start))
            members.set("end", seconds(period.end))
            return .object(members)
        })))
        attributes.append("cause", Self.name(alert.cause, in: GTFSRealtimeNames.cause))
        attributes.append("description", perLanguage(alert.descriptionText))
        attributes.append("effect", Self.name(alert.effect, in: GTFSRealtimeNames.effect))
        attributes.append("entityId", .text(entityID))
        attributes.append("header", perLanguage(alert.headerText))
        attributes.append("informedEntities", .json(.array(alert.informedEntities.map { selector in
            var members: [String: JSONValue] = [:]
            if let agency = selector.agencyID { members["agencyId"] = .string(agency) }
            if let route = selector.routeID { members["routeId"] = .string(route) }
            if let type = selector.routeType { members["routeType"] = .number(Double(type)) }
            if let trip = selector.trip?.tripID { members["tripId"] = .string(trip) }
            if let stop = selector.stopID { members["stopId"] = .string(stop) }
            if let direction = selector.directionID { members["directionId"] = .number(Double(direction)) }
            return .object(members)
        })))
        attributes.append("severity", Self.name(alert.severityLevel, in: GTFSRealtimeNames.severityLevel))
        attributes.append("url", perLanguage(alert.url))
        attributes.append("warnings", Self.warnings(warnings))
        let start = alert.activePeriods.compactMap(\.start).filter { $0 > 0 }.min()
        return Event(type: "ServiceAlert", entity: urn("ServiceAlert", entityID),
                     observedAt: Self.time(start) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, attributes: attributes, key: key)
    }
}

/// The separators of a JSON object written member by member: `{` before the first, `,` before the others.
private struct ObjectText {
    private var isEmpty = true

    /// Starts the object.
    init(_ out: inout JSONOutput) { out.append("{") }

    /// Writes the separator and `quotedName`, the member's name as JSON followed by a colon.
    mutating func member(_ quotedName: StaticString, _ out: inout JSONOutput) {
        if !isEmpty { out.append(",") }
        isEmpty = false
        out.append(quotedName)
    }

    /// Writes a number member and sets it at `position` of `members`, the object's value.
    mutating func number(_ quotedName: StaticString, _ value: Double, at position: Int, of members: inout JSONObjectShapes.Object,
                         _ out: inout JSONOutput) {
        member(quotedName, &out)
        out.appendNumber(value)
        members.set(position, .number(value))
    }
}

private extension Dictionary {
    /// Sets `value` for a key not set yet, when there is a value: assigning nil would still hash
    /// the key to remove what is not there, for every absent optional field of every entity.
    mutating func set(_ key: Key, _ value: Value?) {
        if let value { self[key] = value }
    }
}
