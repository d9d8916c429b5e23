/// A connector's settings from the config, with typed accessors whose errors name the setting.
public struct Settings: Sendable {
    /// The settings object.
    public let members: [String: JSONValue]
    /// Where these settings sit in the config, e.g. `routes[2].settings`.
    public let path: String

    /// Wraps a settings value; anything but an object (or null, read as empty) is an error.
    public init(_ value: JSONValue, path: String = "settings") throws {
        switch value {
        case .object(let members): self.members = members
        case .null: self.members = [:]
        default: throw SettingsError(path: path, message: "expected an object, found \(value.typeName)")
        }
        self.path = path
    }

    /// The path of one member, for messages.
    public func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else {
            throw SettingsError(path: path(of: key), message: "required string is missing")
        }
        return value
    }

    /// A string, or nil when absent.
    public func optionalString(_ key: String) throws -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw SettingsError(path: path(of: key), message: "expected a string, found \(other.typeName)")
        }
    }

    /// A number, or nil when absent.
    public func optionalNumber(_ key: String) throws -> Double? {
        switch members[key] {
        case nil, .null?: return nil
        case .number(let n)?: return n
        case let other?: throw SettingsError(path: path(of: key), message: "expected a number, found \(other.typeName)")
        }
    }

    /// A boolean, or nil when absent.
    public func optionalBool(_ key: String) throws -> Bool? {
        switch members[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw SettingsError(path: path(of: key), message: "expected true or false, found \(other.typeName)")
        }
    }

    /// A whole number within `range`, or nil when absent.
    public func optionalInteger(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let number = try optionalNumber(key) else { return nil }
        guard number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw SettingsError(path: path(of: key), message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(JSONValue.number(number).jsonText)")
        }
        return Int(number)
    }

    /// An array, or nil when absent.
    public func optionalArray(_ key: String) throws -> [JSONValue]? {
        switch members[key] {
        case nil, .null?: return nil
        case .array(let elements)?: return elements
        case let other?: throw SettingsError(path: path(of: key), message: "expected an array, found \(other.typeName)")
        }
    }

    /// An array of non-empty strings (e.g. route or type names) as a set, empty when absent.
    public func nameSet(_ key: String) throws -> Set<String> {
        var names: Set<String> = []
        for (index, value) in (try optionalArray(key) ?? []).enumerated() {
            guard let name = value.stringValue, !name.isEmpty else {
                throw SettingsError(path: "\(path(of: key))[\(index)]", message: "expected a name, found \(value.typeName)")
            }
            names.insert(name)
        }
        return names
    }

    /// A nested settings object, or nil when absent.
    public func optionalObject(_ key: String) throws -> Settings? {
        guard let value = members[key], value != .null else { return nil }
        guard case .object = value else {
            throw SettingsError(path: path(of: key), message: "expected an object, found \(value.typeName)")
        }
        return try Settings(value, path: path(of: key))
    }

    /// An object whose members are all strings (e.g. units by field), empty when absent.
    public func stringMap(_ key: String) throws -> [String: String] {
        guard let object = try optionalObject(key) else { return [:] }
        var result: [String: String] = [:]
        for name in object.members.keys { result[name] = try object.string(name) }
        return result
    }

    /// Throws when a member is not one the connector knows, so that a misspelt setting is not silently ignored.
    public func rejectUnknownKeys(_ allowed: Set<String>) throws {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw SettingsError(
                path: path(of: unknown),
                message: "unknown setting; known: \(allowed.sorted().joined(separator: ", "))")
        }
    }
}

/// A setting (or config entry) that cannot be used, with the path that names it.
public struct SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the bad value sits, e.g. `routes[2].settings.units.temperature`.
    public var path: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error for the value at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
