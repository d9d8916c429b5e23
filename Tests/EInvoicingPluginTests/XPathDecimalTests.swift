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
