import Foundation

/// JSON text being written as UTF-8 bytes into one growing buffer, made a `String` once at the end.
///
/// The hub writes its own records' JSON (event attributes, nested values, exports) with this
/// rather than with many small `String` appends: it runs for every attribute of every event a
/// connector makes, and appending bytes to one reserved buffer costs a fraction of growing a
/// `String` piece by piece. The text is compact, object keys are sorted (by `String`'s `<`), so
/// equal values always give equal text.
public struct JSONOutput: ~Copyable {
    // A buffer of its own rather than an `[UInt8]`: appending a few bytes to an array goes through
    // its generic copy and uniqueness checks each time, and records are written a few bytes at a time.
    // Visible to inlined code: the small appends below are inlined into the connectors that
    // write thousands of records per message, instead of being a call per punctuation mark.
    @usableFromInline var start: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    /// An empty output with room for `capacity` bytes before it grows.
    public init(reservingCapacity capacity: Int = 64) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// The text written so far.
    public var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    /// The bytes written, as `Data` that takes over the output's buffer: no copy, and no UTF-8 check
    /// (`text` makes both, which a whole API page does not need on its way to the socket).
    public consuming func data() -> Data {
        let data = Data(bytesNoCopy: start, count: count, deallocator: .custom { bytes, _ in bytes.deallocate() })
        discard self
        return data
    }

    /// Makes room for `extra` more bytes.
    @inlinable mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(toHold: count + extra) }
    }

    @usableFromInline mutating func grow(toHold needed: Int) {
        let grown = max(2 * capacity, needed)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.initialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = grown
    }

    @inlinable mutating func appendByte(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends JSON written in the source, as is: punctuation, `true`, `"value":`.
    @inlinable public mutating func append(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (start + count).initialize(from: literal.utf8Start, count: length)
        count += length
    }

    /// Appends `text` as it is: JSON written earlier (an event's `attributesJSON`), or the inside of
    /// a string literal known to need no escape (an ISO 8601 time).
    public mutating func append(verbatim text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends UTF-8 bytes as they are: `append(verbatim:)` for text that is not in a `String` (the
    /// bytes of a database row, digits written on the stack).
    public mutating func append(verbatim bytes: UnsafeBufferPointer<UInt8>) {
        append(bytes)
    }

    /// Appends `time.iso8601` (without quotes), its digits written straight into the buffer.
    public mutating func appendISO8601(_ time: Timestamp) {
        reserve(27)
        if time.writeISO8601(into: start + count) { count += 27 } else { append(verbatim: time.iso8601) }
    }

    /// Appends a JSON string literal, escaped per RFC 8259: the quote, the backslash and control
    /// characters, and U+2028 and U+2029 (which JavaScript does not accept inside a string literal).
    public mutating func appendString(_ string: String) {
        appendByte(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            if Self.needsEscaping(utf8) { appendEscaped(utf8) } else { append(utf8) }
        }
        appendByte(UInt8(ascii: "\""))
    }

    /// Whether any byte is a control character, the quote, the backslash or 0xE2 (the lead byte of
    /// U+2028 and U+2029): eight bytes at a time, since most names and values hold none of them.
    private static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        // Per byte of a word: below 0x20, or equal to one of three values (a zero byte after xor).
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasByteBelow(_ limit: UInt64, _ word: UInt64) -> Bool { (word &- ones &* limit) & ~word & highs != 0 }
        func hasByte(_ value: UInt64, _ word: UInt64) -> Bool { hasByteBelow(1, word ^ (ones &* value)) }
        var index = 0
        while utf8.count - index >= 8 {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if hasByteBelow(0x20, word) || hasByte(0x22, word) || hasByte(0x5C, word) || hasByte(0xE2, word) { return true }
            index += 8
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return true }
            index += 1
        }
        return false
    }

    /// Copies runs of bytes that need no escape whole, escaping the others.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            // Most bytes of names and values need nothing: one comparison chain, then the next.
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2 else {
                index += 1
                continue
            }
            let escape: StaticString
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; other characters starting E2 stay as they are.
                guard index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 else {
                    index += 1
                    continue
                }
                escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                length = 3
            default: escape = ""  // any other control character, below
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            if escape.utf8CodeUnitCount > 0 {
                append(escape)
            } else {
                // \u00XX, lowercase hexadecimal.
                append("\\u00")
                appendByte(Self.hexDigit(byte >> 4))
                appendByte(Self.hexDigit(byte & 0x0F))
            }
            index += length
            runStart = index
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Appends a JSON number: integers below 10^15 without a fraction, others in the shortest form
    /// that reads back to the same Double (Swift's `description`); NaN and infinities, which JSON
    /// cannot carry, as null.
    public mutating func appendNumber(_ number: Double) {
        if !number.isFinite {
            append("null")
        } else if number == number.rounded(.towardZero), abs(number) < 1e15 {
            appendInteger(Int64(number))
        } else {
            var text = number.description
            text.withUTF8 { append($0) }
        }
    }

    /// Appends the decimal digits of `value`, a minus sign first when it is negative, straight
    /// into the buffer (most numbers in records are whole: counts, times, sequence numbers).
    private mutating func appendInteger(_ value: Int64) {
        var magnitude = value.magnitude
        var digits = 1, limit: UInt64 = 10
        while digits < 19, magnitude >= limit {  // Int64's magnitude has at most 19 digits
            digits += 1
            limit &*= 10
        }
        reserve(digits + 1)
        if value < 0 { appendByte(UInt8(ascii: "-")) }
        var index = count + digits
        repeat {
            index -= 1
            start[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
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
            let (_, initialized) = buffer.initialize(from: members)
            var sorted = UnsafeMutableBufferPointer(rebasing: buffer[..<initialized])
            sorted.sort { $0.key < $1.key }
            for index in 0..<initialized {
                // Moved out, so that each member is released here rather than by a generic pass at the end.
                let member = (buffer.baseAddress! + index).move()
                if index > 0 { append(",") }
                appendString(member.key)
                append(":")
                writeValue(member.value, &self)
            }
        }
        append("}")
    }
}
