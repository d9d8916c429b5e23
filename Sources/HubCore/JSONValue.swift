import Foundation

/// A JSON document as a value: what connector settings, configuration and nested attributes are made of.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// Parses JSON text (RFC 8259, UTF-8) with `JSONReader`, straight from the bytes.
    ///
    /// - Throws: `JSONParseError` saying where the text stops being JSON; invalid UTF-8 is
    ///   reported with the offset of the first bad byte.
    public init(parsing data: Data) throws {
        if let offset = UTF8Validation.firstInvalidByteOffset(in: data) {
            throw JSONParseError(message: "payload is not valid UTF-8 (bad byte at offset \(offset))")
        }
        self = try data.withUnsafeBytes { raw in try JSONReader.read(raw.bindMemory(to: UInt8.self)) }
    }

    /// Parses JSON text given as a string.
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    /// The value when this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The value when this is a number.
    public var numberValue: Double? { if case .number(let n) = self { n } else { nil } }
    /// The value when this is a boolean.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The members when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// A member of an object, or nil.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// A short name of the JSON type, for messages: "object", "array", "string", ...
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Why a payload could not be read as JSON.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence a person can act on.
    public var message: String
    public var description: String { message }
}

// MARK: - Writing

extension JSONValue {
    /// Compact JSON text with object keys sorted, so that equal values always give equal text.
    public var jsonText: String {
        var out = JSONOutput(reservingCapacity: 64)
        write(to: &out)
        return out.text
    }

    /// Appends compact, key-sorted JSON text to `out`.
    public func write(to out: inout JSONOutput) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let n): out.appendNumber(n)
        case .string(let s): out.appendString(s)
        case .array(let elements):
            out.append("[")
            for index in elements.indices {
                if index > 0 { out.append(",") }
                elements[index].write(to: &out)
            }
            out.append("]")
        case .object(let members):
            out.appendObject(members) { value, out in value.write(to: &out) }
        }
    }
}

/// The two leaves of JSON output, for text built as a `String` (reasons, single values); records
/// are written whole with `JSONOutput`, whose escaping and number forms these are.
public enum JSONText {
    /// Appends a JSON string literal, escaped per RFC 8259.
    public static func appendString(_ string: String, to out: inout String) {
        var literal = JSONOutput(reservingCapacity: string.utf8.count + 2)
        literal.appendString(string)
        out += literal.text
    }

    /// Appends a JSON number: integers without a fraction, others in the shortest form that
    /// reads back to the same Double; NaN and infinities (which JSON cannot carry) as null.
    public static func appendNumber(_ number: Double, to out: inout String) {
        var literal = JSONOutput(reservingCapacity: 24)
        literal.appendNumber(number)
        out += literal.text
    }
}
