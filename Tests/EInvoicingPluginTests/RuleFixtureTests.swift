@testable import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import HubXML
import XCTest

/// The CEN/TC 434 unit test sets: each `<test>` holds an invoice fragment and whether the set's rule
/// must hold (`<success>`) or fail (`<error>`) on it. A fragment is not a whole invoice, so other
/// presence rules fail on it too; what is asserted is the set's own rule, both ways, and that on
/// the failing side no other calculation rule fails.
final class RuleFixtureTests: XCTestCase {
    func testUBLBRCO10() throws { try check("rules/ubl-unit-BR-CO-10.xml", rule: "BR-CO-10", cases: 9) }
    func testUBLBRCO15() throws { try check("rules/ubl-unit-BR-CO-15.xml", rule: "BR-CO-15", cases: 8) }
    func testUBLBRS08() throws { try check("rules/ubl-unit-BR-S-08-1.xml", rule: "BR-S-08", cases: 6) }
    func testCIIBRCO15() throws { try check("rules/cii-unit-BR-CO-15-2.xml", rule: "BR-CO-15", cases: 4) }

    private func check(_ fixture: String, rule: String, cases: Int) throws {
        let text = String(decoding: try testKit.fixture(fixture), as: UTF8.self)
        let tests = text.components(separatedBy: "<test>").dropFirst()
        XCTAssertEqual(tests.count, cases)
        var errors = 0
        for (index, test) in tests.enumerated() {
            let expectsError = test.contains("<error>\(rule)</error>")
            XCTAssertTrue(expectsError || test.contains("<success>\(rule)</success>"), "case \(index + 1) names no outcome")
            let start = try XCTUnwrap(test.range(of: #"<(Invoice|rsm:CrossIndustryInvoice)\b"#, options: .regularExpression), "case \(index + 1)")
            let end = try XCTUnwrap(test.range(of: "</test>"), "case \(index + 1)")
            let fragment = Data(test[start.lowerBound..<end.lowerBound].utf8)
            let root = try SafeXMLReader(maxBytes: 1 << 20).read(fragment)
            let invoice = root.name == "Invoice" ? try UBLInvoiceReader.invoice(from: root) : try CIIInvoiceReader.invoice(from: root)
            let failed = EN16931Checks.failures(of: invoice).map(\.rule)
            XCTAssertEqual(failed.contains(rule), expectsError, "\(fixture) case \(index + 1): failures \(failed)")
            if expectsError {
                errors += 1
                // Of the calculation rules, it is exactly this one that fails.
                XCTAssertEqual(failed.filter { $0.hasPrefix("BR-CO-") || $0.hasPrefix("BR-S-") }, [rule],
                               "\(fixture) case \(index + 1)")
            }
        }
        XCTAssertGreaterThan(errors, 0, "the set exercises the failing side too")
    }
}
