import Foundation

/// Reads the JSON payloads connectors receive. Each reader is told what it expects and where, so
/// that every dead letter's reason reads the same way, whichever connector wrote it:
///
/// - `payload is not valid JSON: <why>; expected a GBFS document`
/// - `payload is an array, not a The Things Stack uplink`
/// - `data.stations[2].station_id is missing`
/// - `uplink_message.f_port must be a whole number, found a string ("2")`
///
/// Paths are written as the payload's own keys, from its root: `data.stations[2].station_id`.
public enum PayloadReader {
    /// Parses a JSON payload; `format` names what was expected, with its article (`a SenML pack`).
    /// - Throws: `ConnectorError` when the payload is empty, not UTF-8 or not JSON.
    public static func json(_ payload: Data, expecting format: String) throws -> JSONValue {
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ConnectorError(.malformedPayload, "payload is empty (or only whitespace); expected \(format)")
        }
        do {
            return try JSONValue(parsing: payload)
        } catch let error as JSONParseError {
            throw ConnectorError(.malformedPayload, "\(error.message); expected \(format)")
        }
    }

    /// Parses a payload that must be one JSON object; `format` names it (`a GBFS document`).
    public static func object(_ payload: Data, expecting format: String) throws -> [String: JSONValue] {
        let document = try json(payload, expecting: format)
        guard case .object(let members) = document else { throw unexpected(document, expecting: format) }
        return members
    }

    /// The reason for a payload that parsed but is not what was expected: `payload is <what>, not <format>`.
    public static func unexpected(_ document: JSONValue, expecting format: String) -> ConnectorError {
        ConnectorError(.malformedPayload, "payload is \(ReasonText.describe(document)), not \(format)")
    }

    /// A member that must be present and an object.
    public static func object(_ value: JSONValue?, at path: String) throws -> [String: JSONValue] {
        guard case .object(let members) = try present(value, at: path) else {
            throw mismatch(value, at: path, expected: "an object")
        }
        return members
    }

    /// A member that must be present and an array.
    public static func array(_ value: JSONValue?, at path: String) throws -> [JSONValue] {
        guard case .array(let elements) = try present(value, at: path) else {
            throw mismatch(value, at: path, expected: "an array")
        }
        return elements
    }

    /// A member that must be present and a non-empty string.
    public static func string(_ value: JSONValue?, at path: String) throws -> String {
        guard case .string(let text) = try present(value, at: path), !text.isEmpty else {
            throw mismatch(value, at: path, expected: "a non-empty string")
        }
        return text
    }

    /// A whole number; nil when absent or null.
    public static func integer(_ value: JSONValue?, at path: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw mismatch(value, at: path, expected: "a whole number")
        }
        return Int(number)
    }

    /// A time written as RFC 3339 text with a zone (`2026-11-22T08:00:00Z`), or, when
    /// `allowingEpochSeconds`, as a number of seconds since 1970 (GBFS 2.x); nil when absent or null.
    public static func time(_ value: JSONValue?, at path: String, allowingEpochSeconds: Bool = false) throws -> Timestamp? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            if let time = Timestamp(iso8601: text) { return time }
        case .number(let seconds)? where allowingEpochSeconds:
            if let time = Timestamp(secondsSinceEpoch: seconds) { return time }
        default:
            break
        }
        let expected = "an RFC 3339 date-time with a zone (like \"2026-11-22T08:00:00Z\")"
        throw mismatch(value, at: path, expected: allowingEpochSeconds ? "\(expected) or seconds since 1970" : expected)
    }

    /// A string member, or a whole number written as one (ids are either in the wild); nil otherwise.
    public static func identifier(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text.isEmpty ? nil : text
        case .number(let number)?: number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: nil
        }
    }

    /// A number attribute; nil when absent or not a number.
    public static func number(_ value: JSONValue?, unit: String? = nil) -> Value? {
        value?.numberValue.map { .number($0, unit: unit) }
    }

    /// A text attribute; nil when absent or not text.
    public static func text(_ value: JSONValue?) -> Value? { value?.stringValue.map(Value.text) }

    /// A boolean attribute; nil when absent or not a boolean.
    public static func boolean(_ value: JSONValue?) -> Value? { value?.boolValue.map(Value.boolean) }

    /// The reason for a value at `path` that is not what was expected: `<path> must be <expected>, found <what>`.
    public static func mismatch(_ value: JSONValue?, at path: String, expected: String) -> ConnectorError {
        ConnectorError(.invalidField, "\(path) must be \(expected), found \(value.map(ReasonText.describe) ?? "nothing")")
    }

    /// The value, or the reason `<path> is missing` when it is absent or null.
    private static func present(_ value: JSONValue?, at path: String) throws -> JSONValue {
        guard let value, value != .null else { throw ConnectorError(.missingField, "\(path) is missing") }
        return value
    }
}
