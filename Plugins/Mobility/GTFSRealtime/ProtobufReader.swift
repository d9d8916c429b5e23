/// Reads the protocol buffers wire format (varints, fixed-width numbers, length-delimited fields
/// and groups) from a byte range, checking every length against the bytes that are there.
///
/// It knows nothing of any schema: `GTFSRealtimeFeed` asks it for fields by number and skips what
/// it does not know, as protobuf requires (unknown fields and extensions are skipped, groups are
/// skipped up to their matching end tag).
struct ProtobufReader {
    /// The wire types of the protobuf encoding.
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    /// How deeply groups may nest before the payload is refused (protobuf's own limit is 100).
    static let maximumGroupDepth = 64

    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read, from the start of the whole payload.
    private(set) var position: Int
    private let end: Int

    /// A reader over all of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    private init(bytes: UnsafeRawBufferPointer, position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    /// Whether every byte of this range has been read.
    var isAtEnd: Bool { position >= end }

    /// Reads a field's tag: its number and wire type.
    mutating func readTag() throws(ProtobufError) -> (field: Int, wireType: WireType) {
        let start = position
        let key = try readVarint()
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw ProtobufError("invalid wire type \(key & 7)", at: start)
        }
        let field = key >> 3
        guard field > 0, field <= 536_870_911 else { throw ProtobufError("invalid field number \(field)", at: start) }
        return (Int(field), wireType)
    }

    /// Reads a base-128 varint of at most 10 bytes.
    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw ProtobufError("truncated varint", at: start) }
            let byte = bytes[position]
            position += 1
            if shift < 64 { result |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift >= 70 { throw ProtobufError("varint longer than 10 bytes", at: start) }
        }
    }

    /// Reads 4 little-endian bytes.
    mutating func readFixed32() throws(ProtobufError) -> UInt32 {
        guard end - position >= 4 else { throw ProtobufError("truncated 32-bit value", at: position) }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// Reads 8 little-endian bytes.
    mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        guard end - position >= 8 else { throw ProtobufError("truncated 64-bit value", at: position) }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    /// Reads a length prefix and returns a reader over exactly that many following bytes.
    mutating func readLengthDelimited() throws(ProtobufError) -> ProtobufReader {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw ProtobufError("length \(length) runs past the end of the data (\(end - position) bytes left)", at: start)
        }
        let nested = ProtobufReader(bytes: bytes, position: position, end: position + Int(length))
        position += Int(length)
        return nested
    }

    /// Reads a length-delimited field as UTF-8 text (invalid sequences become U+FFFD).
    mutating func readString() throws(ProtobufError) -> String {
        let nested = try readLengthDelimited()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nested.position..<nested.end]), as: UTF8.self)
    }

    /// The payload's bytes from offset `start` up to the current position (a field just read, for copying it whole).
    func bytesRead(since start: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[start..<position]) }

    /// The bytes of this range that have not been read yet.
    var remainingBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[position..<end]) }

    /// Reads a 32-bit float.
    mutating func readFloat() throws(ProtobufError) -> Float { Float(bitPattern: try readFixed32()) }

    /// Reads a 64-bit float.
    mutating func readDouble() throws(ProtobufError) -> Double { Double(bitPattern: try readFixed64()) }

    /// Skips the value of a field this reader's caller does not know, including a whole group.
    mutating func skip(_ wireType: WireType, field: Int, depth: Int = 0) throws(ProtobufError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup:
            guard depth < Self.maximumGroupDepth else { throw ProtobufError("groups nested too deeply", at: position) }
            while true {
                guard !isAtEnd else { throw ProtobufError("group \(field) has no end tag", at: position) }
                let tag = try readTag()
                if tag.wireType == .endGroup {
                    guard tag.field == field else {
                        throw ProtobufError("end of group \(tag.field) inside group \(field)", at: position)
                    }
                    return
                }
                try skip(tag.wireType, field: tag.field, depth: depth + 1)
            }
        case .endGroup:
            throw ProtobufError("end of group \(field) without a start", at: position)
        }
    }
}

/// Why bytes are not a well-formed protobuf message: what is wrong and at which byte offset.
struct ProtobufError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    var message: String
    /// The byte offset, from the start of the payload, where it was found.
    var offset: Int

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    var description: String { "\(message) at byte \(offset)" }
}
