import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import XCTest

final class FacturXConnectorTests: XCTestCase {
    func testTheEmbeddedInvoiceOfEachFacturXPDFIsRead() throws {
        let expected: [(file: String, number: String, profile: String, total: String)] = [
            ("akretion-invoice_EN16931.pdf", "F20260023", "EN16931", "104.90"),
            ("horstoeko-pdf_fx_extended_1.pdf", "F20200027", "EXTENDED", "110.00"),
            ("horstoeko-pdf_zf_en16931_1.pdf", "471102", "EN16931", "529.87"),
            ("mustang-validAvoir_FR_type380_BASICWL.pdf", "AV-2017-0005", "BASIC WL", "-233.47"),
        ]
        for item in expected {
            var connector = try FacturXConnector(settings: testKit.settings())
            let payload = try testKit.fixture("pdf/\(item.file)")
            let event = try XCTUnwrap(connector.decode(testKit.envelope(payload, origin: item.file)).first, item.file)
            XCTAssertEqual(event.text("number"), item.number, item.file)
            XCTAssertEqual(event.text("profile"), item.profile, item.file)
            XCTAssertEqual(event.text("taxInclusiveTotal"), item.total, item.file)
            XCTAssertEqual(event.text("format"), "Factur-X", item.file)
            XCTAssertEqual(event.text("document"), "sha256:" + SHA256.hash(payload).hexString, "the PDF is the archived document")
            // EN 16931 holds in all of them; only their made-up French identifiers fail.
            XCTAssertTrue(event.failedRules.allSatisfy { $0.hasPrefix("FR-") }, "\(item.file): \(event.failureMessages)")
        }
        XCTAssertEqual(FacturXConnector.archivedMediaType, "application/pdf")
    }

    func testTheAkretionPDFIsPickedByFileNameNotPosition() throws {
        // It embeds a delivery note PDF before factur-x.xml.
        var connector = try FacturXConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("pdf/akretion-invoice_EN16931.pdf"))).first)
        XCTAssertEqual(event.text("sellerSIRET"), "12345678200077")
    }

    func testAPDFWithoutEmbeddedXMLIsADeadLetterSayingSo() throws {
        var connector = try FacturXConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(try testKit.fixture("pdf/horstoeko-pdf_plain.pdf"))) }
        XCTAssertEqual(error?.code, .missingField)
        XCTAssertTrue(error?.message.contains("no embedded invoice XML") ?? false, error?.message ?? "")
    }

    func testZUGFeRD1IsRefusedWithAReason() throws {
        var connector = try FacturXConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(try testKit.fixture("pdf/mustang-zugferd_invoice.pdf"))) }
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertTrue(error?.message.contains("ZUGFeRD 1.0") ?? false, error?.message ?? "")
    }

    func testNotAPDFAndATruncatedPDFAreDeadLetters() throws {
        var connector = try FacturXConnector(settings: testKit.settings())
        let notPDF = testKit.connectorError { try connector.decode(testKit.envelope(Data("<xml/>".utf8))) }
        XCTAssertTrue(notPDF?.message.contains("not a PDF") ?? false, notPDF?.message ?? "")
        let pdf = try testKit.fixture("pdf/horstoeko-pdf_zf_en16931_1.pdf")
        for length in [20, 2000, pdf.count / 2] {
            XCTAssertThrowsError(try connector.decode(testKit.envelope(pdf.prefix(length))), "truncated at \(length)") { error in
                XCTAssertNotNil(error as? ConnectorError, "\(error)")
            }
        }
    }

    func testACyclicNameTreeEnds() throws {
        // A name tree whose /Kids point back at itself and at each other, and an /AF that loops.
        let pdf = Self.pdf(objects: [
            "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> /AF 5 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>",
            "<< /Kids [3 0 R 4 0 R] >>",
            "<< /Kids [4 0 R 3 0 R] >>",
            "[5 0 R]",
        ])
        var connector = try FacturXConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(pdf)) }
        XCTAssertEqual(error?.code, .missingField, error?.message ?? "")
    }

    func testAPDFLargerThanTheLimitIsRefusedUnread() throws {
        var connector = try FacturXConnector(settings: testKit.settings(#"{"maxBytes": 50000}"#))
        let error = testKit.connectorError { try connector.decode(testKit.envelope(try testKit.fixture("pdf/horstoeko-pdf_zf_en16931_1.pdf"))) }
        XCTAssertTrue(error?.message.contains("larger than the configured limit") ?? false, error?.message ?? "")
    }

    /// A small PDF with the given objects (numbered from 1) and a correct cross-reference table.
    static func pdf(objects: [String]) -> Data {
        var text = "%PDF-1.7\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }
}
