import Foundation
import HubCore

/// Turns the Waze for Cities partner feed (`alerts[]`, `jams[]`, `irregularities[]`) into
/// `TrafficAlert` and `TrafficJam` events (a jam's line kept as a GeoJSON LineString); see
/// `Waze/README.md`. The feed is a snapshot of what is current, so the same report comes back poll
/// after poll: a report already seen (same uuid and pubMillis) yields nothing again.
public struct WazeConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "mobility.waze"
    /// What the connector reads and yields, for listings.
    public static let summary = "Waze for Cities feed (alerts, jams, irregularities) -> TrafficAlert, TrafficJam events, deduplicated"

    /// The reports of the previous poll, as `kind|uuid|pubMillis`.
    private var lastSeen: Set<String> = []

    /// Builds the connector; it has no settings.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys([])
    }

    /// Decodes one poll of the feed.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let document = try PayloadReader.object(envelope.payload, expecting: "a Waze for Cities feed")
        guard document["alerts"] != nil || document["jams"] != nil || document["irregularities"] != nil else {
            throw ConnectorError(.missingField, "none of alerts, jams or irregularities is present: not a Waze for Cities feed")
        }
        var events: [Event] = []
        var seen: Set<String> = []
        for kind in ["alerts", "jams", "irregularities"] {
            guard let members = document[kind] else { continue }
            for (index, report) in try PayloadReader.array(members, at: kind).enumerated() {
                let path = "\(kind)[\(index)]"
                _ = try PayloadReader.object(report, at: path)
                guard let uuid = PayloadReader.identifier(report["uuid"] ?? report["id"]) else {
                    throw ConnectorError(.missingField, "\(path).uuid is missing")
                }
                let millisField = kind == "irregularities" ? "updateDateMillis" : "pubMillis"
                guard let millis = (report[millisField] ?? report["pubMillis"] ?? report["detectionDateMillis"])?.numberValue,
                      let published = Timestamp(secondsSinceEpoch: millis / 1000) else {
                    throw ConnectorError(.missingField, "\(path).\(millisField) is missing or not a time in milliseconds")
                }
                let identity = "\(kind)|\(uuid)|\(Int64(millis))"
                seen.insert(identity)
                guard !lastSeen.contains(identity) else { continue }
                events.append(kind == "alerts"
                    ? try alert(report, uuid: uuid, path: path, published: published, envelope)
                    : try jam(report, uuid: uuid, path: path, published: published, irregularity: kind == "irregularities", envelope))
            }
        }
        lastSeen = seen
        return events
    }

    private static func common(_ report: JSONValue, uuid: String) -> [String: Value] {
        var attributes: [String: Value] = ["uuid": .text(uuid)]
        attributes["type"] = PayloadReader.text(report["type"])
        attributes["subtype"] = PayloadReader.text(report["subtype"])
        attributes["street"] = PayloadReader.text(report["street"])
        attributes["city"] = PayloadReader.text(report["city"])
        attributes["country"] = PayloadReader.text(report["country"])
        attributes["roadType"] = PayloadReader.number(report["roadType"])
        return attributes
    }

    private static func point(_ value: JSONValue?, _ path: String) throws -> GeoPoint {
        guard let x = value?["x"]?.numberValue, let y = value?["y"]?.numberValue else {
            throw ConnectorError(.missingField, "\(path) needs numbers x (longitude) and y (latitude)")
        }
        guard let point = GeoPoint(latitude: y, longitude: x) else {
            throw ConnectorError(.invalidField, "\(path) (x \(x), y \(y)) is not a WGS84 position")
        }
        return point
    }

    private func alert(_ report: JSONValue, uuid: String, path: String, published: Timestamp, _ envelope: Envelope) throws -> Event {
        var attributes = Self.common(report, uuid: uuid)
        attributes["reliability"] = PayloadReader.number(report["reliability"])
        attributes["confidence"] = PayloadReader.number(report["confidence"])
        attributes["reportRating"] = PayloadReader.number(report["reportRating"])
        attributes["direction"] = PayloadReader.number(report["magvar"], unit: "DD")
        let location = try Self.point(report["location"], "\(path).location")
        return Event(type: "TrafficAlert", entity: "urn:ngsi-ld:TrafficAlert:\(uuid)", observedAt: published,
                     receivedAt: envelope.receivedAt, route: envelope.route, location: location, attributes: attributes)
    }

    private func jam(_ report: JSONValue, uuid: String, path: String, published: Timestamp, irregularity: Bool,
                     _ envelope: Envelope) throws -> Event {
        var attributes = Self.common(report, uuid: uuid)
        let line = try PayloadReader.array(report["line"], at: "\(path).line")
        var coordinates: [JSONValue] = []
        for (index, vertex) in line.enumerated() {
            let point = try Self.point(vertex, "\(path).line[\(index)]")
            coordinates.append(.array([.number(point.longitude), .number(point.latitude)]))
        }
        guard coordinates.count >= 2 else { throw ConnectorError(.invalidField, "\(path).line has \(coordinates.count) point(s); a jam's line needs 2") }
        attributes["line"] = .json(.object(["type": .string("LineString"), "coordinates": .array(coordinates)]))
        attributes["level"] = PayloadReader.number(report["level"] ?? report["jamLevel"])
        attributes["speed"] = PayloadReader.number(report["speedKMH"], unit: "KMH") ?? PayloadReader.number(report["speed"], unit: "KMH")
        attributes["length"] = PayloadReader.number(report["length"], unit: "MTR")
        attributes["delay"] = PayloadReader.number(report["delay"] ?? report["delaySeconds"], unit: "SEC")
        attributes["severity"] = PayloadReader.number(report["severity"])
        attributes["turnType"] = PayloadReader.text(report["turnType"])
        attributes["blockingAlertUuid"] = PayloadReader.text(report["blockingAlertUuid"])
        attributes["irregularity"] = .boolean(irregularity)
        return Event(type: "TrafficJam", entity: "urn:ngsi-ld:TrafficJam:\(uuid)", observedAt: published,
                     receivedAt: envelope.receivedAt, route: envelope.route,
                     location: try Self.point(line[0], "\(path).line[0]"), attributes: attributes)
    }
}
