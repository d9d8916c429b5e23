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
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends compact, key-sorted JSON text to `out`.
    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): JSONText.appendNumber(n, to: &out)
        case .string(let s): JSONText.appendString(s, to: &out)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            // Members sorted with their values, so that no key is hashed and looked up again.
            out += "{"
            var first = true
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if !first { out += "," }
                first = false
                JSONText.appendString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }
}

/// The two leaves of JSON output. The hub writes its own records' JSON directly (rather than
/// through JSONSerialization) so that output is deterministic and no `Any` tree is built per event.
public enum JSONText {
    /// Appends a JSON string literal, escaped per RFC 8259.
    public static func appendString(_ string: String, to out: inout String) {
        // Most names and values need no escaping: copy those whole.
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out += "\""
            out += string
            out += "\""
            return
        }
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20 || c.value == 0x2028 || c.value == 0x2029:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Appends a JSON number: integers without a fraction, others in the shortest form that
    /// reads back to the same Double; NaN and infinities (which JSON cannot carry) as null.
    public static func appendNumber(_ number: Double, to out: inout String) {
        if !number.isFinite {
            out += "null"
        } else if number == number.rounded(), abs(number) < 1e15 {
            out += String(Int64(number))
        } else {
            out += "\(number)"
        }
    }
}
