@testable import EInvoicingPlugin
import Foundation
import HubXML
import XCTest

/// The code list rules (BR-CL-*) on the edges where the two syntaxes' contexts and XPath decide:
/// each case edits a complete example and expects the BR-CL failures the official CEN/TC 434
/// artefact reports on the edited document (checked with `Fixtures/en16931-xslt/official-verdicts.py`).
final class CodeListRuleTests: XCTestCase {
    func testEdgesGetTheArtefactsVerdicts() throws {
        for edge in Self.cases {
            var text = try String(contentsOf: XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + edge.fixture, withExtension: nil)), encoding: .utf8)
            for (old, new) in edge.edits {
                let range = try XCTUnwrap(text.range(of: old), "\(edge.name): no \(old) in \(edge.fixture)")
                text.replaceSubrange(range, with: new)
            }
            let root = try SafeXMLReader(maxBytes: 4 << 20).read(Data(text.utf8))
            let ruleSet = try XCTUnwrap(EN16931Rules.ruleSet(for: root))
            let failed = Set(ruleSet.failures(in: root).map(\.rule).filter { $0.hasPrefix("BR-CL-") })
            XCTAssertEqual(failed, edge.expected, edge.name)
        }
    }

    func testEveryListIsTheArtefactsSize() {
        // The counts README.md records; a regeneration that changes them changes the README too.
        XCTAssertEqual(EN16931CodeLists.iso4217.count, 178)
        XCTAssertEqual(EN16931CodeLists.unitCodes.count, 2162)
        XCTAssertEqual(EN16931CodeLists.iso6523ICD.count, 243)
        XCTAssertEqual(EN16931CodeLists.eas.count, 104)
        XCTAssertEqual(EN16931CodeLists.iso3166UBL.subtracting(EN16931CodeLists.iso3166CII), ["SS"])
        XCTAssertEqual(EN16931CodeLists.iso3166CII.subtracting(EN16931CodeLists.iso3166UBL), ["AN"])
        XCTAssertEqual(EN16931CodeLists.untdid1001InvoiceUBL.union(EN16931CodeLists.untdid1001CreditNoteUBL), EN16931CodeLists.untdid1001CII)
    }

    private static let cases: [CodeListCase] = [
        CodeListCase("SEPA on the seller's identifier is allowed (UBL BR-CL-10)", "ubl/ubl-tc434-example2.xml", expects: [], [
            ("<cbc:ID schemeID=\"0088\">1238764941386</cbc:ID>",
             "<cbc:ID schemeID=\"SEPA\">1238764941386</cbc:ID>"),
        ]),
        CodeListCase("SEPA on the buyer's identifier is not", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-10"], [
            ("<cbc:ID schemeID=\"0088\">3456789012098</cbc:ID>",
             "<cbc:ID schemeID=\"SEPA\">3456789012098</cbc:ID>"),
        ]),
        CodeListCase("SEPA on the payee's identifier is allowed", "ubl/ubl-tc434-example2.xml", expects: [], [
            ("<cbc:ID schemeID=\"0088\">2298740918237</cbc:ID>",
             "<cbc:ID schemeID=\"SEPA\">2298740918237</cbc:ID>"),
        ]),
        CodeListCase("an amount without currencyID breaks BR-CL-03", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-03"], [
            ("<cbc:Amount currencyID=\"NOK\">100.00</cbc:Amount>",
             "<cbc:Amount>100.00</cbc:Amount>"),
        ]),
        CodeListCase("a document reference typed 130 has its scheme checked (BR-CL-07)", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-07"], [
            ("<cbc:ID>Doc2</cbc:ID>",
             "<cbc:ID schemeID=\"ZZZ1\">Doc2</cbc:ID><cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"),
        ]),
        CodeListCase("one typed otherwise has not", "ubl/ubl-tc434-example2.xml", expects: [], [
            ("<cbc:ID>Doc2</cbc:ID>",
             "<cbc:ID schemeID=\"ZZZ1\">Doc2</cbc:ID><cbc:DocumentTypeCode>916</cbc:DocumentTypeCode>"),
        ]),
        CodeListCase("ChargeIndicator true and false at once: the allowance context (BR-CL-19) wins", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-19"], [
            ("<cbc:ChargeIndicator>0</cbc:ChargeIndicator>",
             "<cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:ChargeIndicator>0</cbc:ChargeIndicator>"),
            ("<cbc:AllowanceChargeReasonCode>88<",
             "<cbc:AllowanceChargeReasonCode>ABL<"),
        ]),
        CodeListCase("mimeCode is compared as written, leading space included", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-24"], [
            ("mimeCode=\"application/pdf\"",
             "mimeCode=\" application/pdf\""),
        ]),
        CodeListCase("a payment means code is normalized before the look-up", "ubl/ubl-tc434-example2.xml", expects: [], [
            ("<cbc:PaymentMeansCode>",
             "<cbc:PaymentMeansCode> "),
        ]),
        CodeListCase("380 is an invoice code, not a UBL credit note code", "ubl/ubl-tc434-creditnote1.xml", expects: ["BR-CL-01"], [
            ("<cbc:CreditNoteTypeCode>381",
             "<cbc:CreditNoteTypeCode>380"),
        ]),
        CodeListCase("502 is a UBL credit note code, not an invoice one", "ubl/ubl-tc434-example2.xml", expects: ["BR-CL-01"], [
            ("<cbc:InvoiceTypeCode>380",
             "<cbc:InvoiceTypeCode>502"),
        ]),
        CodeListCase("an origin country ID with a scheme is a registration identifier (BR-CL-11), not a country", "cii/CII_example2.xml", expects: ["BR-CL-11"], [
            ("<ram:ID>DE</ram:ID>",
             "<ram:ID schemeID=\"XX\">ZZ</ram:ID>"),
        ]),
        CodeListCase("an origin country ID without one is a country (BR-CL-15)", "cii/CII_example2.xml", expects: ["BR-CL-15"], [
            ("<ram:ID>DE</ram:ID>",
             "<ram:ID>ZZ</ram:ID>"),
        ]),
        CodeListCase("the delivery party's GlobalID is checked by BR-CL-26", "cii/CII_example2.xml", expects: ["BR-CL-26"], [
            ("<ram:GlobalID schemeID=\"0088\">6754238987643</ram:GlobalID>",
             "<ram:GlobalID schemeID=\"9999\">6754238987643</ram:GlobalID>"),
        ]),
        CodeListCase("a product's GlobalID by BR-CL-21", "cii/CII_example2.xml", expects: ["BR-CL-21"], [
            ("<ram:GlobalID schemeID=\"0088\">1234567890128</ram:GlobalID>",
             "<ram:GlobalID schemeID=\"9999\">1234567890128</ram:GlobalID>"),
        ]),
        CodeListCase("a trade party's GlobalID by BR-CL-10", "cii/CII_example2.xml", expects: ["BR-CL-10"], [
            ("<ram:GlobalID schemeID=\"0088\">1238764941386</ram:GlobalID>",
             "<ram:GlobalID schemeID=\"9999\">1238764941386</ram:GlobalID>"),
        ]),
        CodeListCase("VATEX codes are upper-cased before the look-up", "cii/CII_example2.xml", expects: [], [
            ("<ram:CategoryCode>S</ram:CategoryCode>",
             "<ram:CategoryCode>S</ram:CategoryCode><ram:ExemptionReasonCode>vatex-eu-ic</ram:ExemptionReasonCode>"),
        ]),
        CodeListCase("an unknown VATEX code breaks BR-CL-22", "cii/CII_example2.xml", expects: ["BR-CL-22"], [
            ("<ram:CategoryCode>S</ram:CategoryCode>",
             "<ram:CategoryCode>S</ram:CategoryCode><ram:ExemptionReasonCode>vatex-eu-zz</ram:ExemptionReasonCode>"),
        ]),
        CodeListCase("a VAT registration's scheme is not an ICD", "cii/CII_example2.xml", expects: [], [
            ("<ram:ID schemeID=\"VA\">NO123456789MVA</ram:ID>",
             "<ram:ID schemeID=\"XX\">NO123456789MVA</ram:ID>"),
        ]),
        CodeListCase("SS is no CII document type code", "cii/CII_example2.xml", expects: ["BR-CL-01"], [
            ("<ram:TypeCode>380",
             "<ram:TypeCode>SS"),
        ]),
    ]
}

/// One edit of a complete example and the BR-CL failures the official artefact reports on it.
struct CodeListCase {
    let name: String
    let fixture: String
    let edits: [(String, String)]
    let expected: Set<String>

    init(_ name: String, _ fixture: String, expects expected: Set<String>, _ edits: [(String, String)]) {
        self.name = name
        self.fixture = fixture
        self.edits = edits
        self.expected = expected
    }
}
