import Foundation

/// Decimal arithmetic as the CEN/TC 434 Schematron computes it: `xs:decimal` casts, XPath `round`
/// (half towards positive infinity) and the artefacts' `round(x * 10 * 10) div 100`.
public enum XPathDecimal {
    /// XPath `xs:decimal(text)`: surrounding white space allowed, optional sign, digits with at
    /// most one point; nil where the cast would fail (empty, exponent, letters).
    public static func parse(_ text: String) -> Decimal? {
        DecimalText.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// XPath `round(value)`: the nearest integer, halves towards positive infinity.
    public static func round(_ value: Decimal) -> Decimal {
        var input = value + Decimal(sign: .plus, exponent: -1, significand: 5)
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .down)
        return result
    }

    /// The artefacts' two-decimal rounding: `round(value * 10 * 10) div 100`.
    public static func cents(_ value: Decimal) -> Decimal { round(value * 100) / 100 }

    /// The number of digits after the point in `text` (`string-length(substring-after(text, '.'))`).
    public static func decimalPlaces(_ text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
