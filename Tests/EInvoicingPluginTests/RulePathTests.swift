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

    /// `RuleNames.numbers(of:)` answers short names from its recent answers: a name looked up before
    /// it was numbered (an unknown name, -1) is found by its number once numbered, short or long,
    /// and a short name built at run time is found as its literal is.
    func testANameNumberedAfterItWasLookedUpIsFound() {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        for name in ["Zq" + suffix, "ANameLongerThanFifteenBytes" + suffix] {
            XCTAssertEqual(RuleNames.numbers(of: [name]).numbers, [-1], name)
            XCTAssertEqual(RuleNames.numbers(of: [name]).numbers, [-1], name)
            let number = RuleNames.number(name)
            XCTAssertEqual(RuleNames.numbers(of: [name, String(decoding: Array(name.utf8), as: UTF8.self)]).numbers, [number, number], name)
        }
        XCTAssertEqual(RuleNames.numbers(of: ["ID", String(decoding: Array("ID".utf8), as: UTF8.self)]).numbers,
                       [RuleNames.number("ID"), RuleNames.number("ID")])
    }
}
