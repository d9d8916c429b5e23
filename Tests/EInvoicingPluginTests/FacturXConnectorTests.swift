import CZlib
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

    func testAFlateBombStopsAtTheLimit() throws {
        // 64 MiB of zeros compress to about 64 KiB: the PDF passes the size check, its stream may not.
        let pdf = Self.pdf(embedding: try Self.deflated(Data(count: 64 << 20)))
        XCTAssertLessThan(pdf.count, 1 << 20)
        var connector = try FacturXConnector(settings: testKit.settings(#"{"maxBytes": 1048576}"#))
        let error = testKit.connectorError { try connector.decode(testKit.envelope(pdf)) }
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertTrue(error?.message.contains("expands past the configured limit of 1048576 bytes") ?? false, error?.message ?? "")
    }

    func testAFlateEncodedInvoiceIsRead() throws {
        let xml = try testKit.fixture("facturx-xml/factur-x-en16931.xml")
        var connector = try FacturXConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Self.pdf(embedding: try Self.deflated(xml)))).first)
        XCTAssertEqual(event.type, "InvoiceReceived")
    }

    func testATruncatedFlateStreamIsADeadLetter() throws {
        let compressed = try Self.deflated(try testKit.fixture("facturx-xml/factur-x-en16931.xml"))
        var connector = try FacturXConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(Self.pdf(embedding: compressed.prefix(compressed.count / 2)))) }
        XCTAssertEqual(error?.code, .malformedPayload)
        XCTAssertTrue(error?.message.contains("cut short") ?? false, error?.message ?? "")
    }

    func testAFilterTheHubDoesNotDecodeIsRefusedWithItsName() throws {
        var connector = try FacturXConnector(settings: testKit.settings())
        let error = testKit.connectorError {
            try connector.decode(testKit.envelope(Self.pdf(embedding: Data("not really LZW".utf8), filter: "/LZWDecode")))
        }
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertTrue(error?.message.contains("/LZWDecode") ?? false, error?.message ?? "")
    }

    /// `data` compressed by zlib, as PDF's FlateDecode holds it.
    static func deflated(_ data: Data) throws -> Data {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBytes { input in
            compress2(&output, &length, input.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(data.count), 9)
        }
        guard status == Z_OK else { throw TestSupportError(.commandFailed, "zlib compress2 failed: \(status)") }
        return Data(output.prefix(Int(length)))
    }

    /// A PDF whose one embedded file, factur-x.xml, is `stream` with the given `/Filter`.
    static func pdf(embedding stream: Data, filter: String = "/FlateDecode") -> Data {
        pdf(objects: [
            Data("<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>".utf8),
            Data("<< /Type /Pages /Kids [] /Count 0 >>".utf8),
            Data("<< /Names [(factur-x.xml) 4 0 R] >>".utf8),
            Data("<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /EF << /F 5 0 R >> >>".utf8),
            Data("<< /Type /EmbeddedFile /Filter \(filter) /Length \(stream.count) >>\nstream\n".utf8) + stream + Data("\nendstream".utf8),
        ])
    }

    /// A small PDF with the given objects (numbered from 1) and a correct cross-reference table.
    static func pdf(objects: [String]) -> Data {
        pdf(objects: objects.map { Data($0.utf8) })
    }

    static func pdf(objects: [Data]) -> Data {
        var pdf = Data("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf += Data("\(index + 1) 0 obj\n".utf8) + object + Data("\nendobj\n".utf8)
        }
        let xref = pdf.count
        var text = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return pdf + Data(text.utf8)
    }
}
