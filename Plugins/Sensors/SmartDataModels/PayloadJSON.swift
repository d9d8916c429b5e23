import Foundation
import HubCore

/// Small readers of JSON payloads shared by the network-server connectors, each throwing a
/// `ConnectorError` that names the field.
enum PayloadJSON {
    /// The payload's top-level object; `format` names what was expected, for the reason.
    static func object(_ payload: Data, format: String) throws -> [String: JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: payload)
        } catch let error as JSONParseError {
            throw ConnectorError(.malformedPayload, "\(error.message) (expected \(format))")
        }
        guard case .object(let members) = document else {
            throw ConnectorError(.malformedPayload, "payload is \(ReasonText.typeWithArticle(document)), not \(format)")
        }
        return members
    }

    /// A required object member.
    static func object(_ members: [String: JSONValue], _ key: String, in context: String) throws -> [String: JSONValue] {
        guard let value = members[key], value != .null else {
            throw ConnectorError(.missingField, "\(context)\(key) is missing")
        }
        guard case .object(let object) = value else {
            throw ConnectorError(.invalidField, "\(context)\(key) must be an object, found \(ReasonText.typeWithArticle(value))")
        }
        return object
    }

    /// A required non-empty string member.
    static func string(_ members: [String: JSONValue], _ key: String, in context: String) throws -> String {
        guard let value = members[key], value != .null else {
            throw ConnectorError(.missingField, "\(context)\(key) is missing")
        }
        guard case .string(let text) = value, !text.isEmpty else {
            throw ConnectorError(.invalidField, "\(context)\(key) must be a non-empty string, found \(ReasonText.describe(value))")
        }
        return text
    }

    /// A time member in ISO 8601; nil when absent.
    static func time(_ members: [String: JSONValue], _ key: String, in context: String) throws -> Timestamp? {
        guard let value = members[key], value != .null else { return nil }
        guard case .string(let text) = value, let time = Timestamp(iso8601: text) else {
            throw ConnectorError(.invalidField, "\(context)\(key) is not an ISO 8601 date-time with a zone: \(ReasonText.describe(value))")
        }
        return time
    }

    /// A whole-number member; nil when absent.
    static func integer(_ members: [String: JSONValue], _ key: String, in context: String) throws -> Int? {
        guard let value = members[key], value != .null else { return nil }
        guard case .number(let n) = value, n == n.rounded(), abs(n) < 1e15 else {
            throw ConnectorError(.invalidField, "\(context)\(key) must be a whole number, found \(ReasonText.describe(value))")
        }
        return Int(n)
    }

    /// The readings of a decoded-payload object, in name order.
    static func readings(_ object: [String: JSONValue]) -> [Reading] {
        object.sorted { $0.key < $1.key }.map { Reading($0.key, $0.value) }
    }

    /// The best reception among radio metadata entries, reading `rssi`, `snr` and the gateway id
    /// through `gatewayID`.
    static func bestReception(_ entries: JSONValue?, gatewayID: ([String: JSONValue]) -> String?) -> (rssi: Double?, snr: Double?, gateway: String?)? {
        let receptions = (entries?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            (rssi: entry["rssi"]?.numberValue, snr: entry["snr"]?.numberValue, gateway: gatewayID(entry))
        }
        return RadioMetadata.best(of: receptions)
    }
}
