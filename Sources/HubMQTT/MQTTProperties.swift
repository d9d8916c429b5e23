import CMosquitto
import Foundation

/// MQTT 5 properties copied out of a libmosquitto property list, by their names in the MQTT 5
/// specification as libmosquitto spells them (`content-type`, `response-topic`,
/// `payload-format-indicator`, ...): what a connector finds in `Envelope.headers`.
///
/// Numbers are written in decimal, binary values (`correlation-data`) in base64. User properties
/// are kept under their own names, lowercased; a name given more than once has its values joined
/// with ", " (as HTTP joins repeated headers), as are the subscription identifiers of a message
/// that several subscriptions brought. The specification's own properties win over a user
/// property of the same name.
enum MQTTProperties {
    /// The properties of `list` as names and values; empty for nil (MQTT 3.1.1, or none sent).
    static func read(_ list: OpaquePointer?) -> [String: String] {
        var standard: [String: String] = [:]
        var user: [String: String] = [:]
        var property = list
        while let current = property {
            defer { property = mosquitto_property_next(current) }
            let identifier = mosquitto_property_identifier(current)
            if identifier == Int32(MQTT_PROP_USER_PROPERTY.rawValue) {
                if let (name, value) = stringPair(current, identifier) {
                    let key = name.lowercased()
                    user[key] = user[key].map { $0 + ", " + value } ?? value
                }
            } else if let name = mosquitto_property_identifier_to_string(identifier).map({ String(cString: $0) }),
                      let value = value(current, identifier, name: name) {
                // Only the subscription identifier may come more than once (MQTT 5 §3.3.2.3.8).
                standard[name] = standard[name].map { $0 + ", " + value } ?? value
            }
        }
        return user.merging(standard) { _, specified in specified }
    }

    /// The value of one property that is not a user property, as text.
    private static func value(_ property: OpaquePointer, _ identifier: Int32, name: String) -> String? {
        var type: Int32 = 0
        var ignored: Int32 = 0
        guard mosquitto_string_to_property_info(name, &ignored, &type) == MOSQ_ERR_SUCCESS.rawValue else { return nil }
        switch type {
        case Int32(MQTT_PROP_TYPE_BYTE.rawValue):
            var byte: UInt8 = 0
            return mosquitto_property_read_byte(property, identifier, &byte, false) == nil ? nil : String(byte)
        case Int32(MQTT_PROP_TYPE_INT16.rawValue):
            var number: UInt16 = 0
            return mosquitto_property_read_int16(property, identifier, &number, false) == nil ? nil : String(number)
        case Int32(MQTT_PROP_TYPE_INT32.rawValue):
            var number: UInt32 = 0
            return mosquitto_property_read_int32(property, identifier, &number, false) == nil ? nil : String(number)
        case Int32(MQTT_PROP_TYPE_VARINT.rawValue):
            var number: UInt32 = 0
            return mosquitto_property_read_varint(property, identifier, &number, false) == nil ? nil : String(number)
        case Int32(MQTT_PROP_TYPE_BINARY.rawValue):
            var bytes: UnsafeMutableRawPointer?
            var count: UInt16 = 0
            guard mosquitto_property_read_binary(property, identifier, &bytes, &count, false) != nil else { return nil }
            defer { free(bytes) }
            return bytes.map { Data(bytes: $0, count: Int(count)) }.map { $0.base64EncodedString() } ?? ""
        case Int32(MQTT_PROP_TYPE_STRING.rawValue):
            var text: UnsafeMutablePointer<CChar>?
            guard mosquitto_property_read_string(property, identifier, &text, false) != nil else { return nil }
            defer { free(text) }
            return text.map { String(cString: $0) } ?? ""
        default:
            return nil
        }
    }

    private static func stringPair(_ property: OpaquePointer, _ identifier: Int32) -> (String, String)? {
        var name: UnsafeMutablePointer<CChar>?
        var value: UnsafeMutablePointer<CChar>?
        guard mosquitto_property_read_string_pair(property, identifier, &name, &value, false) != nil else { return nil }
        defer {
            free(name)
            free(value)
        }
        return (name.map { String(cString: $0) } ?? "", value.map { String(cString: $0) } ?? "")
    }

    /// The `reason-string` a broker may add to a DISCONNECT or CONNACK, if any.
    static func reasonString(_ list: OpaquePointer?) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        guard let list, mosquitto_property_read_string(list, Int32(MQTT_PROP_REASON_STRING.rawValue), &text, false) != nil else {
            return nil
        }
        defer { free(text) }
        return text.map { String(cString: $0) }
    }
}
