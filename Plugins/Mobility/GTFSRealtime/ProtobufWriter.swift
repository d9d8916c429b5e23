import Foundation

/// Writes the protocol buffers wire format, field by field: the demo's GTFS-Realtime replay
/// (`GTFSRealtimeReplay`), the tests' feeds (good and broken) and the benchmark's generated feed.
public struct ProtobufWriter: Sendable {
    /// What has been written so far.
    public var bytes: [UInt8] = []

    /// An empty message.
    public init() {}

    /// Appends a base-128 varint (no tag).
    public mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends a field's tag: its number and wire type.
    public mutating func tag(_ field: Int, _ wireType: UInt8) { varint(UInt64(field) << 3 | UInt64(wireType)) }

    /// Appends an unsigned varint field.
    public mutating func uint(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    /// Appends a signed varint field (`int32`/`int64`: two's complement, not zigzag).
    public mutating func int(_ field: Int, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

    /// Appends a 32-bit float field.
    public mutating func float(_ field: Int, _ value: Float) {
        tag(field, 5)
        let bits = value.bitPattern
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(index)))) }
    }

    /// Appends a string field.
    public mutating func string(_ field: Int, _ value: String) {
        tag(field, 2)
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    /// Appends a nested message field, written by `build`.
    public mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        tag(field, 2)
        varint(UInt64(nested.bytes.count))
        bytes += nested.bytes
    }

    /// Appends bytes already encoded (a field copied whole).
    public mutating func raw<Bytes: Sequence>(_ encoded: Bytes) where Bytes.Element == UInt8 { bytes += encoded }

    /// The message's bytes.
    public var data: Data { Data(bytes) }
}
