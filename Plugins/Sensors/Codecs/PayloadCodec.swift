import Foundation
import HubCore

/// Decodes the raw bytes of a LoRaWAN uplink into readings, described in settings rather than code:
/// a list of integers at byte offsets, each with a scale, an offset to add and a unit.
///
/// ```json
/// {"fields": [{"name": "temperature", "offset": 0, "type": "int16", "scale": 0.01, "unit": "CEL"},
///             {"name": "relativeHumidity", "offset": 2, "type": "uint8", "scale": 0.01}]}
/// ```
struct PayloadCodec: Sendable, Hashable {
    /// The fields, in the order given.
    let fields: [ByteField]

    /// Reads a codec from its settings object.
    init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["fields"])
        guard let list = try settings.optionalArray("fields"), !list.isEmpty else {
            throw SettingsError(path: settings.path(of: "fields"), message: "required: a non-empty list of {\"name\", \"offset\", \"type\", ...}")
        }
        fields = try list.enumerated().map { index, element in
            try ByteField(settings: Settings(element, path: settings.path(of: "fields") + "[\(index)]"))
        }
    }

    /// The readings in `bytes`; throws a `ConnectorError` when the payload is shorter than a field needs.
    func readings(in bytes: [UInt8], port: Int) throws -> [Reading] {
        try fields.map { field in
            guard let value = field.value(in: bytes) else {
                throw ConnectorError(
                    .invalidField,
                    "payload has \(bytes.count) bytes but the codec for port \(port) reads \(ReasonText.quoted(field.name)) from bytes \(field.offset)..<\(field.offset + field.kind.width)")
            }
            return Reading(field.name, .number(value), unit: field.unit)
        }
    }

    /// The codecs of a `codecs` setting, by LoRaWAN port (`"1": {...}`; `"*"` for every other port).
    static func table(_ settings: Settings) throws -> [String: PayloadCodec] {
        guard let object = try settings.optionalObject("codecs") else { return [:] }
        var table: [String: PayloadCodec] = [:]
        for (port, value) in object.members {
            guard port == "*" || (Int(port).map { (1...255).contains($0) } ?? false) else {
                throw SettingsError(path: object.path(of: port), message: "codecs are keyed by LoRaWAN port (1 to 255) or \"*\"")
            }
            table[port] = try PayloadCodec(settings: Settings(value, path: object.path(of: port)))
        }
        return table
    }

    /// Decodes base64 `payload` with the codec for `port`; throws the reason when there is no codec
    /// or the bytes do not fit it.
    static func decode(base64 payload: String?, port: Int?, codecs: [String: PayloadCodec], field: String) throws -> [Reading] {
        guard let payload else {
            throw ConnectorError(.missingField, "uplink has neither decoded readings nor \(field) to decode")
        }
        guard let bytes = Data(base64Encoded: payload) else {
            throw ConnectorError(.invalidField, "\(field) is not base64: \(ReasonText.quoted(payload))")
        }
        guard let codec = port.flatMap({ codecs[String($0)] }) ?? codecs["*"] else {
            throw ConnectorError(
                .missingField,
                "uplink has no decoded payload and no codec is configured for port \(port.map(String.init) ?? "(none)"); add one under settings.codecs or decode on the network server")
        }
        return try codec.readings(in: [UInt8](bytes), port: port ?? 0)
    }
}
