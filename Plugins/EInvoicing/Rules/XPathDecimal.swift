import Foundation

/// Decimal arithmetic as the CEN/TC 434 Schematron computes it: `xs:decimal` casts, XPath `round`
/// (half towards positive infinity) and the artefacts' `round(x * 10 * 10) div 100`.
public enum XPathDecimal {
    /// XPath `xs:decimal(text)`: surrounding white space allowed, optional sign, digits with at
    /// most one point; nil where the cast would fail (empty, exponent, letters).
    public static func parse(_ text: String) -> Decimal? {
        let trimmed = XPathWhitespace.trimmed(text)
        return exactly(trimmed) ?? DecimalText.parse(trimmed)
    }

    /// The common amount `[+-]?d+(.d+)?` of at most 18 digits, built from its digits without
    /// Foundation's scanner; nil for any other text (`parse` then asks `DecimalText`).
    private static func exactly(_ text: String) -> Decimal? {
        var bytes = text.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var significand: UInt64 = 0
        var digits = 0, integerDigits = 0
        var point = false
        for byte in bytes {
            if byte == UInt8(ascii: "."), !point {
                point = true
                integerDigits = digits
                continue
            }
            guard byte >= 0x30, byte <= 0x39, digits < 18 else { return nil }
            significand = significand * 10 + UInt64(byte - 0x30)
            digits += 1
        }
        let fractionDigits = point ? digits - integerDigits : 0
        guard digits > 0, !point || (integerDigits > 0 && fractionDigits > 0) else { return nil }
        guard significand != 0 else { return 0 }
        return Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
    }

    /// XPath `round(value)`: the nearest integer, halves towards positive infinity.
    public static func round(_ value: Decimal) -> Decimal {
        var input = value + half
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .down)
        return result
    }

    /// The artefacts' two-decimal rounding: `round(value * 10 * 10) div 100`.
    public static func cents(_ value: Decimal) -> Decimal {
        // A value of at most two decimals (most amounts) is its own rounding: times 100 it is whole.
        if value.isFinite && value.exponent >= -2 { return value }
        return hundredth(round(value * 100))
    }

    /// `value div 100`, exact: the same digits two places further right, without a long division.
    public static func hundredth(_ value: Decimal) -> Decimal {
        Decimal(sign: value.sign, exponent: value.exponent - 2, significand: value.significand)
    }

    /// One half, which `round` adds.
    private static let half = Decimal(sign: .plus, exponent: -1, significand: 5)

    /// The number of digits after the point in `text` (`string-length(substring-after(text, '.'))`).
    public static func decimalPlaces(_ text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
