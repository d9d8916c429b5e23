import Foundation

/// Decimal amounts read from and written to invoice text, and the standard's rounding.
enum DecimalText {
    /// The amount written in `text` (`1234.56`, `-0.5`, `+3`), or nil when it is not a plain decimal number.
    static func parse(_ text: String?) -> Decimal? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !body.isEmpty, body != ".",
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        return Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// `value` rounded half away from zero to `scale` decimals (EN 16931 amounts: 2).
    static func rounded(_ value: Decimal, scale: Int = 2) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// The amount as plain text with at least two decimals (`1234.50`), for events.
    static func text(_ value: Decimal) -> String {
        var text = NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return text
    }
}
