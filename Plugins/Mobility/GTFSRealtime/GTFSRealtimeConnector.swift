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
    }

    /// Decodes one fetched feed.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let feed: GTFSRealtimeFeed
        do {
            feed = try envelope.payload.withUnsafeBytes { (bytes) throws(ProtobufError) in try GTFSRealtimeFeed(bytes: bytes) }
        } catch {
            throw ConnectorError(.malformedPayload, "not a GTFS-Realtime FeedMessage: \(error) (of \(envelope.payload.count) bytes)")
        }
        let header = feed.header ?? .init()
        let headerTime = header.timestamp.flatMap { $0 > 0 ? $0 : nil }
        let differential = header.incrementality == 1
        var events: [Event] = []
        events.reserveCapacity(feed.entities.count + 1)
        var counts: [String: Int] = [:]
        var seen: [String: UInt64] = differential ? lastHashes : [:]
        seen.reserveCapacity(feed.entities.count)
        let feedTime = Self.time(headerTime) ?? envelope.receivedAt

        for entity in feed.entities {
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
            let key = id + "#" + String(entity.contentHash, radix: 16)
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
        for warning in GTFSRealtimeQuality.check(header: header) { counts[warning.rule, default: 0] += 1 }
        lastHashes = seen
        for (rule, count) in counts { warningTotals[rule, default: 0] += count }
        if counts != (lastWarningCounts ?? [:]) || lastWarningCounts == nil && !counts.isEmpty {
            events.append(Event(
                type: "FeedQuality", entity: urn("GTFSRealtimeFeed", agency ?? envelope.route), observedAt: feedTime,
                receivedAt: envelope.receivedAt, route: envelope.route,
                attributes: [
                    "warnings": .json(.object(counts.mapValues { .number(Double($0)) })),
                    "entities": .number(Double(feed.entities.count), unit: nil),
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
            return try payload.withUnsafeBytes { (bytes) throws(ProtobufError) in try GTFSRealtimeFeed(bytes: bytes).entities.count }
        } catch {
            throw ConnectorError(.malformedPayload, "not a GTFS-Realtime FeedMessage: \(error) (of \(payload.count) bytes)")
        }
    }

    // MARK: - Events

    private func urn(_ type: String, _ id: String) -> String {
        if let agency { "urn:ngsi-ld:\(type):\(agency):\(id)" } else { "urn:ngsi-ld:\(type):\(id)" }
    }

    private static func time(_ seconds: UInt64?) -> Timestamp? {
        guard let seconds, seconds > 0, GTFSRealtimeWarning.posixRange.contains(seconds) else { return nil }
        return Timestamp(microsecondsSinceEpoch: Int64(seconds) * 1_000_000)
    }

    private static func text(_ value: String?) -> Value? { value.map(Value.text) }

    private static func number(_ value: (some BinaryInteger)?, unit: String? = nil) -> Value? {
        value.map { .number(Double($0), unit: unit) }
    }

    /// An entity event's attributes, sized once for the dozen or so it usually gets.
    private static func attributes(entityID: String) -> [String: Value] {
        var attributes = [String: Value](minimumCapacity: 16)
        attributes["entityId"] = .text(entityID)
        return attributes
    }

    private static func addTrip(_ trip: GTFSRealtimeFeed.Trip?, to attributes: inout [String: Value]) {
        guard let trip else { return }
        attributes.set("tripId", text(trip.tripID))
        attributes.set("routeId", text(trip.routeID))
        attributes.set("directionId", number(trip.directionID))
        attributes.set("startDate", text(trip.startDate))
        attributes.set("startTime", text(trip.startTime))
        attributes.set("tripScheduleRelationship", trip.scheduleRelationship.map {
            .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.tripScheduleRelationship))
        })
    }

    private static func addWarnings(_ warnings: [GTFSRealtimeWarning], to attributes: inout [String: Value]) {
        if !warnings.isEmpty { attributes["warnings"] = .json(.array(warnings.map { .string($0.text) })) }
    }

    private func vehiclePosition(_ vehicle: GTFSRealtimeFeed.VehiclePosition, entityID: String, feedTime: Timestamp,
                                 warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        var attributes = Self.attributes(entityID: entityID)
        Self.addTrip(vehicle.trip, to: &attributes)
        attributes.set("vehicleId", Self.text(vehicle.vehicle?.id))
        attributes.set("vehicleLabel", Self.text(vehicle.vehicle?.label))
        attributes.set("licensePlate", Self.text(vehicle.vehicle?.licensePlate))
        var location: GeoPoint?
        if let position = vehicle.position {
            if let latitude = position.latitude, let longitude = position.longitude {
                location = GeoPoint(latitude: Double(latitude), longitude: Double(longitude))
            }
            attributes.set("bearing", position.bearing.map { .number(Double($0), unit: "DD") })
            attributes.set("speed", position.speed.map { .number(Double($0), unit: "MTS") })
            attributes.set("odometer", position.odometer.map { .number($0, unit: "MTR") })
        }
        attributes.set("stopId", Self.text(vehicle.stopID))
        attributes.set("currentStopSequence", Self.number(vehicle.currentStopSequence))
        attributes.set("status", vehicle.currentStatus.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.vehicleStopStatus)) })
        attributes.set("congestion", vehicle.congestionLevel.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.congestionLevel)) })
        attributes.set("occupancy", vehicle.occupancyStatus.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.occupancyStatus)) })
        attributes.set("occupancyPercentage", Self.number(vehicle.occupancyPercentage, unit: "P1"))
        Self.addWarnings(warnings, to: &attributes)
        return Event(type: "VehiclePosition", entity: urn("Vehicle", vehicle.vehicle?.id ?? entityID),
                     observedAt: Self.time(vehicle.timestamp) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, location: location, attributes: attributes, key: key)
    }

    private func tripUpdate(_ update: GTFSRealtimeFeed.TripUpdate, entityID: String, feedTime: Timestamp,
                            warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        var attributes = Self.attributes(entityID: entityID)
        Self.addTrip(update.trip, to: &attributes)
        attributes.set("vehicleId", Self.text(update.vehicle?.id))
        attributes.set("delay", Self.number(update.delay, unit: "SEC"))
        func event(_ value: GTFSRealtimeFeed.StopTimeEvent?) -> JSONValue? {
            guard let value else { return nil }
            var members = [String: JSONValue](minimumCapacity: 3)
            if let delay = value.delay { members["delay"] = .number(Double(delay)) }
            if let time = value.time { members["time"] = .number(Double(time)) }
            if let uncertainty = value.uncertainty { members["uncertainty"] = .number(Double(uncertainty)) }
            return .object(members)
        }
        attributes["stopTimeUpdates"] = .json(.array(update.stopTimeUpdates.map { stop in
            var members = [String: JSONValue](minimumCapacity: 5)
            if let sequence = stop.stopSequence { members["stopSequence"] = .number(Double(sequence)) }
            if let stopID = stop.stopID { members["stopId"] = .string(stopID) }
            members.set("arrival", event(stop.arrival))
            members.set("departure", event(stop.departure))
            if let relationship = stop.scheduleRelationship {
                members["scheduleRelationship"] = .string(GTFSRealtimeNames.name(relationship, in: GTFSRealtimeNames.stopScheduleRelationship))
            }
            return .object(members)
        }))
        Self.addWarnings(warnings, to: &attributes)
        return Event(type: "TripUpdate", entity: urn("Trip", update.trip?.tripID ?? entityID),
                     observedAt: Self.time(update.timestamp) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, attributes: attributes, key: key)
    }

    private func serviceAlert(_ alert: GTFSRealtimeFeed.Alert, entityID: String, feedTime: Timestamp,
                              warnings: [GTFSRealtimeWarning], _ envelope: Envelope, key: String) -> Event {
        var attributes: [String: Value] = ["entityId": .text(entityID)]
        attributes.set("cause", alert.cause.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.cause)) })
        attributes.set("effect", alert.effect.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.effect)) })
        attributes.set("severity", alert.severityLevel.map { .text(GTFSRealtimeNames.name($0, in: GTFSRealtimeNames.severityLevel)) })
        func seconds(_ value: UInt64?) -> JSONValue? {
            guard let value, value > 0 else { return nil }
            return Timestamp(secondsSinceEpoch: Double(value)).map { .string($0.iso8601) }
        }
        attributes["activePeriods"] = .json(.array(alert.activePeriods.map { period in
            var members: [String: JSONValue] = [:]
            members.set("start", seconds(period.start))
            members.set("end", seconds(period.end))
            return .object(members)
        }))
        attributes["informedEntities"] = .json(.array(alert.informedEntities.map { selector in
            var members: [String: JSONValue] = [:]
            if let agency = selector.agencyID { members["agencyId"] = .string(agency) }
            if let route = selector.routeID { members["routeId"] = .string(route) }
            if let type = selector.routeType { members["routeType"] = .number(Double(type)) }
            if let trip = selector.trip?.tripID { members["tripId"] = .string(trip) }
            if let stop = selector.stopID { members["stopId"] = .string(stop) }
            if let direction = selector.directionID { members["directionId"] = .number(Double(direction)) }
            return .object(members)
        }))
        func perLanguage(_ translations: [GTFSRealtimeFeed.Translation]) -> Value? {
            guard !translations.isEmpty else { return nil }
            var members: [String: JSONValue] = [:]
            for translation in translations { members[translation.language ?? ""] = .string(translation.text ?? "") }
            return .json(.object(members))
        }
        attributes.set("header", perLanguage(alert.headerText))
        attributes.set("description", perLanguage(alert.descriptionText))
        attributes.set("url", perLanguage(alert.url))
        Self.addWarnings(warnings, to: &attributes)
        let start = alert.activePeriods.compactMap(\.start).filter { $0 > 0 }.min()
        return Event(type: "ServiceAlert", entity: urn("ServiceAlert", entityID),
                     observedAt: Self.time(start) ?? feedTime, receivedAt: envelope.receivedAt,
                     route: envelope.route, attributes: attributes, key: key)
    }
}

private extension Dictionary {
    /// Sets `value` for a key not set yet, when there is a value: assigning nil would still hash
    /// the key to remove what is not there, for every absent optional field of every entity.
    mutating func set(_ key: Key, _ value: Value?) {
        if let value { self[key] = value }
    }
}
