@testable import EInvoicingPlugin
import Foundation
import HubXML
import XCTest

/// The rule engine's primitives, read as the CEN/TC 434 artefacts' XPath reads them: paths over
/// the flat `RuleDocument` (however the path's text was made), the UBL-CR table answered from the
/// document's name index, and the casts written without regular expressions.
final class RuleEngineTests: XCTestCase {
    private static let sample = """
        <r:Root xmlns:r="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:ID schemeID="S1">first</cbc:ID>
          <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0088">123</cbc:EndpointID>
            <cac:PartyName><cbc:Name> Seller   Name </cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
          <cac:InvoiceLine><cbc:ID>1</cbc:ID><cac:Item><cbc:Name>a</cbc:Name></cac:Item></cac:InvoiceLine>
          <cac:InvoiceLine><cbc:ID>2</cbc:ID><cac:Item><cbc:Name>b</cbc:Name><cbc:Name>c</cbc:Name></cac:Item></cac:InvoiceLine>
          <cbc:ID>second</cbc:ID>
          <Plain>no namespace</Plain>
        </r:Root>
        """

    func testPathsSelectAsTheArtefactsXPathDoes() throws {
        let root = RuleNode(try SafeXMLReader(maxBytes: 1 << 20).read(Data(Self.sample.utf8)))
        XCTAssertEqual(root.strings("cbc:ID"), ["first", "second"])
        XCTAssertEqual(root.strings("cac:InvoiceLine/cac:Item/cbc:Name"), ["a", "b", "c"])
        XCTAssertEqual(root.strings("//cbc:ID"), ["first", "1", "2", "second"])
        XCTAssertEqual(root.count("//cac:Item/cbc:Name"), 3)
        XCTAssertEqual(root.strings("/*/cbc:ID"), ["first", "second"])
        XCTAssertEqual(root.strings("/ubl:Root/Plain"), ["no namespace"])
        XCTAssertEqual(root.strings("/cac:Root/cbc:ID"), [], "the root step names its namespace")
        XCTAssertEqual(root.strings("x:Unbound"), [], "an unbound prefix matches nothing")
        XCTAssertEqual(root.strings("cac:InvoiceLine/*:ID"), ["1", "2"])
        XCTAssertEqual(root.count("cac:InvoiceLine/*"), 4)
        XCTAssertEqual(root.normalized("cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"), "Seller Name")
        XCTAssertFalse(root.exists("cac:InvoiceLine/cbc:Note"))
        XCTAssertNil(root.first("cac:Nothing"))

        let line = try XCTUnwrap(root.all("cac:InvoiceLine").last)
        XCTAssertEqual(line.string("../cbc:ID"), "first")
        XCTAssertEqual(line.strings("cac:Item/../cbc:ID"), ["2"])
        XCTAssertEqual(line.parent?.name, "Root")
        XCTAssertNil(line.root.parent)
        XCTAssertEqual(line.descendantsOrSelf().map(\.name), ["InvoiceLine", "ID", "Item", "Name", "Name"])
        XCTAssertTrue(line.hasAncestor("ubl:Root"))
        XCTAssertFalse(line.hasAncestor("cac:InvoiceLine"))

        XCTAssertTrue(root.present("cbc:ID/@schemeID"))
        XCTAssertTrue(root.present("//cbc:EndpointID/@schemeID"))
        XCTAssertFalse(root.present("cac:InvoiceLine/cbc:ID/@schemeID"))
        XCTAssertFalse(root.present("@schemeID"))
        XCTAssertEqual(root.attributes("//*/@schemeID"), ["S1", "0088"])
        XCTAssertEqual(root.all("cbc:ID/@schemeID").count, 0, "an attribute path selects no element")
        XCTAssertTrue(root.documentHasAttribute("schemeID"))
        XCTAssertFalse(root.documentHasAttribute("currencyID"))
    }

    /// Paths whose text is made at run time, at addresses another text may have had before, read
    /// the same as the literals: the cache keyed by a literal's address never answers for another text.
    func testPathsMadeAtRunTimeReadAsTheirText() throws {
        let root = RuleNode(try SafeXMLReader(maxBytes: 1 << 20).read(Data(Self.sample.utf8)))
        let expected: [(String, Int)] = [
            ("cac:InvoiceLine/cac:Item/cbc:Name", 3), ("cac:InvoiceLine/cbc:ID", 2), ("cac:AccountingSupplierParty/cac:Party", 1),
            ("cac:AccountingSupplierParty/cac:Nobody", 0), ("//cac:InvoiceLine/cac:Item", 2),
        ]
        for round in 0..<50 {
            for (text, count) in expected {
                // A fresh heap string each time (longer than the 15 bytes kept inline).
                let made = String(text.reversed().reversed()) + (round.isMultiple(of: 2) ? "" : "/.")
                XCTAssertEqual(root.count(made), count, made)
            }
        }
        XCTAssertEqual(root.count("cac:InvoiceLine/cac:Item/cbc:Name"), 3)
    }

