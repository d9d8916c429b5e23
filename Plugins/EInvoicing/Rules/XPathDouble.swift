/// `xs:double` casts of untyped text, as a general comparison with a number makes them.
enum XPathDouble {
    /// The value of `text` read as an `xs:double` (digits, point, exponent, `INF`, `-INF`, `NaN`);
    /// nil where the cast would fail.
    static func parse(_ text: String) -> Double? {
        let trimmed = XPathWhitespace.trimmed(text)
        switch trimmed {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard isNumeral(trimmed.utf8) else { return nil }
        return Double(trimmed)
    }

    /// Whether `bytes` spell `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?` in ASCII digits.
    private static func isNumeral(_ bytes: String.UTF8View) -> Bool {
        var rest = bytes[...]
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        /// Drops the digits at the start of `rest`, and says how many there were.
        func digits() -> Int {
            let count = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(count)
            return count
        }
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
        var mantissa = digits()
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let exponent = rest.first, exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return rest.isEmpty
    }
}
