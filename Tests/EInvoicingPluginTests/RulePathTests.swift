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
}
