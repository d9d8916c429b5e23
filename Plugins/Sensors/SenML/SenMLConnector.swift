import HubCore

/// Turns a SenML pack (RFC 8428, JSON or XML) into events: one per device and measurement time, with one
/// attribute per record.
///
/// Records are resolved as RFC 8428 says (see `SenMLPack`), then grouped:
/// - the device is the record's base name `bn` with trailing separators (`:` `/` `.` `-` `_`)
///   trimmed, and the attribute is the record's `n` (`value` when it has none);
/// - a record without a base name has its name split at the last `:` or `/`: the device before,
///   the attribute after. A URN is never split inside its first parts (`urn:<nid>:<id>`, and for
///   RFC 9039 device URNs `urn:dev:<type>:<id>`), so `urn:dev:ow:10e2073a01080063` is a device
///   whose single reading is `value`. A name with no such separator is the device itself.
///
/// A sum becomes the attribute `<attribute>_sum`. Numbers carry the UN/CEFACT code of their SenML
/// unit where there is a clear one (`Cel` -> `CEL`), else the SenML symbol. If a pack gives the same
/// attribute of a device at one time twice, the repeat goes to a further event for that device and
/// time (event key `2`, `3`, ...), so that no reading overwrites another. See `SenML/README.md`.
public struct SenMLConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "sensors.senml"
    /// What the connector reads and yields, for listings.
    public static let summary = "SenML (RFC 8428) JSON pack -> one event per device and time, one attribute per record"
    /// The entity and event type used when the `entityType` setting is absent.
    public static let defaultEntityType = "Device"

    /// The attribute a record without a name of its own gets.
    static let unnamedAttribute = "value"
    /// The characters trimmed from the end of a base name to make the device id.
    static let trailingSeparators: Set<Character> = [":", "/", ".", "-", "_"]

    private let entityType: String

    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["entityType"])
        entityType = try settings.optionalString("entityType") ?? Self.defaultEntityType
        try EntityURN.validateType(entityType, path: settings.path(of: "entityType"))
    }

    /// Turns one SenML pack into events, or throws a `ConnectorError` saying which record is wrong and how.
    public func decode(_ envelope: Envelope) throws -> [Event] {
        let pack = SenMLXML.isXML(envelope.payload)
            ? try SenMLPack(SenMLXML.document(from: envelope.payload), now: envelope.receivedAt)
            : try SenMLPack(parsing: envelope.payload, now: envelope.receivedAt)

        // Events are built in the order their (device, time) first appears in the pack; each
        // (device, time) may need several slots when the pack repeats an attribute.
        struct Key: Hashable { var device: String; var time: Timestamp }
        var order: [Key] = []
        var slots: [Key: [[String: Value]]] = [:]

        for record in pack.records {
            let (device, attribute) = Self.deviceAndAttribute(of: record)
            var values: [String: Value] = [:]
            switch record.value {
            case .number(let number)?: values[attribute] = .number(number, unit: record.unit.map(Self.unitCode))
            case .string(let text)?: values[attribute] = .text(text)
            case .boolean(let flag)?: values[attribute] = .boolean(flag)
            case .data(let text)?: values[attribute] = .text(text)
            case nil: break
            }
            if let sum = record.sum {
                values[attribute + "_sum"] = .number(sum, unit: record.unit.map(Self.unitCode))
            }

            let key = Key(device: device, time: record.time)
            if slots[key] == nil { order.append(key) }
            var keySlots = slots[key, default: []]
            if let free = keySlots.firstIndex(where: { slot in values.keys.allSatisfy { slot[$0] == nil } }) {
                keySlots[free].merge(values) { _, new in new }
            } else {
                keySlots.append(values)
            }
            slots[key] = keySlots
        }

        var events: [Event] = []
        for key in order {
            let entity = EntityURN.make(type: entityType, id: key.device)
            for (index, var attributes) in slots[key, default: []].enumerated() {
                // The device registry counts devices by `refDevice`; an entity of type Device is the device itself.
                if entityType != Self.defaultEntityType, attributes["refDevice"] == nil {
                    attributes["refDevice"] = .text(ObservationMapper.deviceURN(key.device))
                }
                events.append(Event(type: entityType, entity: entity, observedAt: key.time, receivedAt: envelope.receivedAt,
                                    route: envelope.route, attributes: attributes, key: index == 0 ? "" : String(index + 1)))
            }
        }
        return events
    }

    /// The unit an event carries for a SenML unit: its UN/CEFACT code where one is listed, else the symbol.
    static func unitCode(_ senMLUnit: String) -> String {
        SenMLUnitCodes.cefactCode(forSenMLUnit: senMLUnit) ?? senMLUnit
    }

    /// The device id and attribute name of a resolved record (the rule in the type's documentation).
    static func deviceAndAttribute(of record: SenMLRecord) -> (device: String, attribute: String) {
        if !record.baseName.isEmpty {
            let attribute = record.localName.isEmpty ? unnamedAttribute : record.localName
            return (trimmingTrailingSeparators(record.baseName), attribute)
        }
        let name = record.name
        let protectedEnd = endOfURNIdentity(in: name)
        guard let cut = name[protectedEnd...].lastIndex(where: { $0 == ":" || $0 == "/" }) else {
            return (trimmingTrailingSeparators(name), unnamedAttribute)
        }
        let device = trimmingTrailingSeparators(String(name[..<cut]))
        let attribute = String(name[name.index(after: cut)...])
        return (device, attribute.isEmpty ? unnamedAttribute : attribute)
    }

    /// Where the part of a URN name that identifies the thing ends (`urn:<nid>:<id>`, or
    /// `urn:dev:<type>:<id>` for RFC 9039 device URNs); the start of the name when it is no URN.
    private static func endOfURNIdentity(in name: String) -> String.Index {
        let lowercased = name.lowercased()
        let parts = lowercased.hasPrefix("urn:dev:") ? 4 : lowercased.hasPrefix("urn:") ? 3 : 0
        guard parts > 0 else { return name.startIndex }
        var colons = 0
        for index in name.indices where name[index] == ":" {
            colons += 1
            if colons == parts { return index }
        }
        return name.endIndex
    }

    /// The text without its trailing separators; unchanged if that would leave nothing.
    private static func trimmingTrailingSeparators(_ text: String) -> String {
        var trimmed = Substring(text)
        while let last = trimmed.last, trailingSeparators.contains(last) { trimmed.removeLast() }
        return trimmed.isEmpty ? text : String(trimmed)
    }
}
