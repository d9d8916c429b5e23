@testable import EInvoicingPlugin
import Dispatch
import Foundation
import Synchronization
import XCTest

/// `RulePath.compiled(_:)`: one parsed path per text, whichever string writes the text and however
/// many threads ask at once (its fast path reads published slots without the lock).
final class RulePathTests: XCTestCase {
    func testEveryThreadGetsTheOnePathOfEachText() {
        let literals = ["cbc:ID", "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "//cac:InvoiceLine", "../cbc:TaxableAmount",
                        "ram:GlobalID/@schemeID", "@unitCode", "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID"]
        let expected = literals.map { ObjectIdentifier(RulePath.compiled($0)) }
        let results = Mutex([[ObjectIdentifier]]())
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var seen: [ObjectIdentifier] = []
            for round in 0..<2_000 {
                let index = (round + worker) % literals.count
                // The literal itself, then the same text in a string made at run time (another address).
                seen.append(ObjectIdentifier(RulePath.compiled(literals[index])))
                let built = String(literals[index].unicodeScalars.map(Character.init))
                XCTAssertTrue(RulePath.compiled(built) === RulePath.compiled(literals[index]), built)
            }
            results.withLock { $0.append(seen) }
        }
        for seen in results.withLock({ $0 }) {
            XCTAssertEqual(Set(seen), Set(expected))
        }
        let path = RulePath.compiled("ram:GlobalID/@schemeID")
        XCTAssertEqual(path.attribute, "schemeID")
        XCTAssertEqual(path.steps.count, 1)
    }

    /// `RuleNames.numbers(of:attributes:)` answers short names from its recent answers: a name looked
    /// up before it was numbered (an unknown name, -1) is found by its number once numbered, short or
    /// long, and a short name built at run time is found as its literal is, with its endings.
    func testANameNumberedAfterItWasLookedUpIsFound() {
        func numbers(_ names: [String]) -> [Int32] { RuleNames.numbers(of: names, attributes: []).names.map(\.number) }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        for name in ["Zq" + suffix, "ANameLongerThanFifteenBytes" + suffix] {
            XCTAssertEqual(numbers([name]), [-1], name)
            XCTAssertEqual(numbers([name]), [-1], name)
            let number = RuleNames.number(name)
            XCTAssertEqual(numbers([name, String(decoding: Array(name.utf8), as: UTF8.self)]), [number, number], name)
        }
        XCTAssertEqual(numbers(["ID", String(decoding: Array("ID".utf8), as: UTF8.self)]), [RuleNames.number("ID"), RuleNames.number("ID")])
        for name in ["TaxableAmount", "PriceAmount", "UnknownPriceAmount" + suffix, "Quantity", "Note"] {
            let answer = RuleNames.numbers(of: [name, name], attributes: ["currencyID"])
            XCTAssertEqual(answer.names.map(\.suffixes), [NameSuffix.mask(of: name), NameSuffix.mask(of: name)], name)
            XCTAssertEqual(answer.attributes, [RuleNames.number("currencyID")])
        }
        XCTAssertEqual(NameSuffix.mask(of: "PriceAmount"), NameSuffix.amount.bit | NameSuffix.priceAmount.bit)
        XCTAssertEqual(NameSuffix.mask(of: "Note"), 0)
        XCTAssertEqual(NameSuffix.mask(of: "SpecifiedTradeSettlementHeaderMonetarySummation"), 0)
        XCTAssertEqual(NameSuffix.mask(of: "ApplicableTradeTax"), NameSuffix.tradeTax.bit)
    }
}
