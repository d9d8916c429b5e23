/// JSON text being written as UTF-8 bytes into one growing buffer, made a `String` once at the end.
///
/// The hub writes its own records' JSON (event attributes, nested values, exports) with this
/// rather than with many small `String` appends: it runs for every attribute of every event a
/// connector makes, and appending bytes to one reserved buffer costs a fraction of growing a
/// `String` piece by piece. The text is compact, object keys are sorted (by `String`'s `<`), so
/// equal values always give equal text.
public struct JSONOutput {
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty output with room for `capacity` bytes before it grows.
    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends JSON written in the source, as is: punctuation, `true`, `"value":`.
    public mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends a JSON string literal, escaped per RFC 8259: the quote, the backslash and control
    /// characters, and U+2028 and U+2029 (which JavaScript does not accept inside a string literal).
    public mutating func appendString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs of bytes that need no escape whole, escaping the others.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            let escape: StaticString?
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0..<0x20: escape = ""
            case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                length = 3
            default: escape = nil
            }
            guard let escape else {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            if escape.utf8CodeUnitCount > 0 {
                append(escape)
            } else {
                // Any other control character: \u00XX, lowercase hexadecimal.
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            }
            index += length
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a JSON number: integers below 10^15 without a fraction, others in the shortest form
    /// that reads back to the same Double (Swift's `description`); NaN and infinities, which JSON
    /// cannot carry, as null.
    public mutating func appendNumber(_ number: Double) {
        if !number.isFinite {
            append("null")
        } else if number == number.rounded(), abs(number) < 1e15 {
            DecimalText.withDigits(of: Int64(number)) { bytes.append(contentsOf: $0) }
        } else {
            var text = number.description
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    /// Appends an object of `members` in key order, each value written by `writeValue`.
    ///
    /// The members are sorted in a temporary buffer (on the stack for the few members records
    /// have), not in a new array, and each value is written with its key: no key is hashed and
    /// looked up again.
    public mutating func appendObject<Member>(_ members: [String: Member],
                                              _ writeValue: (Member, inout JSONOutput) -> Void) {
        append("{")
        withUnsafeTemporaryAllocation(of: (key: String, value: Member).self, capacity: members.count) { buffer in
            let (_, count) = buffer.initialize(from: members)
            defer { buffer.baseAddress?.deinitialize(count: count) }
            var sorted = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
            sorted.sort { $0.key < $1.key }
            for index in 0..<count {
                if index > 0 { append(",") }
                appendString(sorted[index].key)
                append(":")
                writeValue(sorted[index].value, &self)
            }
        }
        append("}")
    }
}
