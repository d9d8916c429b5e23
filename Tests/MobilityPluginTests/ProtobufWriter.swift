import Foundation

/// Writes the protobuf wire format, to build GTFS-Realtime feeds (good and broken) in tests.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt8) { varint(UInt64(field) << 3 | UInt64(wireType)) }

    mutating func uint(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    mutating func int(_ field: Int, _ value: Int64) { uint(field, UInt64(bitPattern: value)) }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, 5)
        let bits = value.bitPattern
        for index in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(index)))) }
    }

    mutating func string(_ field: Int, _ value: String) {
        tag(field, 2)
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        tag(field, 2)
        varint(UInt64(nested.bytes.count))
        bytes += nested.bytes
    }

    var data: Data { Data(bytes) }
}
