import Foundation
import HubCore

/// Turns GBFS 2.3 and 3.0 files (bike and scooter share) into `BikeStationStatus` and
/// `VehicleAvailable` events; see `GBFS/README.md`.
///
/// A route hands it the files of one system in any order, as the poller fetches them after the
/// discovery file `gbfs.json`. Each file is recognised by its content: the discovery file,
/// `station_information` (kept, to be joined), `station_status` (one event per station that
/// changed, joined with its information), and `free_bike_status` (2.x) or `vehicle_status` (3.0),
/// one event per vehicle that changed. Other GBFS files (system_information, vehicle_types...)
/// are accepted and yield nothing.
public struct GBFSConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "mobility.gbfs"
    /// What the connector reads and yields, for listings.
    public static let summary = "GBFS 2.3/3.0 station_information + station_status, vehicle/free_bike_status -> BikeStationStatus, VehicleAvailable"

    /// What a station_information file says about one station.
    private struct StationInformation {
        var name: String?
        var names: JSONValue?
        var location: GeoPoint?
        var capacity: Double?
    }

    private let system: String?
    private let language: String?
    private var stations: [String: StationInformation] = [:]
    /// The last content seen per station and per vehicle, so that what did not change yields nothing.
    private var lastStatus: [String: String] = [:]
    private var lastVehicles: [String: String] = [:]

    /// Builds the connector: `system` (optional) goes into entity URNs, `language` picks the
    /// localized name (GBFS 3.0) to use as `name`; without it, the first one listed.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["system", "language"])
        system = try settings.optionalString("system")
        language = try settings.optionalString("language")
    }

    private func urn(_ type: String, _ id: String) -> String {
        if let system { "urn:ngsi-ld:\(type):\(system):\(id)" } else { "urn:ngsi-ld:\(type):\(id)" }
    }

    /// Decodes one GBFS file.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let document = try PayloadReader.object(envelope.payload, expecting: "a GBFS document")
        guard document["last_updated"] != nil else {
            throw ConnectorError(.missingField, "last_updated is missing: every GBFS file has last_updated, ttl and data")
        }
        let lastUpdated = try PayloadReader.time(document["last_updated"], at: "last_updated", allowingEpochSeconds: true) ?? envelope.receivedAt
        let data = try PayloadReader.object(document["data"], at: "data")
        if let stations = data["stations"] {
            let list = try PayloadReader.array(stations, at: "data.stations")
            let isStatus = list.contains { station in
                ["num_bikes_available", "num_vehicles_available", "is_renting", "num_docks_available"].contains { station[$0] != nil }
            }
            if isStatus { return try stationStatus(list, lastUpdated: lastUpdated, envelope) }
            try stationInformation(list)
            return []
        }
        if let vehicles = data["vehicles"] ?? data["bikes"] {
            let path = data["vehicles"] != nil ? "data.vehicles" : "data.bikes"
            return try vehicleStatus(try PayloadReader.array(vehicles, at: path), path: path, lastUpdated: lastUpdated, envelope)
        }
        return []  // gbfs.json, system_information, vehicle_types, ...: nothing to report by itself
    }

    private func localizedName(_ value: JSONValue?) -> (name: String?, all: JSONValue?) {
        switch value {
        case .string(let text)?: return (text, nil)
        case .array(let entries)?:
            var all: [String: JSONValue] = [:]
            var chosen: String?
            for entry in entries {
                guard let text = entry["text"]?.stringValue else { continue }
                let language = entry["language"]?.stringValue ?? ""
                all[language] = .string(text)
                if chosen == nil { chosen = text }
            }
            if let preferred = self.language, let text = all[preferred]?.stringValue { chosen = text }
            return (chosen, .object(all))
        default: return (nil, nil)
        }
    }

    private mutating func stationInformation(_ list: [JSONValue]) throws {
        for (index, station) in list.enumerated() {
            guard let id = PayloadReader.identifier(station["station_id"]) else {
                throw ConnectorError(.missingField, "data.stations[\(index)].station_id is missing")
            }
            let (name, names) = localizedName(station["name"])
            var location: GeoPoint?
            if let latitude = station["lat"]?.numberValue, let longitude = station["lon"]?.numberValue {
                location = GeoPoint(latitude: latitude, longitude: longitude)
            }
            stations[id] = StationInformation(name: name, names: names, location: location, capacity: station["capacity"]?.numberValue)
        }
    }

    private mutating func stationStatus(_ list: [JSONValue], lastUpdated: Timestamp, _ envelope: Envelope) throws -> [Event] {
        var events: [Event] = []
        var seen: [String: String] = [:]
        for (index, station) in list.enumerated() {
            let path = "data.stations[\(index)]"
            guard let id = PayloadReader.identifier(station["station_id"]) else {
                throw ConnectorError(.missingField, "\(path).station_id is missing")
            }
            let content = station.jsonText
            seen[id] = content
            guard lastStatus[id] != content else { continue }
            let observedAt = try PayloadReader.time(station["last_reported"], at: "\(path).last_reported", allowingEpochSeconds: true) ?? lastUpdated
            var attributes: [String: Value] = ["stationId": .text(id)]
            // 2.x counts bikes, 3.0 counts vehicles: both become `vehiclesAvailable`.
            attributes["vehiclesAvailable"] = PayloadReader.number(station["num_vehicles_available"] ?? station["num_bikes_available"])
            attributes["vehiclesDisabled"] = PayloadReader.number(station["num_vehicles_disabled"] ?? station["num_bikes_disabled"])
            attributes["docksAvailable"] = PayloadReader.number(station["num_docks_available"])
            attributes["docksDisabled"] = PayloadReader.number(station["num_docks_disabled"])
            attributes["isInstalled"] = PayloadReader.boolean(station["is_installed"])
            attributes["isRenting"] = PayloadReader.boolean(station["is_renting"])
            attributes["isReturning"] = PayloadReader.boolean(station["is_returning"])
            if let types = station["vehicle_types_available"] { attributes["vehicleTypesAvailable"] = .json(types) }
            let information = stations[id]
            if let information {
                attributes["name"] = information.name.map(Value.text)
                attributes["names"] = information.names.map(Value.json)
                attributes["capacity"] = information.capacity.map { .number($0, unit: nil) }
            }
            guard attributes["vehiclesAvailable"] != nil else {
                throw ConnectorError(.missingField, "\(path) has neither num_vehicles_available (3.0) nor num_bikes_available (2.x)")
            }
            events.append(Event(type: "BikeStationStatus", entity: urn("BikeHireDockingStation", id), observedAt: observedAt,
                                receivedAt: envelope.receivedAt, route: envelope.route, location: information?.location,
                                attributes: attributes, key: content))
        }
        lastStatus = seen
        return events
    }

    private mutating func vehicleStatus(_ list: [JSONValue], path: String, lastUpdated: Timestamp, _ envelope: Envelope) throws -> [Event] {
        var events: [Event] = []
        var seen: [String: String] = [:]
        for (index, vehicle) in list.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let id = PayloadReader.identifier(vehicle["vehicle_id"] ?? vehicle["bike_id"]) else {
                throw ConnectorError(.missingField, "\(itemPath) has neither vehicle_id (3.0) nor bike_id (2.x)")
            }
            let content = vehicle.jsonText
            seen[id] = content
            guard lastVehicles[id] != content else { continue }
            var location: GeoPoint?
            if let latitude = vehicle["lat"]?.numberValue, let longitude = vehicle["lon"]?.numberValue {
                guard let point = GeoPoint(latitude: latitude, longitude: longitude) else {
                    throw ConnectorError(.invalidField, "\(itemPath) lat/lon (\(latitude), \(longitude)) is not a WGS84 position")
                }
                location = point
            }
            var attributes: [String: Value] = ["vehicleId": .text(id)]
            attributes["isReserved"] = PayloadReader.boolean(vehicle["is_reserved"])
            attributes["isDisabled"] = PayloadReader.boolean(vehicle["is_disabled"])
            attributes["vehicleTypeId"] = PayloadReader.text(vehicle["vehicle_type_id"])
            attributes["currentRange"] = PayloadReader.number(vehicle["current_range_meters"], unit: "MTR")
            attributes["stationId"] = PayloadReader.text(vehicle["station_id"])
            attributes["pricingPlanId"] = PayloadReader.text(vehicle["pricing_plan_id"])
            let observedAt = try PayloadReader.time(vehicle["last_reported"], at: "\(itemPath).last_reported", allowingEpochSeconds: true) ?? lastUpdated
            events.append(Event(type: "VehicleAvailable", entity: urn("Vehicle", id), observedAt: observedAt,
                                receivedAt: envelope.receivedAt, route: envelope.route, location: location,
                                attributes: attributes, key: content))
        }
        lastVehicles = seen
        return events
    }
}
