import Foundation
import HubCore

/// Reads measures sent the FIWARE IoT Agent way: JSON on `/json/{apikey}/{device}/attrs` (an object
/// of measures, or a list of them) and `/json/{apikey}/{device}/attrs/{attr}` (one value), and
/// UltraLight 2.0 on `/ul/{apikey}/{device}/attrs`. The apikey selects the service group: its
/// entity type and attribute mapping (object_id -> name, type, unit). See `FIWAREIoTAgent/README.md`.
///
/// An unknown apikey is a dead letter, as the IoT Agent refuses it. `TimeInstant` among the measures
/// is the observation time, as the IoT Agent reads it.
public struct IoTAgentConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "sensors.fiware-iota"
    /// What the connector reads and yields, for listings.
    public static let summary = "FIWARE IoT Agent JSON or UltraLight 2.0 measures, by apikey -> Smart Data Models events"

    /// The measure the IoT Agent reads as the observation time.
    static let timeInstant = "TimeInstant"

    private let groups: [String: ObservationMapper]

    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["apikeys"])
        guard let apikeys = try settings.optionalObject("apikeys"), !apikeys.members.isEmpty else {
            throw SettingsError(path: settings.path(of: "apikeys"),
                                message: "required: an object of apikey -> {\"entityType\", \"attributes\"} (the service groups this route accepts)")
        }
        var groups: [String: ObservationMapper] = [:]
        for (key, value) in apikeys.members {
            let group = try Settings(value, path: apikeys.path(of: key))
            try group.rejectUnknownKeys(ObservationMapper.settingNames)
            groups[key] = try ObservationMapper(settings: group)
        }
        self.groups = groups
    }

    /// Turns one message into events, or throws the reason it cannot.
    public func decode(_ envelope: Envelope) throws -> [Event] {
        var levels = envelope.origin.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if levels.first == "" { levels.removeFirst() }
        guard levels.count >= 4, levels.count <= 5, ["json", "ul"].contains(levels[0]), levels[3] == "attrs" else {
            throw ConnectorError(.unsupported, "topic \(ReasonText.quoted(envelope.origin)) is not /json/{apikey}/{device}/attrs[/{attr}] or /ul/{apikey}/{device}/attrs")
        }
        let (protocolName, apikey, device) = (levels[0], levels[1], levels[2])
        guard let mapper = groups[apikey] else {
            throw ConnectorError(.unsupported, "unknown apikey \(ReasonText.quoted(apikey)): no service group of this route has it; add it under settings.apikeys")
        }
        var measureGroups: [(time: Timestamp?, readings: [Reading])] = []
        if protocolName == "ul" {
            guard levels.count == 4 else {
                throw ConnectorError(.unsupported, "UltraLight measures go to /ul/{apikey}/{device}/attrs, not to one attribute's topic")
            }
            guard let text = String(data: envelope.payload, encoding: .utf8) else {
                throw ConnectorError(.malformedPayload, "payload is not UTF-8 text; expected UltraLight 2.0 measures such as t|15|h|70")
            }
            for group in try UltraLightPayload(parsing: text).groups {
                measureGroups.append((group.time, group.measures.map { Reading($0.objectID, Self.ultraLightValue($0.value)) }))
            }
        } else if levels.count == 5 {
            let value = (try? JSONValue(parsing: envelope.payload))
                ?? String(data: envelope.payload, encoding: .utf8).map(JSONValue.string)
            guard let value, value != .string("") else {
                throw ConnectorError(.malformedPayload, "payload is empty; expected the value of attribute \(ReasonText.quoted(levels[4]))")
            }
            measureGroups.append((nil, [Reading(levels[4], value)]))
        } else {
            let document = try PayloadReader.json(envelope.payload, expecting: "a JSON object of measures")
            let objects: [JSONValue] = document.arrayValue ?? [document]
            for (index, element) in objects.enumerated() {
                guard case .object(let members) = element else {
                    throw ConnectorError(.malformedPayload, "measure \(index + 1) is \(ReasonText.typeWithArticle(element)), not a JSON object of measures")
                }
                measureGroups.append((nil, Reading.all(in: members)))
            }
        }

        var events: [Event] = []
        for (index, group) in measureGroups.enumerated() {
            var time = group.time
            var readings = group.readings
            if let position = readings.firstIndex(where: { $0.name == Self.timeInstant }) {
                let value = readings.remove(at: position).value
                time = try PayloadReader.time(value, at: Self.timeInstant) ?? time
            }
            events.append(try mapper.event(device: device, readings: readings, observedAt: time ?? envelope.receivedAt,
                                           envelope: envelope, key: index == 0 ? "" : String(index + 1)))
        }
        return events
    }

    /// An UltraLight value as JSON: a number when it reads as one, else text (a mapping's type converts further).
    private static func ultraLightValue(_ text: String) -> JSONValue {
        if let number = Double(text), number.isFinite, text.first != "+" { return .number(number) }
        return .string(text)
    }
}
