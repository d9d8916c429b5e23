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
        guard let parts = parts(text) else { return nil }
        guard parts.significand != 0 else { return 0 }
        return Decimal(sign: parts.negative ? .minus : .plus, exponent: -parts.fractionDigits, significand: Decimal(parts.significand))
    }

    /// The sign, digits and number of fraction digits of the common amount `[+-]?d+(.d+)?` of at
    /// most 18 digits (so that the digits fit an Int64); nil for any other text.
    static func parts(_ text: String) -> (negative: Bool, significand: UInt64, fractionDigits: Int)? {
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
        return (negative, significand, fractionDigits)
    }

    /// XPath `sum(... xs:decimal(.))`, exact: a Foundation `Decimal` addition costs thousands of
    /// instructions, so the values are added as one 64-bit integer scaled by a power of ten while
    /// they are common amounts and the sum fits; from the first that is not, in `Decimal`.
    struct Sum {
        /// The sum so far times 10^`scale`, while `large` is nil.
        private var scaled: Int64 = 0
        private var scale = 0
        /// The sum so far once past what `scaled` holds.
        private var large: Decimal?

        /// Adds `xs:decimal(text)` (subtracts it when `negated`); false, changing nothing, when the cast fails.
        @discardableResult
        mutating func add(_ text: String, negated: Bool = false) -> Bool {
            if large == nil, var parts = XPathDecimal.parts(XPathWhitespace.trimmed(text)) {
                if negated { parts.negative.toggle() }
                if add(parts) { return true }
            }
            guard let decimal = XPathDecimal.parse(text) else { return false }
            large = negated ? value - decimal : value + decimal
            return true
        }

        /// Adds the value `parts` writes to `scaled`; false, changing nothing, when it would not fit.
        private mutating func add(_ parts: (negative: Bool, significand: UInt64, fractionDigits: Int)) -> Bool {
            // At most 18 digits: the value fits an Int64, as does 10^18.
            var value = Int64(parts.significand), total = scaled
            if parts.fractionDigits > scale {
                guard let scaledUp = Self.multiply(total, byPowerOfTen: parts.fractionDigits - scale) else { return false }
                total = scaledUp
            } else if parts.fractionDigits < scale {
                guard let scaledUp = Self.multiply(value, byPowerOfTen: scale - parts.fractionDigits) else { return false }
                value = scaledUp
            }
            let (sum, overflow) = total.addingReportingOverflow(parts.negative ? -value : value)
            guard !overflow else { return false }
            scaled = sum
            scale = max(scale, parts.fractionDigits)
            return true
        }

        private static func multiply(_ value: Int64, byPowerOfTen power: Int) -> Int64? {
            var result = value
            for _ in 0..<power {
                let (product, overflow) = result.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                result = product
            }
            return result
        }

        /// Whether the sum is exact in the scaled integer with at most two digits after the point
        /// (the artefacts' rounding to cents leaves it as it is).
        var hasAtMostTwoDecimals: Bool { large == nil && scale <= 2 }

        /// The sum as the xs:double nearest to it, as XPath promotes it, when it is in the scaled
        /// integer below 2^53 with at most 22 digits after the point: both are then exact doubles,
        /// and their quotient is correctly rounded. Nil otherwise (`Double(value.description)` then).
        var double: Double? {
            guard large == nil, scaled.magnitude < 1 << 53, scale < Self.powersOfTen.count else { return nil }
            return Double(scaled) / Self.powersOfTen[scale]
        }

        /// XPath's xs:double of `abs(xs:decimal(text)) + offset`, computed exactly, then promoted (as
        /// `Double(value.description)` of the `Decimal` computation gives it); nil when `text` is not
        /// a common amount (`parts`) or the result is not within `double`'s reach.
        static func promotedAbsolute(_ text: String, plus offset: Int64 = 0) -> Double? {
            guard var value = XPathDecimal.parts(XPathWhitespace.trimmed(text)) else { return nil }
            value.negative = false
            var sum = Sum()
            guard sum.add(value), offset == 0 || sum.add((offset < 0, offset.magnitude, 0)) else { return nil }
            return sum.double
        }

        /// 10^0 … 10^22, each an exact double.
        private static let powersOfTen: [Double] = (0...22).map { exponent in (0..<exponent).reduce(1.0) { value, _ in value * 10 } }

        /// The sum (0 when nothing was added).
        var value: Decimal {
            if let large { return large }
            guard scaled != 0 else { return 0 }
            return Decimal(sign: scaled < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(scaled.magnitude))
        }
    }

    /// An `xs:decimal` compared with the texts of many nodes (`xs:decimal(cbc:Percent) = rate` on every
    /// line): a common amount (`parts`) is compared with the common amounts among them by its digits,
    /// without casting each to a `Decimal` (thousands of instructions); any other form as a `Decimal`.
    struct Comparand {
        /// A common amount's value: its sign and digits without the fraction's trailing zeros (zero unsigned).
        private struct Digits: Equatable {
            let negative: Bool
            let significand: UInt64
            let fractionDigits: Int

            init?(_ text: String) {
                guard var parts = XPathDecimal.parts(XPathWhitespace.trimmed(text)) else { return nil }
                while parts.fractionDigits > 0 && parts.significand % 10 == 0 {
                    parts.significand /= 10
                    parts.fractionDigits -= 1
                }
                (negative, significand, fractionDigits) = (parts.negative && parts.significand != 0, parts.significand, parts.fractionDigits)
            }
        }

        /// The value.
        let value: Decimal
        private let digits: Digits?

        /// `xs:decimal(text)`, nil where the cast fails.
        init?(_ text: String) {
            guard let value = XPathDecimal.parse(text) else { return nil }
            self.value = value
            digits = Digits(text)
        }

        /// XPath `xs:decimal(text) = value` (false where the cast fails).
        func isValue(of text: String) -> Bool {
            if let digits, let other = Digits(text) { return digits == other }
            return XPathDecimal.parse(text) == value
        }
    }

    /// XPath `round(xs:decimal(text)) = 0` in integers, nil when `text` is not a common amount
    /// (`parts`): the value is at least -0.5 and below 0.5.
    static func roundsToZero(_ text: String) -> Bool? {
        guard let value = parts(XPathWhitespace.trimmed(text)) else { return nil }
        let twice = 2 * Int128(value.significand), unit = power(of: value.fractionDigits)
        return value.negative ? twice <= unit : twice < unit
    }

    /// The artefacts' VAT amount check, `abs(amount) - 1 < cents(abs(base) * (rate div 100))` and
    /// `abs(amount) + 1 > cents(...)` (`<=` and `>=` when `inclusive`), on the `xs:decimal` of
    /// each text, computed exactly in 128-bit integers: a `Decimal` product, rounding and
    /// comparisons cost thousands of instructions each. Nil when a text is not a common amount
    /// (`parts`) or a product would not fit: the caller computes in `Decimal` then.
    static func isWithinOne(amount: String, of base: String, atRate rate: String, inclusive: Bool = false) -> Bool? {
        guard let amount = parts(XPathWhitespace.trimmed(amount)), let base = parts(XPathWhitespace.trimmed(base)),
              let rate = parts(XPathWhitespace.trimmed(rate)) else { return nil }
        // cents(|base| × rate / 100) × 100 is round(|base| × rate): the product's digits over
        // 10^(its fraction digits), rounded half towards positive infinity (both at most 18 digits:
        // the product is below 10^36, within an Int128).
        let product = Int128(base.significand) * Int128(rate.significand) * (rate.negative ? -1 : 1)
        let divisor = power(of: base.fractionDigits + rate.fractionDigits)
        let numerator = 2 * product + divisor, denominator = 2 * divisor
        let hundredths = numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator)
        // Both sides times 100 × 10^(the amount's fraction digits), in integers.
        let unit = power(of: amount.fractionDigits)
        let (expected, overflow) = hundredths.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        let low = 100 * Int128(amount.significand) - 100 * unit, high = 100 * Int128(amount.significand) + 100 * unit
        return inclusive ? low <= expected && expected <= high : low < expected && expected < high
    }

    /// 10^`exponent` (at most 36) as an Int128.
    private static func power(of exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
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
        // Most texts are ASCII without a carriage return after the point: each byte is then one
        // character (a CR LF pair is one, and any byte past 0x7F may start one of several bytes or
        // join the point to a character before it, as a prepended mark does).
        let counted = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return 0 }
            guard dot == 0 || bytes[dot - 1] < 0x80 else { return nil }
            let after = bytes[(dot + 1)...]
            return after.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? after.count : nil
        }
        if case let places?? = counted { return places }
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
