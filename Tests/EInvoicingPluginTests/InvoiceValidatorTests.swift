import EInvoicingPlugin
import Foundation
import HubCore
import HubServices
import HubTesting
import HubXML
import XCTest

/// `InvoiceValidator`: a report for any bytes, with the reference `InvoiceReferences` picks, every
/// failure the rule set finds, and a reason instead of a verdict when a document cannot be judged.
final class InvoiceValidatorTests: XCTestCase {
    private let validator = InvoiceValidator()

    /// The reference `InvoiceReferences` holds the XML `data` (or the one it embeds) to.
    private func reference(of xml: Data) throws -> String? {
        InvoiceReferences.ruleSet(for: try SafeXMLReader(maxBytes: 1 << 24).read(xml))?.reference
    }

    /// `fixture` without its first line holding `text` (a mutation the tests make to break a rule).
    private func fixture(_ path: String, removingLineWith text: String) throws -> Data {
        // Split as bytes: some fixtures end lines with "\r\n", which Swift's strings hold as one Character.
        let lines = try testKit.fixture(path).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let index = try XCTUnwrap(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains(text) }, "\(path) has no line with \(text)")
        return Data(lines.enumerated().filter { $0.offset != index }.map(\.element).joined(separator: [UInt8(ascii: "\n")]))
    }

    func testTheOfficialExamplesAreConformantWithWhatTheyDeclare() throws {
        // Each passes the official CEN/TC 434 artefact with no failed assert.
        let cases: [(path: String, syntax: String, number: String)] = [
            ("ubl/ubl-tc434-example1.xml", "UBL", "12115118"),
            ("ubl/ubl-tc434-creditnote1.xml", "UBL", "018304 / 28865"),
            ("cii/CII_example1.xml", "CII", "12115118"),
            ("facturx-xml/factur-x-en16931.xml", "CII", "F20260023"),
        ]
        for (path, syntax, number) in cases {
            let xml = try testKit.fixture(path)
            let report = validator.validate(xml, named: path)
            XCTAssertTrue(report.conformant, "\(path): \(report.failures)")
            XCTAssertEqual(report.failures, [], path)
            XCTAssertNil(report.unreadable, path)
            XCTAssertEqual(report.document, path)
            XCTAssertEqual(report.syntax, syntax, path)
            XCTAssertEqual(report.format, syntax, path)
            XCTAssertEqual(report.number, number, path)
            XCTAssertEqual(report.specificationID, "urn:cen.eu:en16931:2017", path)
            XCTAssertEqual(report.profile, "EN16931", path)
            XCTAssertEqual(report.reference, try reference(of: xml), path)
            XCTAssertNotNil(report.reference, path)
        }
    }

    func testAFacturXPDFIsJudgedOnTheInvoiceItEmbeds() throws {
        let pdf = try testKit.fixture("pdf/akretion-invoice_EN16931.pdf")
        let report = validator.validate(pdf, named: "akretion.pdf")
        XCTAssertTrue(report.conformant, "\(report.failures) \(report.unreadable ?? "")")
        XCTAssertEqual(report.format, "Factur-X")
        XCTAssertEqual(report.embeddedFile, "factur-x.xml")
        XCTAssertEqual(report.syntax, "CII")
        XCTAssertEqual(report.profile, "EN16931")
        XCTAssertEqual(validator.validate(pdf, named: "akretion.pdf", as: .pdf), report, "declared or sniffed, the same report")
    }

    func testABrokenRuleIsReportedWithItsFlagTermsMessageAndPlace() throws {
        let ubl = validator.validate(try fixture("ubl/ubl-tc434-example1.xml", removingLineWith: "<cbc:ID>12115118</cbc:ID>"), named: "ubl.xml")
        let cii = validator.validate(try fixture("cii/CII_example1.xml", removingLineWith: "<ram:ID>12115118</ram:ID>"), named: "cii.xml")
        for (report, root) in [(ubl, "/Invoice"), (cii, "/CrossIndustryInvoice")] {
            XCTAssertFalse(report.conformant)
            XCTAssertNil(report.number)
            XCTAssertNil(report.unreadable)
            let failure = try XCTUnwrap(report.failures.first { $0.rule == "BR-02" }, "\(report.failures)")
            XCTAssertEqual(failure.flag, .fatal)
            XCTAssertEqual(failure.terms, "BT-1")
            XCTAssertEqual(failure.message, "An Invoice shall have an Invoice number (BT-1).")
            XCTAssertEqual(failure.location, root)
            XCTAssertNil(failure.value, "the rule is about a value that is not there")
            XCTAssertEqual(report.fatalCount, report.failures.count { $0.flag == .fatal })
        }

        // The same broken invoice inside a Factur-X PDF.
        let brokenXML = try fixture("facturx-xml/factur-x-en16931.xml", removingLineWith: "<ram:ID>F20260023</ram:ID>")
        let pdf = validator.validate(FacturXConnectorTests.pdf(embedding: try FacturXConnectorTests.deflated(brokenXML)), named: "x.pdf")
        XCTAssertFalse(pdf.conformant)
        XCTAssertEqual(pdf.format, "Factur-X")
        XCTAssertEqual(pdf.failures.map(\.rule), validator.validate(brokenXML, named: "x.xml").failures.map(\.rule))
        XCTAssertTrue(pdf.failures.contains { $0.rule == "BR-02" }, "\(pdf.failures)")
    }

    func testAFailureCarriesTheValueAndPlaceTheRuleEngineFound() {
        let failure = ValidationReport.Failure(RuleFailure(
            "BR-CL-04", "Invoice currency code MUST be coded using ISO code list 4217 alpha-3", flag: .fatal, terms: "BT-5",
            value: "EURO", location: "/Invoice/DocumentCurrencyCode"))
        XCTAssertEqual(failure.value, "EURO")
        XCTAssertEqual(failure.location, "/Invoice/DocumentCurrencyCode")
        XCTAssertEqual(failure.terms, "BT-5")
        let warning = ValidationReport.Failure(RuleFailure("BR-CO-19", "only a warning", flag: .warning))
        XCTAssertTrue(ValidationReport(document: "d", reference: "EN 16931", failures: [warning]).conformant,
                      "warnings alone leave a document conformant")
        XCTAssertFalse(ValidationReport(document: "d", reference: "EN 16931", failures: [warning, failure]).conformant)
        XCTAssertFalse(ValidationReport(document: "d").conformant, "a document judged against nothing is not conformant")
    }

    func testTheJSONIsStableAndReadsBack() throws {
        let report = ValidationReport(
            document: "a.xml", format: "UBL", syntax: "UBL", specificationID: "urn:cen.eu:en16931:2017", profile: "EN16931",
            number: "F-1", reference: "EN 16931 (CEN/TC 434 UBL artefact)",
            failures: [ValidationReport.Failure(RuleFailure("BR-CL-04", "Currency code", terms: "BT-5", value: "EURO",
                                                            location: "/Invoice/DocumentCurrencyCode"))])
        XCTAssertEqual(String(decoding: report.jsonData, as: UTF8.self), """
            {"conformant":false,"document":"a.xml","failures":[{"flag":"fatal","location":"/Invoice/DocumentCurrencyCode",\
            "message":"Currency code","rule":"BR-CL-04","terms":"BT-5","value":"EURO"}],"format":"UBL","number":"F-1",\
            "profile":"EN16931","reference":"EN 16931 (CEN/TC 434 UBL artefact)","specificationID":"urn:cen.eu:en16931:2017","syntax":"UBL"}
            """)
        XCTAssertEqual(try JSONDecoder().decode(ValidationReport.self, from: report.jsonData), report)
        let unreadable = validator.validate(Data("<x".utf8), named: "x")
        XCTAssertEqual(try JSONDecoder().decode(ValidationReport.self, from: unreadable.jsonData), unreadable)
    }

    func testWhatCannotBeJudgedGetsAReportSayingWhy() throws {
        let invoice = try testKit.fixture("ubl/ubl-tc434-example1.xml")
        let ciiPDF = try testKit.fixture("pdf/akretion-invoice_EN16931.pdf")
        let bomb = FacturXConnectorTests.pdf(embedding: try FacturXConnectorTests.deflated(Data(count: 64 << 20)))
        let xxe = #"<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>"#
        let cases: [(name: String, data: Data, type: InvoiceValidator.DocumentType?, reason: String)] = [
            ("empty", Data(), nil, "it is empty"),
            ("not XML", Data("invoice: 12".utf8), nil, "not well-formed XML"),
            ("truncated", invoice.prefix(invoice.count / 2), nil, "not well-formed XML"),
            ("external entity", Data(xxe.utf8), nil, "DOCTYPE"),
            ("UTF-16", Data(#"<?xml version="1.0" encoding="UTF-16"?><Invoice/>"#.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
             nil, "UTF-16"),
            ("deep", Data((String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)).utf8), nil, "deeper than"),
            ("other XML", Data(#"<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>"#.utf8), nil,
             "neither a UBL 2.1 Invoice or CreditNote nor a UN/CEFACT CrossIndustryInvoice"),
            ("too large", invoice + Data(count: InvoiceValidator.defaultMaxBytes), nil, "larger than the 10485760 bytes"),
            ("XML sent as PDF", invoice, .pdf, "does not start with %PDF-"),
            ("PDF sent as XML", ciiPDF, .xml, "send it as application/pdf"),
            ("plain PDF", try testKit.fixture("pdf/horstoeko-pdf_plain.pdf"), nil, "no embedded invoice XML"),
            ("ZUGFeRD 1", try testKit.fixture("pdf/mustang-zugferd_invoice.pdf"), nil, "ZUGFeRD 1.0"),
            ("truncated PDF", ciiPDF.prefix(ciiPDF.count / 3), nil, "the PDF cannot be read"),
            ("flate bomb", bomb, nil, "expands past"),
        ]
        for (name, data, type, reason) in cases {
            let report = validator.validate(data, named: name, as: type)
            let why = try XCTUnwrap(report.unreadable, "\(name): \(report)")
            XCTAssertTrue(why.contains(reason), "\(name): \(why)")
            XCTAssertFalse(why.contains("root:"), "\(name): nothing of /etc/passwd leaks")
            XCTAssertFalse(report.conformant, name)
            XCTAssertEqual(report.failures, [], name)
            XCTAssertNil(report.reference, name)
        }
    }

    func testSeededMutationsOfEachKindOfDocumentEachGiveAReport() throws {
        var random = SeededGenerator(seed: 13)
        for path in ["ubl/ubl-tc434-example2.xml", "cii/CII_example3.xml", "pdf/akretion-invoice_EN16931.pdf"] {
            let original = Array(try testKit.fixture(path))
            var unreadable = 0
            for index in 0..<150 {
                var bytes = original
                switch index % 3 {
                case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
                case 1:
                    for _ in 0..<Int.random(in: 1...8, using: &random) {
                        bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                    }
                default:
                    let start = Int.random(in: 0..<bytes.count, using: &random)
                    bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...400, using: &random)))
                }
                let report = validator.validate(Data(bytes), named: "\(path) mutation \(index)")
                if report.unreadable != nil { unreadable += 1 }
                XCTAssertTrue(report.unreadable != nil || report.reference != nil, "\(path) mutation \(index): judged or said why")
                XCTAssertEqual(try JSONDecoder().decode(ValidationReport.self, from: report.jsonData), report)
            }
            XCTAssertGreaterThan(unreadable, 0, "\(path): some mutation was refused")
        }
    }
}
