/// A strict RFC 8259 reader that builds a `JSONValue` straight from UTF-8 bytes.
///
/// It replaces JSONSerialization on the route path: Foundation builds an `Any` tree of
/// NSNumber/NSString objects that the hub then converts, twice the allocation for every value of
/// every payload. This reader walks the bytes once. It accepts exactly the RFC 8259 grammar, which
/// is what JSONSerialization accepts less its extensions (trailing commas, UTF-16 and UTF-32 text
/// recognised by their zero bytes); a leading UTF-8 byte order mark is ignored, as the RFC allows.
/// Numbers that do not fit a Double (`1e400`) are refused, as JSONSerialization refuses them, and
/// nesting deeper than `maximumDepth` is refused rather than exhausting the stack. Bad input
/// always becomes a `JSONParseError` naming the byte offset; it never traps.
struct JSONReader {
    /// Arrays and objects nested deeper than this are refused (JSONSerialization's limit too).
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    /// The members of the objects being read, innermost last: an object's dictionary is made once
    /// its members are all known, at its size, instead of growing (and hashing every key again) as
    /// they come.
    private var pendingMembers: [(key: String, value: JSONValue)] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads one JSON text (any value at the top, surrounded by optional whitespace).
    /// The bytes must already be known to be well-formed UTF-8.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.index = 3 }
        let value = try reader.readValue()
        reader.skipWhitespace()
        if reader.index < bytes.count { throw reader.unexpected("after the value") }
        return value
    }

    // MARK: Values

    private mutating func readValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("the text ends where a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        default: throw unexpected("where a value was expected")
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("the text ends inside \(literal) (offset \(start))") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            index += offset
            throw unexpected("in what started as \(literal) at offset \(start)")
        }
        index += count
    }

    private mutating func readObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        let first = pendingMembers.count
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected("where a member name in quotes was expected") }
            let key = try readString()
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            guard bytes[index] == UInt8(ascii: ":") else { throw unexpected("where ':' was expected after a member name") }
            index += 1
            pendingMembers.append((key, try readValue()))
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                // A name given twice keeps its last value.
                var members = [String: JSONValue](minimumCapacity: pendingMembers.count - first)
                for member in pendingMembers[first...] { members[member.key] = member.value }
                pendingMembers.removeLast(pendingMembers.count - first)
                return .object(members)
            default: throw unexpected("where ',' or '}' was expected in an object")
            }
        }
    }

    private mutating func readArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try readValue())
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text ends inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; depth -= 1; return .array(elements)
            default: throw unexpected("where ',' or ']' was expected in an array")
            }
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw failure("arrays and objects are nested deeper than \(Self.maximumDepth) levels (offset \(index))")
        }
    }

    // MARK: Strings

    /// Reads a string whose opening quote is at `index`.
    private mutating func readString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        let contentStart = index
        // Most strings have no escapes: find the closing quote and decode the bytes in place.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte) }
            index += 1
        }
        guard index < bytes.count else { throw failure("the text ends inside the string that starts at offset \(start)") }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw controlCharacter(byte)
            default:
                decoded.append(byte)
                index += 1
            }
        }
        throw failure("the text ends inside the string that starts at offset \(start)")
    }

    /// Reads the escape sequence whose backslash is at `index`, appending its UTF-8 to `decoded`.
    private mutating func readEscape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw failure("the text ends inside an escape sequence (offset \(start))") }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHexQuad(escapeAt: start)
            if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("\\u escape at offset \(start) is a low surrogate without a high surrogate before it")
            }
            if (0xD800...0xDBFF).contains(scalar) {
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("\\u escape at offset \(start) is a high surrogate not followed by a \\u low surrogate")
                }
                let lowStart = index
                index += 2
                let low = try readHexQuad(escapeAt: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw failure("\\u escape at offset \(start) is a high surrogate not followed by a \\u low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // Surrogates were excluded above, so every remaining value is a Unicode scalar.
            decoded.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            index -= 1
            throw unexpected("after '\\' at offset \(start) (escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
    }

    private mutating func readHexQuad(escapeAt start: Int) throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("the text ends inside the \\u escape at offset \(start)") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected("in the \\u escape at offset \(start) (four hexadecimal digits are needed)")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Numbers

    /// Exact powers of ten: every one up to 10^22 is a Double, which makes the fast path exact.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` as the nearest Double.
    private mutating func readNumber() throws(JSONParseError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        // The significant digits as an integer while it stays exact, and the decimal exponent.
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        guard index < bytes.count else { throw failure("the text ends inside the number at offset \(start)") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("number at offset \(start) has a leading zero") }
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &mantissa, digits: &digits)
                index += 1
            }
        } else {
            throw unexpected("in the number at offset \(start) (a digit must follow '-')")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count else { throw failure("the text ends inside the number at offset \(start)") }
            guard isDigit(bytes[index]) else { throw unexpected("in the number at offset \(start) (a digit must follow '.')") }
            while index < bytes.count, isDigit(bytes[index]) {
                accumulate(bytes[index], into: &mantissa, digits: &digits)
                exponent -= 1
                index += 1
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var negativeExponent = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negativeExponent = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < bytes.count else { throw failure("the text ends inside the number at offset \(start)") }
            guard isDigit(bytes[index]) else { throw unexpected("in the number at offset \(start) (the exponent needs digits)") }
            var written = 0
            while index < bytes.count, isDigit(bytes[index]) {
                // Beyond a few digits the value is 0 or out of range either way; stop growing.
                if written < 100_000 { written = written * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            exponent += negativeExponent ? -written : written
        }
        // Clinger's fast path: a mantissa of at most 15 digits and a power of ten up to 10^22 are
        // both exact Doubles, so one multiplication or division rounds correctly.
        if digits <= 15, abs(exponent) <= 22 {
            let magnitude = exponent < 0
                ? Double(mantissa) / Self.powersOfTen[-exponent]
                : Double(mantissa) * Self.powersOfTen[exponent]
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw failure("number \(text.prefix(40)) at offset \(start) is too large for a Double")
        }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Adds a digit to the mantissa; once 19 significant digits are held, `digits` still counts
    /// so that the slow path is taken, and the mantissa is no longer used.
    private func accumulate(_ byte: UInt8, into mantissa: inout UInt64, digits: inout Int) {
        if digits == 0, byte == UInt8(ascii: "0") { return }  // leading zeros of a fraction (0.0012)
        if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0")) }
        digits += 1
    }

    // MARK: Whitespace and errors

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func failure(_ reason: String) -> JSONParseError {
        JSONParseError(message: "payload is not valid JSON: \(reason)")
    }

    /// The byte at `index` is not allowed there.
    private func unexpected(_ context: String) -> JSONParseError {
        let byte = bytes[index]
        let shown = (0x21..<0x7F).contains(byte)
            ? "'\(Character(Unicode.Scalar(byte)))'"
            : "byte 0x" + String(byte, radix: 16, uppercase: true)
        return failure("unexpected \(shown) at offset \(index) \(context)")
    }

    private func controlCharacter(_ byte: UInt8) -> JSONParseError {
        failure("control character 0x\(String(byte, radix: 16, uppercase: true)) at offset \(index) must be escaped inside a string")
    }
}
