import HubCore

/// One number at a byte offset of a LoRaWAN payload: how to read it and what it means.
struct ByteField: Sendable, Hashable {
    /// How the bytes are read.
    enum Kind: String, Sendable, CaseIterable {
        case uint8, int8, uint16, int16, uint24, int24, uint32, int32

        /// How many bytes the field takes.
        var width: Int {
            switch self {
            case .uint8, .int8: 1
            case .uint16, .int16: 2
            case .uint24, .int24: 3
            case .uint32, .int32: 4
            }
        }

        var isSigned: Bool { rawValue.hasPrefix("int") }
    }

    /// The reading's name.
    var name: String
    /// The first byte, counted from 0.
    var offset: Int
    /// The integer's width and signedness.
    var kind: Kind
    /// Whether the first byte is the least significant (LoRaWAN devices mostly send big-endian).
    var littleEndian: Bool
    /// The raw integer is multiplied by this, then `add` is added.
    var scale: Double
    /// Added after scaling.
    var add: Double
    /// The UN/CEFACT unit code of the result.
    var unit: String?

    /// Reads a field from `{"name","offset","type","scale","add","unit","endian"}`.
    init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["name", "offset", "type", "scale", "add", "unit", "endian"])
        name = try settings.string("name")
        if name.isEmpty { throw SettingsError(path: settings.path(of: "name"), message: "must not be empty") }
        offset = try settings.optionalInteger("offset", in: 0...241) ?? 0
        let typeName = try settings.string("type")
        guard let kind = Kind(rawValue: typeName) else {
            throw SettingsError(path: settings.path(of: "type"),
                                message: "unknown type \(ReasonText.quoted(typeName)); known: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.kind = kind
        switch try settings.optionalString("endian") ?? "big" {
        case "big": littleEndian = false
        case "little": littleEndian = true
        case let other: throw SettingsError(path: settings.path(of: "endian"), message: "\(ReasonText.quoted(other)) is neither \"big\" nor \"little\"")
        }
        scale = try settings.optionalNumber("scale") ?? 1
        add = try settings.optionalNumber("add") ?? 0
        unit = try settings.optionalString("unit")
        if let unit { try AttributeMapping.checkUnit(unit, path: settings.path(of: "unit")) }
    }

    /// The scaled value of this field in `bytes`, or nil when the payload is too short for it.
    func value(in bytes: [UInt8]) -> Double? {
        guard offset + kind.width <= bytes.count else { return nil }
        var raw: UInt64 = 0
        for index in 0..<kind.width {
            let byte = bytes[offset + (littleEndian ? kind.width - 1 - index : index)]
            raw = raw << 8 | UInt64(byte)
        }
        var integer = Int64(raw)
        let bits = kind.width * 8
        if kind.isSigned, raw & (1 << UInt64(bits - 1)) != 0 { integer -= Int64(1) << Int64(bits) }
        return Double(integer) * scale + add
    }
}