    /// The UBL-CR table is answered from the name index: an element the binding leaves out is found
    /// where the artefact's path puts it, and only there (verdicts checked with the official XSLT).
    func testUnusedUBLElementsAreFoundWhereTheArtefactLooks() throws {
        func crFailures(_ fixture: String, _ edits: [(String, String)]) throws -> Set<String> {
            var text = try String(contentsOf: XCTUnwrap(Bundle.module.url(forResource: "Fixtures/ubl/" + fixture, withExtension: nil)), encoding: .utf8)
            for (old, new) in edits {
                let range = try XCTUnwrap(text.range(of: old), old)
                text.replaceSubrange(range, with: new)
            }
            let root = try SafeXMLReader(maxBytes: 4 << 20).read(Data(text.utf8))
            return Set(EN16931Rules.ubl.failures(in: root).map(\.rule).filter { $0.hasPrefix("UBL-CR-") })
        }
        XCTAssertEqual(try crFailures("ubl-tc434-example1.xml", []), [])
        XCTAssertEqual(try crFailures("ubl-tc434-example2.xml", []), [])
        // `//@unitCodeListID`: on any element, here a line's quantity.
        XCTAssertEqual(try crFailures("ubl-tc434-example1.xml", [("unitCode=\"EA\"", "unitCode=\"EA\" unitCodeListID=\"UNECERec20\"")]),
                       ["UBL-CR-663"])
        // `cbc:UUID` is UBL-CR-005 under the root only; under the order reference it is UBL-CR-017.
        XCTAssertEqual(try crFailures("ubl-tc434-example2.xml", [("</cbc:ID>", "</cbc:ID><cbc:UUID>u</cbc:UUID>")]), ["UBL-CR-005"])
        XCTAssertEqual(try crFailures("ubl-tc434-example2.xml", [("<cac:OrderReference>", "<cac:OrderReference><cbc:UUID>u</cbc:UUID>")]),
                       ["UBL-CR-017"])
        // Either line kind: `(cac:InvoiceLine|cac:CreditNoteLine)/cac:DeliveryTerms`.
        XCTAssertEqual(try crFailures("ubl-tc434-example2.xml", [("<cac:Item>", "<cac:DeliveryTerms/><cac:Item>")]), ["UBL-CR-645"])
    }

    func testDatesReadAsXSDate() throws {
        func day(_ text: String) -> Date? { XPathDate.parse(text) }
        let utc = try XCTUnwrap(day("2024-01-31"))
        XCTAssertEqual(utc.timeIntervalSince1970, 1_706_659_200)
        XCTAssertEqual(day("2024-01-31Z"), utc)
        XCTAssertEqual(day(" 2024-01-31\n"), utc)
        XCTAssertEqual(day("2024-01-31+02:00"), utc.addingTimeInterval(-7200))
        XCTAssertEqual(day("2024-01-31-14:00"), utc.addingTimeInterval(14 * 3600))
        XCTAssertNotNil(day("2024-02-29"))
        XCTAssertNotNil(day("2000-02-29"))
        XCTAssertEqual(day("1970-01-01")?.timeIntervalSince1970, 0)
        for invalid in ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00", "2024-1-31",
                        "24-01-31", "2024-01-31+14:01", "2024-01-31+2:00", "2024-01-31T00:00", "2024/01/31", "", "２０２４-01-31"] {
            XCTAssertNil(day(invalid), invalid)
        }
        // Outside 1600-9999 Foundation's calendar counts the days, as it always did.
        XCTAssertNotNil(day("1582-10-15"))
        XCTAssertNotNil(day("10000-01-01"))
        XCTAssertLessThan(try XCTUnwrap(day("1500-03-01")), try XCTUnwrap(day("1600-03-01")))
    }

    func testNumbersReadAsTheCasts() {
        for text in ["12.50", "-0.00", "+3", "0", "007.10", "-42", "1.", ".5", "-.5", "1e3", " 7 ", "1.2.3", "", "-", "+",
                     "123456789012345678", "1234567890123456789012", "0.000000000000000001", "12,5", "١٢"] {
            XCTAssertEqual(XPathDecimal.parse(text), DecimalText.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)), text)
        }
        XCTAssertEqual(XPathDecimal.parse("12.50"), Decimal(string: "12.5"))
        XCTAssertEqual(XPathDecimal.hundredth(1250), Decimal(string: "12.5"))
        XCTAssertEqual(XPathDecimal.hundredth(-5), Decimal(string: "-0.05"))
        XCTAssertEqual(XPathDecimal.cents(Decimal(string: "2.345")!), Decimal(string: "2.35"))
        XCTAssertEqual(XPathDecimal.cents(Decimal(string: "-2.345")!), Decimal(string: "-2.34"))

        XCTAssertEqual(XPathDouble.parse("1e3"), 1000)
        XCTAssertEqual(XPathDouble.parse(" .5 "), 0.5)
        XCTAssertEqual(XPathDouble.parse("5."), 5)
        XCTAssertEqual(XPathDouble.parse("-2.5E-1"), -0.25)
        XCTAssertEqual(XPathDouble.parse("-INF"), -.infinity)
        for invalid in ["", ".", "+-1", "1e", "1e+", "e3", "1.2.3", "0x10", "1 000", "١"] {
            XCTAssertNil(XPathDouble.parse(invalid), invalid)
        }
    }

    func testNormalizeSpaceKeepsNormalTextAsItIs() {
        XCTAssertEqual(RuleNode.normalizeSpace("a b"), "a b")
        XCTAssertEqual(RuleNode.normalizeSpace("  a \t\n b  "), "a b")
        XCTAssertEqual(RuleNode.normalizeSpace("a  b"), "a b")
        XCTAssertEqual(RuleNode.normalizeSpace(" "), "")
        XCTAssertEqual(RuleNode.normalizeSpace(""), "")
        XCTAssertEqual(RuleNode.normalizeSpace("é\u{A0}x"), "é\u{A0}x")
    }
}
