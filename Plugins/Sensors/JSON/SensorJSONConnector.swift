import Foundation
import HubCore

/// Turns a flat JSON object of readings from one device, such as
/// `{"device":"aq-07","ts":"2026-11-22T08:00:00Z","no2":41.5,"temperature":12.3}`,
/// into one event whose attributes are the readings.
///
/// The device id comes from a field (`idField`) or from a level of the MQTT topic
/// (`idFromTopicLevel`); the time from `timeField` or, without one, the envelope's `receivedAt`.
/// Numbers become numbers (with the UN/CEFACT unit code that `units` gives their field), strings
/// text, booleans booleans, objects and arrays nested JSON; nulls are skipped. See `JSON/README.md`.
public struct SensorJSONConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "sensors.json"
    /// What the connector reads and yields, for listings.
    public static let summary = "Flat JSON object of one device's readings -> one event, one attribute per reading"

    /// The setting names this connector knows.
    static let settingNames: Set<String> = [
        "entityType", "idField", "idFromTopicLevel", "timeField", "timeFormat", "units",
        "latitudeField", "longitudeField", "fields", "rename",
    ]

    private let entityType: String
    private let idSource: SensorIDSource
    private let timeField: String?
    private let timeFormat: SensorTimeFormat
    private let units: [String: String]
    private let latitudeField: String?
    private let longitudeField: String?
    private let allowedFields: Set<String>?
    private let attributeNames: [String: String]

    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(Self.settingNames)

        entityType = try settings.string("entityType")
        try EntityURN.validateType(entityType, path: settings.path(of: "entityType"))

        let idField = try settings.optionalString("idField")
        let idLevel = try settings.optionalInteger("idFromTopicLevel", in: 0...1023)
        switch (idField, idLevel) {
        case (let field?, nil):
            try Self.requireNonEmpty(field, path: settings.path(of: "idField"))
            idSource = .field(field)
        case (nil, let level?):
            idSource = .topicLevel(level)
        case (.some, .some):
            throw SettingsError(path: settings.path(of: "idFromTopicLevel"),
                                message: "give either idField or idFromTopicLevel, not both")
        case (nil, nil):
            throw SettingsError(
                path: settings.path(of: "idField"),
                message: "required: name the field that holds the device id, or set idFromTopicLevel to the 0-based topic level that does")
        }

        timeField = try settings.optionalString("timeField")
        if let timeField { try Self.requireNonEmpty(timeField, path: settings.path(of: "timeField")) }
        if let format = try settings.optionalString("timeFormat") {
            guard let parsed = SensorTimeFormat(rawValue: format) else {
                throw SettingsError(path: settings.path(of: "timeFormat"),
                                    message: "unknown format \(ReasonText.quoted(format)); known: \(SensorTimeFormat.spellings)")
            }
            guard timeField != nil else {
                throw SettingsError(path: settings.path(of: "timeFormat"),
                                    message: "has no effect without timeField; name the field that holds the time")
            }
            timeFormat = parsed
        } else {
            timeFormat = .iso8601
        }

        units = try settings.stringMap("units")
        for (field, code) in units where !Self.isUnitCode(code) {
            throw SettingsError(
                path: settings.path(of: "units") + ".\(field)",
                message: "\(ReasonText.quoted(code)) is not a UN/CEFACT common code; use 2 or 3 capital letters or digits such as CEL, P1, GQ")
        }

        latitudeField = try settings.optionalString("latitudeField")
        longitudeField = try settings.optionalString("longitudeField")
        switch (latitudeField, longitudeField) {
        case (let latitude?, let longitude?):
            try Self.requireNonEmpty(latitude, path: settings.path(of: "latitudeField"))
            try Self.requireNonEmpty(longitude, path: settings.path(of: "longitudeField"))
        case (nil, .some):
            throw SettingsError(path: settings.path(of: "latitudeField"), message: "required when longitudeField is set")
        case (.some, nil):
            throw SettingsError(path: settings.path(of: "longitudeField"), message: "required when latitudeField is set")
        case (nil, nil):
            break
        }

        if let list = try settings.optionalArray("fields") {
            guard !list.isEmpty else {
                throw SettingsError(path: settings.path(of: "fields"),
                                    message: "an empty list lets no reading through; remove the setting to keep every field")
            }
            var allowed: Set<String> = []
            for (index, element) in list.enumerated() {
                guard case .string(let name) = element, !name.isEmpty else {
                    throw SettingsError(path: settings.path(of: "fields") + "[\(index)]",
                                        message: "expected a field name, found \(ReasonText.describe(element))")
                }
                allowed.insert(name)
            }
            allowedFields = allowed
        } else {
            allowedFields = nil
        }

        attributeNames = try settings.stringMap("rename")
        var renamedFrom: [String: String] = [:]
        for field in attributeNames.keys.sorted() {
            let path = settings.path(of: "rename") + ".\(field)"
            let attribute = attributeNames[field, default: field]
            try Self.requireNonEmpty(attribute, path: path)
            if let other = renamedFrom[attribute] {
                throw SettingsError(path: path, message: "\(ReasonText.quoted(attribute)) is already the new name of \(ReasonText.quoted(other))")
            }
            renamedFrom[attribute] = field
        }
    }

    /// Turns one JSON object into one event, or throws a `ConnectorError` saying what is wrong with it.
    public func decode(_ envelope: Envelope) throws -> [Event] {
        let members = try Self.object(in: envelope.payload)
        let id = try deviceID(in: members, origin: envelope.origin)

        var observedAt = envelope.receivedAt
        if let timeField {
            guard let value = members[timeField], value != .null else {
                throw ConnectorError(.missingField, "time field \(ReasonText.quoted(timeField)) is missing or null" + Self.present(members))
            }
            observedAt = try timeFormat.timestamp(from: value, field: timeField)
        }

        let location = try self.location(in: members)

        var attributes: [String: Value] = [:]
        if attributeNames.isEmpty {
            // Without renames each field is its own attribute, and an object's names are unique, so
            // no two fields can become one attribute: the fields are read in the object's order,
            // and only when one is refused are they read again in name order, so that the reason
            // names the first refused field by name, as it always has.
            do {
                attributes.reserveCapacity(members.count)
                for (field, value) in members {
                    if let reading = try reading(field, value) { attributes[field] = reading }
                }
            } catch {
                attributes = try attributesInNameOrder(members)
            }
        } else {
            attributes = try attributesInNameOrder(members)
        }
        guard !attributes.isEmpty else {
            throw ConnectorError(.missingField, noReadingsReason(members))
        }

        // The device registry counts devices by `refDevice`; an entity of type Device is the device itself.
        if entityType != ObservationMapper.defaultEntityType, attributes["refDevice"] == nil {
            attributes["refDevice"] = .text(ObservationMapper.deviceURN(id))
        }
        return [Event(type: entityType, entity: EntityURN.make(type: entityType, id: id), observedAt: observedAt,
                      receivedAt: envelope.receivedAt, route: envelope.route, location: location, attributes: attributes)]
    }

    // MARK: - Reading the payload

    /// The attributes of the readings in `members`, read in name order: the first field refused in
    /// that order is the one an error names, and of two fields renamed to one attribute, the first
    /// in that order is named first.
    private func attributesInNameOrder(_ members: [String: JSONValue]) throws -> [String: Value] {
        var attributes: [String: Value] = [:]
        var sourceOfAttribute: [String: String] = [:]
        for (field, value) in members.sorted(by: { $0.key < $1.key }) {
            guard let reading = try reading(field, value) else { continue }
            let attribute = attributeNames[field] ?? field
            if let other = sourceOfAttribute[attribute] {
                throw ConnectorError(
                    .invalidField,
                    "fields \(ReasonText.quoted(other)) and \(ReasonText.quoted(field)) both become attribute \(ReasonText.quoted(attribute)); change the rename setting")
            }
            sourceOfAttribute[attribute] = field
            attributes[attribute] = reading
        }
        return attributes
    }

    /// The value of the reading in `field`; nil when the field is the id, time or location, is not
    /// among the fields the settings list, or is null. Throws when the value does not fit its unit
    /// or the field has no name.
    private func reading(_ field: String, _ value: JSONValue) throws -> Value? {
        guard !isReserved(field), allowedFields?.contains(field) ?? true,
              let reading = try self.value(of: field, value) else { return nil }
        guard !field.isEmpty else {
            throw ConnectorError(.invalidField, "a field has an empty name; attributes need one (rename can give it one: \"rename\": {\"\": \"...\"})")
        }
        return reading
    }

    /// The payload's top-level object, or an error saying why there is none.
    private static func object(in payload: Data) throws -> [String: JSONValue] {
        let format = "a JSON object of readings"
        let document = try PayloadReader.json(payload, expecting: format)
        switch document {
        case .object(let members):
            return members
        case .array(let elements):
            throw ConnectorError(
                .malformedPayload,
                "payload is a JSON array (of \(elements.count) elements), not an object; this connector reads one flat object of readings per message (for SenML packs use sensors.senml)")
        default:
            throw PayloadReader.unexpected(document, expecting: format)
        }
    }

    /// The device id, from the id field or the topic level.
    private func deviceID(in members: [String: JSONValue], origin: String) throws -> String {
        let id: String
        switch idSource {
        case .field(let field):
            var subject: String { "id field \(ReasonText.quoted(field))" }  // spelled only for a refusal
            switch members[field] {
            case nil, .null?:
                throw ConnectorError(.missingField, "\(subject) is missing" + Self.present(members))
            case .string(let text)?:
                id = text
            case .number(let number)?:
                guard number == number.rounded(), abs(number) < 1e15 else {
                    throw ConnectorError(.invalidField, "\(subject) is \(JSONValue.number(number).jsonText); a numeric id must be a whole number (below 10^15)")
                }
                id = String(Int64(number))
            case let other?:
                throw ConnectorError(.invalidField, "\(subject) must be a string or a whole number, found \(ReasonText.typeWithArticle(other))")
            }
            try Self.checkID(id, subject: subject)
        case .topicLevel(let level):
            let levels = origin.split(separator: "/", omittingEmptySubsequences: false)
            guard level < levels.count else {
                throw ConnectorError(
                    .missingField,
                    "topic \(ReasonText.quoted(origin)) has no level \(level) to take the id from (it has \(levels.count) levels, counted from 0)")
            }
            id = String(levels[level])
            try Self.checkID(id, subject: "topic level \(level) of \(ReasonText.quoted(origin))")
        }
        return id
    }

    /// Rejects ids that cannot end a URN: empty, too long, or with spaces or control characters.
    private static func checkID(_ id: String, subject: @autoclosure () -> String) throws {
        guard !id.isEmpty else { throw ConnectorError(.invalidField, "\(subject()) is empty; it must hold the device id") }
        guard id.utf8.count <= 256 else {
            throw ConnectorError(.invalidField, "\(subject()) is \(id.utf8.count) bytes long (at most 256): \(ReasonText.quoted(id))")
        }
        // Visible ASCII (the usual id) needs no look at Unicode's properties.
        if id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) { return }
        if id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConnectorError(.invalidField, "\(subject()) contains a space or control character: \(ReasonText.quoted(id))")
        }
    }

    /// The location from the latitude and longitude fields, when both are configured and present.
    private func location(in members: [String: JSONValue]) throws -> GeoPoint? {
        guard let latitudeField, let longitudeField else { return nil }
        let latitude = members[latitudeField] ?? .null
        let longitude = members[longitudeField] ?? .null
        switch (latitude, longitude) {
        case (.null, .null):
            return nil
        case (.number(let lat), .number(let lon)):
            guard let point = GeoPoint(latitude: lat, longitude: lon) else {
                throw ConnectorError(
                    .invalidField,
                    "location (\(latitudeField) \(latitude.jsonText), \(longitudeField) \(longitude.jsonText)) is outside WGS84 ranges (latitude -90...90, longitude -180...180)")
            }
            return point
        default:
            for (field, value) in [(latitudeField, latitude), (longitudeField, longitude)] {
                if value == .null {
                    throw ConnectorError(.missingField, "location field \(ReasonText.quoted(field)) is missing while the other one is present")
                }
                if value.numberValue == nil {
                    throw ConnectorError(.invalidField, "location field \(ReasonText.quoted(field)) must be a number of degrees, found \(ReasonText.describe(value))")
                }
            }
            return nil
        }
    }

    /// Whether a field is used for the id, the time or the location rather than as a reading.
    private func isReserved(_ field: String) -> Bool {
        if case .field(let idField) = idSource, idField == field { return true }
        return field == timeField || field == latitudeField || field == longitudeField
    }

    /// The attribute value of one field; nil for null.
    private func value(of field: String, _ value: JSONValue) throws -> Value? {
        let unit = units[field]
        switch value {
        case .null:
            return nil
        case .number(let number):
            return .number(number, unit: unit)
        case _ where unit != nil:
            throw ConnectorError(
                .invalidField,
                "field \(ReasonText.quoted(field)) has unit \(unit ?? "") but its value is \(ReasonText.describe(value))")
        case .string(let text):
            return .text(text)
        case .bool(let flag):
            return .boolean(flag)
        case .array, .object:
            return .json(value)
        }
    }

    /// Why an object gave no attribute.
    private func noReadingsReason(_ members: [String: JSONValue]) -> String {
        let candidates = members.keys.filter { !isReserved($0) }
        if candidates.isEmpty {
            return "no readings: the object has no fields besides the id, time and location" + Self.present(members)
        }
        if let allowedFields, !candidates.contains(where: allowedFields.contains) {
            return "no readings: none of the fields the fields setting lists (\(allowedFields.sorted().joined(separator: ", "))) is in the object"
                + Self.present(members)
        }
        return "no readings: every reading in the object is null" + Self.present(members)
    }

    /// ` (fields present: a, b, c)`, for messages about a missing field; at most 10 names.
    private static func present(_ members: [String: JSONValue]) -> String {
        guard !members.isEmpty else { return " (the object is empty)" }
        let names = members.keys.sorted()
        let shown = names.prefix(10).map { ReasonText.quoted($0) }.joined(separator: ", ")
        return " (fields present: \(shown)\(names.count > 10 ? ", ..." : ""))"
    }

    // MARK: - Settings helpers

    private static func requireNonEmpty(_ value: String, path: String) throws {
        if value.isEmpty { throw SettingsError(path: path, message: "must not be empty") }
    }

    /// Whether text looks like a UN/CEFACT Recommendation 20 common code: 2 or 3 capital letters or digits.
    private static func isUnitCode(_ code: String) -> Bool {
        (2...3).contains(code.unicodeScalars.count)
            && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
