@testable import EInvoicingPlugin
import Foundation
import XCTest

/// The rules' exact decimal arithmetic: `XPathDecimal.Sum` (a scaled 64-bit integer while the values
/// fit, `Decimal` past that) gives what adding each `xs:decimal` cast with `Decimal` gives, and
/// `decimalPlaces` counts the characters after the point whichever way it counts them.
final class XPathDecimalTests: XCTestCase {
    func testTheSumIsWhatDecimalAdditionGives() {
        var random = SystemRandomNumberGenerator()
        let fixed = [
            "1", "-1", "+2.50", " 3.125 ", "0", "-0.00", "abc", "", "1E3", ".5", "5.", "12.3.4",
            "999999999999999999", "-999999999999999999", "0.000000000000000001", "123456789012345678.9",
            "9223372036854775807", "1234567890123456789012345", "\t42\n", "1 000", "١٢",
        ]
        var lists: [[String]] = [fixed, [], ["abc"], ["999999999999999999", "999999999999999999", "0.5"],
                                 ["0.123456789012345678", "123456789012345678"], ["-5", "5"]]
        for _ in 0..<2_000 {
            lists.append((0..<Int.random(in: 1...8, using: &random)).map { _ in
                let digits = Int.random(in: 1...19, using: &random)
                var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
                let point = Int.random(in: 0...digits, using: &random)
                if point > 0 && point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
                return (Bool.random(using: &random) ? "-" : "") + text
            })
        }
        for texts in lists {
            var sum = XPathDecimal.Sum()
            var added = 0
            for text in texts where sum.add(text) { added += 1 }
            let expected = texts.compactMap(XPathDecimal.parse)
            XCTAssertEqual(added, expected.count, "\(texts)")
            XCTAssertEqual(sum.value, expected.reduce(0, +), "\(texts)")
            // Its double, when it gives one, is the xs:double of its value; at most two decimals need no rounding to cents.
            if let double = sum.double { XCTAssertEqual(double, Double(sum.value.description), "\(texts)") }
            if sum.hasAtMostTwoDecimals { XCTAssertEqual(XPathDecimal.cents(sum.value), sum.value, "\(texts)") }
            // abs(xs:decimal(text)) ± 1 promoted to xs:double, as computing it in Decimal and printing it gives.
            for offset: Int64 in [-1, 0, 1] {
                guard let text = texts.first, let promoted = XPathDecimal.Sum.promotedAbsolute(text, plus: offset) else { continue }
                XCTAssertEqual(promoted, Double((abs(XPathDecimal.parse(text)!) + Decimal(offset)).description), "\(text) \(offset)")
            }
        }
    }

