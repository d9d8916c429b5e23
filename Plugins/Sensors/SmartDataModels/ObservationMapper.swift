import HubCore

/// Turns one device's readings into a Smart Data Models event, shared by the sensor connectors.
///
/// Settings it reads (beside the connector's own): `entityType` (default `Device`), `attributes`
/// (reading name -> attribute name, or `{"name","type","unit"}`) and `keepUnmapped` (default true:
/// readings without a mapping keep their own name). The event's entity is
/// `urn:ngsi-ld:{entityType}:{device}`; it carries `refDevice` (`urn:ngsi-ld:Device:{device}`), the
/// Smart Data Models relationship the hub's device registry counts, and the radio metadata.
struct ObservationMapper: Sendable {
    /// The setting names this mapper reads.
    static let settingNames: Set<String> = ["entityType", "attributes", "keepUnmapped"]
    /// The type when `entityType` is absent.
    static let defaultEntityType = "Device"

    /// The NGSI-LD type of the entities and events.
    let entityType: String
    private let mappings: [String: AttributeMapping]
    private let keepUnmapped: Bool

    /// Reads the mapper's settings from `settings`.
    init(settings: Settings) throws {
        entityType = try settings.optionalString("entityType") ?? Self.defaultEntityType
        try EntityURN.validateType(entityType, path: settings.path(of: "entityType"))
        mappings = try AttributeMapping.table(settings, key: "attributes")
        keepUnmapped = try settings.optionalBool("keepUnmapped") ?? true
        var targets: [String: String] = [:]
        for reading in mappings.keys.sorted() {
            let name = mappings[reading]!.name
            if let other = targets[name] {
                throw SettingsError(path: settings.path(of: "attributes") + ".\(reading)",
                                    message: "\(ReasonText.quoted(name)) is already the attribute of \(ReasonText.quoted(other))")
            }
            targets[name] = reading
        }
    }

    /// The URN of a device, as `refDevice` holds it.
    static func deviceURN(_ device: String) -> String { EntityURN.make(type: "Device", id: device) }

    /// Builds the event of one device's readings at one time; throws a `ConnectorError` when a
    /// reading cannot take its mapped type or when nothing is left to record.
    func event(
        device: String, readings: [Reading], observedAt: Timestamp, envelope: Envelope,
        location: GeoPoint? = nil, radio: RadioMetadata? = nil, key: String = ""
    ) throws -> Event {
        try Self.checkDeviceID(device)
        var attributes: [String: Value] = [:]
        for reading in readings {
            let mapping = mappings[reading.name]
            guard mapping != nil || keepUnmapped else { continue }
            let name = mapping?.name ?? reading.name
            guard !name.isEmpty else { continue }
            guard let value = try value(of: reading, mapping: mapping, attribute: name) else { continue }
            if attributes[name] != nil {
                throw ConnectorError(.invalidField, "two readings become attribute \(ReasonText.quoted(name)); change the attributes setting")
            }
            attributes[name] = value
        }
        guard !attributes.isEmpty else {
            let names = readings.map(\.name).prefix(10).map(ReasonText.quoted).joined(separator: ", ")
            throw ConnectorError(.missingField, readings.isEmpty
                ? "no readings in the message"
                : "no readings left after mapping (readings present: \(names)); map them in the attributes setting or set keepUnmapped")
        }
        attributes["refDevice"] = .text(Self.deviceURN(device))
        if let radio {
            if let rssi = radio.rssi { attributes["rssi"] = .number(rssi, unit: nil) }
            if let snr = radio.snr { attributes["snr"] = .number(snr, unit: "2N") }
            if let gateway = radio.gateway { attributes["gateway"] = .text(gateway) }
            if let counter = radio.frameCounter { attributes["fCnt"] = .number(counter, unit: nil) }
            if let port = radio.port { attributes["fPort"] = .number(port, unit: nil) }
        }
        return Event(type: entityType, entity: EntityURN.make(type: entityType, id: device), observedAt: observedAt,
                     receivedAt: envelope.receivedAt, route: envelope.route, location: location,
                     attributes: attributes, key: key)
    }

    /// The attribute value of a reading: converted to the mapped type, with its unit; nil for null.
    private func value(of reading: Reading, mapping: AttributeMapping?, attribute: String) throws -> Value? {
        var subject: String { "reading \(ReasonText.quoted(reading.name))" }  // spelled only for a refusal
        let modelUnit = SmartDataModel.unit(of: attribute, in: entityType)
        let unit = mapping?.unit ?? reading.unit ?? modelUnit ?? nil
        if entityType == "ParkingSpot", attribute == "status" { return try parkingStatus(reading.value, subject: subject) }
        let isNumber = mapping?.type == .number || (mapping?.type == nil && (unit != nil || modelUnit != nil))
        switch (reading.value, mapping?.type) {
        case (.null, _):
            return nil
        case (.number(let n), .text?):
            return .text(JSONValue.number(n).jsonText)
        case (.number(let n), .boolean?):
            guard n == 0 || n == 1 else { throw ConnectorError(.invalidField, "\(subject) must be a boolean (0 or 1), found \(JSONValue.number(n).jsonText)") }
            return .boolean(n == 1)
        case (.number(let n), _):
            return .number(n, unit: unit)
        case (.string(let text), _) where isNumber:
            guard let n = Double(text), n.isFinite else {
                throw ConnectorError(.invalidField, "\(subject) must be a number, found \(ReasonText.describe(reading.value))")
            }
            return .number(n, unit: unit)
        case (.string(let text), .boolean?):
            guard let flag = ["true": true, "false": false, "1": true, "0": false][text.lowercased()] else {
                throw ConnectorError(.invalidField, "\(subject) must be a boolean, found \(ReasonText.describe(reading.value))")
            }
            return .boolean(flag)
        case (.string(let text), _):
            return .text(text)
        case (.bool(let flag), .number?):
            return .number(flag ? 1 : 0, unit: unit)
        case (.bool(let flag), _):
            return .boolean(flag)
        case (_, .number?), (_, .boolean?), (_, .text?):
            throw ConnectorError(.invalidField, "\(subject) must be a \(mapping!.type!.rawValue.lowercased()), found \(ReasonText.typeWithArticle(reading.value))")
        default:
            return .json(reading.value)
        }
    }

    /// `ParkingSpot.status`: `free`/`occupied`/`closed`/`unknown`, or a presence flag (1/true = occupied).
    private func parkingStatus(_ value: JSONValue, subject: String) throws -> Value? {
        switch value {
        case .null: return nil
        case .bool(let occupied): return .text(occupied ? "occupied" : "free")
        case .number(let n) where n == 0 || n == 1: return .text(n == 1 ? "occupied" : "free")
        case .string(let text) where SmartDataModel.parkingStatuses.contains(text): return .text(text)
        default:
            throw ConnectorError(.invalidField, "\(subject) is \(ReasonText.describe(value)); ParkingSpot status is free, occupied, closed or unknown (or 0/1, false/true for presence)")
        }
    }

    /// Rejects device ids that cannot end a URN: empty, too long, spaces or control characters.
    static func checkDeviceID(_ id: String) throws {
        guard !id.isEmpty else { throw ConnectorError(.invalidField, "the device id is empty") }
        guard id.utf8.count <= 256 else { throw ConnectorError(.invalidField, "the device id is longer than 256 bytes: \(ReasonText.quoted(id))") }
        if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConnectorError(.invalidField, "the device id contains a space or control character: \(ReasonText.quoted(id))")
        }
    }
}
