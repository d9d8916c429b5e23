import Foundation
import HubCore

/// Reading the JSON feeds of the mobility connectors: parsing with a reason a person can act on,
/// and the few value shapes these formats share (epoch seconds or RFC 3339 text).
enum MobilityJSON {
    /// The payload as a JSON object, or a `ConnectorError` naming the format that was expected.
    static func object(_ payload: Data, format: String) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: payload)
        } catch {
            throw ConnectorError(.malformedPayload, "not valid JSON, so not a \(format) document: \(error)")
        }
        guard let object = value.objectValue else {
            throw ConnectorError(.malformedPayload, "a \(format) document is a JSON object; found \(value.typeName)")
        }
        return object
    }

    /// A member that must be an object.
    static func object(_ value: JSONValue?, _ path: String) throws -> [String: JSONValue] {
        guard let value else { throw ConnectorError(.missingField, "\(path) is missing") }
        guard let object = value.objectValue else {
            throw ConnectorError(.invalidField, "\(path) should be an object; found \(value.typeName)")
        }
        return object
    }

    /// A member that must be an array.
    static func array(_ value: JSONValue?, _ path: String) throws -> [JSONValue] {
        guard let value else { throw ConnectorError(.missingField, "\(path) is missing") }
        guard let array = value.arrayValue else {
            throw ConnectorError(.invalidField, "\(path) should be an array; found \(value.typeName)")
        }
        return array
    }

    /// A time given as seconds since the epoch (GBFS 2.x) or RFC 3339 text (GBFS 3.0, SIRI).
    static func time(_ value: JSONValue?, _ path: String) throws -> Timestamp? {
        switch value {
        case nil, .null?: return nil
        case .number(let seconds)?:
            guard let time = Timestamp(secondsSinceEpoch: seconds) else {
                throw ConnectorError(.invalidField, "\(path) \(seconds) is not a time in seconds since 1970")
            }
            return time
        case .string(let text)?:
            guard let time = Timestamp(iso8601: text) else {
                throw ConnectorError(.invalidField, "\(path) \"\(text.prefix(40))\" is not an RFC 3339 date-time with a zone")
            }
            return time
        case let other?:
            throw ConnectorError(.invalidField, "\(path) should be a time; found \(other.typeName)")
        }
    }

    /// A number-valued attribute, nil when absent or not a number.
    static func number(_ value: JSONValue?, unit: String? = nil) -> Value? {
        value?.numberValue.map { .number($0, unit: unit) }
    }

    /// A text attribute, nil when absent or not text.
    static func text(_ value: JSONValue?) -> Value? { value?.stringValue.map(Value.text) }

    /// A boolean attribute, nil when absent or not a boolean.
    static func boolean(_ value: JSONValue?) -> Value? { value?.boolValue.map(Value.boolean) }

    /// A string member, or a number member written as text (ids are either in the wild).
    static func identifier(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text.isEmpty ? nil : text
        case .number(let number)?: number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: nil
        }
    }
}
