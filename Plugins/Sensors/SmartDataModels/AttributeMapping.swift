import HubCore

/// Where one reading of a device goes: the attribute name it takes in the event, the value type it
/// must have, and its unit (a UN/CEFACT common code).
struct AttributeMapping: Sendable, Hashable {
    /// The kind of value a mapped reading must be (the IoT Agent's attribute types).
    enum ValueType: String, Sendable, CaseIterable {
        case number = "Number", text = "Text", boolean = "Boolean"
    }

    /// The attribute name in the event.
    var name: String
    /// The type the value is converted to, when given.
    var type: ValueType?
    /// The unit code a number carries.
    var unit: String?

    /// Reads a mapping: a string (the attribute name) or `{"name": ..., "type": ..., "unit": ...}`.
    init(_ value: JSONValue, path: String) throws {
        switch value {
        case .string(let name):
            try Self.checkName(name, path: path)
            self.name = name
        case .object:
            let settings = try Settings(value, path: path)
            try settings.rejectUnknownKeys(["name", "type", "unit"])
            name = try settings.string("name")
            try Self.checkName(name, path: settings.path(of: "name"))
            if let typeName = try settings.optionalString("type") {
                guard let type = ValueType(rawValue: typeName) else {
                    throw SettingsError(path: settings.path(of: "type"), message: "unknown type \(ReasonText.quoted(typeName)); known: Number, Text, Boolean")
                }
                self.type = type
            }
            unit = try settings.optionalString("unit")
            if let unit { try Self.checkUnit(unit, path: settings.path(of: "unit")) }
        default:
            throw SettingsError(path: path, message: "expected an attribute name or an object {\"name\", \"type\", \"unit\"}, found \(ReasonText.describe(value))")
        }
    }

    /// A mapping given in code.
    init(name: String, type: ValueType? = nil, unit: String? = nil) {
        self.name = name
        self.type = type
        self.unit = unit
    }

    /// Reads an object of mappings, reading name -> mapping; empty when absent.
    static func table(_ settings: Settings, key: String) throws -> [String: AttributeMapping] {
        guard let object = try settings.optionalObject(key) else { return [:] }
        var table: [String: AttributeMapping] = [:]
        for (reading, value) in object.members {
            table[reading] = try AttributeMapping(value, path: object.path(of: reading))
        }
        return table
    }

    /// Rejects a unit that is not written like a UN/CEFACT common code (2 or 3 capitals or digits).
    static func checkUnit(_ code: String, path: String) throws {
        guard (2...3).contains(code.unicodeScalars.count),
              code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw SettingsError(path: path, message: "\(ReasonText.quoted(code)) is not a UN/CEFACT common code; use 2 or 3 capital letters or digits such as CEL, GQ, 2N")
        }
    }

    private static func checkName(_ name: String, path: String) throws {
        if name.isEmpty { throw SettingsError(path: path, message: "an attribute name must not be empty") }
    }
}