    /// The integer forms of the VAT amount check and of `round(x) = 0` answer what the `Decimal`
    /// computation the rules wrote first answers, on random amounts and rates of both signs, and
    /// decline (nil) a text that is no common amount.
    func testTheVATAmountCheckInIntegersIsWhatDecimalGives() {
        var random = SystemRandomNumberGenerator()
        func amount(digits: ClosedRange<Int>) -> String {
            let digits = Int.random(in: digits, using: &random)
            var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            let point = Int.random(in: 0...digits, using: &random)
            if point > 0 && point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            return (Int.random(in: 0..<4, using: &random) == 0 ? "-" : "") + text
        }
        var cases: [(String, String, String)] = [
            ("20.00", "100.00", "20"), ("19.99", "100", "20"), ("21", "100", "20"), ("-20.00", "-100.00", "20"),
            ("0.50", "2.5", "20"), ("0.5", "2.5", "19.99"), ("1", "0.025", "20"), ("0", "0.025", "-20"),
            ("12.5", "62.50", "-20"), ("abc", "1", "20"), ("1", "", "20"), ("1", "1", "1E2"), (" 20 ", "\t100\n", "20"),
            ("999999999999999999", "999999999999999999", "99.9999999999999999"),
        ]
        for _ in 0..<4_000 {
            let taxable = amount(digits: 1...8), rate = amount(digits: 1...4)
            // Amounts near the expected one, so that the bounds are met, missed and touched.
            let near = (XPathDecimal.parse(taxable) ?? 0) * (XPathDecimal.parse(rate) ?? 0) / 100
            let offset = Decimal(Int.random(in: -150...150, using: &random)) / 100
            cases.append(("\(abs(near + offset))", taxable, rate))
            cases.append((amount(digits: 1...6), taxable, rate))
        }
        for (tax, taxable, rate) in cases {
            for inclusive in [false, true] {
                let computed = XPathDecimal.isWithinOne(amount: tax, of: taxable, atRate: rate, inclusive: inclusive)
                guard let tax = XPathDecimal.parse(tax), let taxable = XPathDecimal.parse(taxable), let percent = XPathDecimal.parse(rate) else {
                    XCTAssertNil(computed, "\(tax) \(taxable) \(rate)")
                    continue
                }
                let expected = XPathDecimal.cents(abs(taxable) * XPathDecimal.hundredth(percent))
                let within = inclusive ? abs(tax) - 1 <= expected && abs(tax) + 1 >= expected : abs(tax) - 1 < expected && abs(tax) + 1 > expected
                if let computed { XCTAssertEqual(computed, within, "\(tax) \(taxable) \(rate) inclusive: \(inclusive)") }
            }
            if let zero = XPathDecimal.roundsToZero(rate) {
                XCTAssertEqual(zero, XPathDecimal.round(XPathDecimal.parse(rate)!) == 0, rate)
            }
        }
        for text in ["0.5", "-0.5", "0.49", "-0.51", "0", "-0", "0.4999999"] {
            XCTAssertEqual(XPathDecimal.roundsToZero(text), XPathDecimal.round(XPathDecimal.parse(text)!) == 0, text)
        }
    }

    /// A comparand says `xs:decimal(text) = value` as comparing the two `Decimal`s does, whether both
    /// are common amounts (compared by digits) or not.
    func testAComparandComparesAsDecimalEquality() {
        var random = SystemRandomNumberGenerator()
        var texts = ["20", "20.0", "20.00", "020", "+20", " 20 ", "-0", "0.00", "0", "-0.0", "19.99", "1E1", "abc", "",
                     "20.000000000000000000000", "200", "2", "-20", "7.5", "7.50", "١٢"]
        for _ in 0..<300 {
            let whole = Int.random(in: 0...30, using: &random), fraction = ["", ".0", ".5", ".50", ".25", ".00"].randomElement(using: &random)!
            texts.append((Bool.random(using: &random) ? "-" : "") + String(whole) + fraction)
        }
        for text in texts {
            guard let comparand = XPathDecimal.Comparand(text) else {
                XCTAssertNil(XPathDecimal.parse(text), text)
                continue
            }
            for other in texts {
                XCTAssertEqual(comparand.isValue(of: other), XPathDecimal.parse(other) == comparand.value, "\(text) = \(other)")
            }
        }
    }

    func testDecimalPlacesCountCharactersAfterThePoint() {
        let texts = ["12", "12.", "12.5", "12.50", "0.001", "1.2\r\n", "1.2\r\n3", "1.é", "1.e\u{301}", "1.👍🏽",
                     "1.١٢", "no point", ".", "1.2.3", "\u{301}.12", "1. 2", "\u{600}.5", "\u{600}.1.5", "1.\u{301}2"]
        for text in texts {
            let expected = text.firstIndex(of: ".").map { text.distance(from: text.index(after: $0), to: text.endIndex) } ?? 0
            XCTAssertEqual(XPathDecimal.decimalPlaces(text), expected, text.debugDescription)
        }
        XCTAssertEqual(XPathDecimal.decimalPlaces("10.255"), 3)
        XCTAssertEqual(XPathDecimal.decimalPlaces("1.2\r\n"), 2)
    }
}
