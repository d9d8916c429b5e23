import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import HubXML
import XCTest

/// Hostile or oversized documents become dead letters, read no file and end promptly.
final class InputSafetyTests: XCTestCase {
    func testAnExternalEntityIsRefusedAndReadsNoFile() throws {
        let xxe = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE Invoice [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:ID>&xxe;</cbc:ID>
            </Invoice>
            """
        for connector in [UBLConnector.self, CIIConnector.self] as [any Connector.Type] {
            var instance = try connector.init(settings: testKit.settings())
            let error = testKit.connectorError { try instance.decode(testKit.envelope(Data(xxe.utf8))) }
            XCTAssertEqual(error?.code, .unsupported)
            XCTAssertTrue(error?.message.contains("DOCTYPE") ?? false, error?.message ?? "")
            XCTAssertFalse(error?.message.contains("root:") ?? true, "nothing of /etc/passwd leaks")
        }
    }

    func testABillionLaughsPayloadIsRefusedBeforeExpansion() throws {
        var entities = #"<!ENTITY lol0 "lol">"#
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE Invoice [\(entities)]>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol9;</ID></Invoice>
            """
        var connector = try UBLConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(Data(bomb.utf8))) }
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertTrue(error?.message.contains("entity expansion") ?? false, error?.message ?? "")
    }

    func testAnEntityDeclarationWithoutDOCTYPEKeywordCaseIsStillRefused() {
        let sneaky = #"<?xml version="1.0"?><!doctype x [<!entity a "b">]><x>&a;</x>"#
        XCTAssertThrowsError(try SafeXMLReader(maxBytes: 1000).read(Data(sneaky.utf8))) { error in
            XCTAssertEqual((error as? ConnectorError)?.code, .unsupported)
        }
    }

    func testADocumentLargerThanTheLimitIsRefused() throws {
        let payload = try testKit.fixture("ubl/ubl-tc434-example1.xml")
        var connector = try UBLConnector(settings: testKit.settings(#"{"maxBytes": 1000}"#))
        let error = testKit.connectorError { try connector.decode(testKit.envelope(payload)) }
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertTrue(error?.message.contains("larger than the configured limit of 1000 bytes") ?? false, error?.message ?? "")
    }

    func testDeepNestingAndMalformedXMLAreRefused() throws {
        let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
        XCTAssertThrowsError(try SafeXMLReader(maxBytes: 1 << 20).read(Data(deep.utf8))) { error in
            XCTAssertTrue((error as? ConnectorError)?.message.contains("deeper than") ?? false, "\(error)")
        }
        var connector = try CIIConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(Data("<rsm:Cross".utf8))) }
        XCTAssertEqual(error?.code, .malformedPayload)
        XCTAssertTrue(error?.message.contains("not well-formed") ?? false, error?.message ?? "")
    }

    func testInvalidUTF8InAnInvoiceIsADeadLetterNotACrash() throws {
        var bytes = Array(try testKit.fixture("ubl/ubl-tc434-example1.xml"))
        let tag = Array("<cbc:ID>".utf8)
        let at = try XCTUnwrap((0...(bytes.count - tag.count)).first { Array(bytes[$0..<$0 + tag.count]) == tag })
        bytes[at + 5] = 0xFF  // <cbc:\u{FF}D>: a byte that is not UTF-8 inside a tag name
        var connector = try UBLConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(Data(bytes))) }
        XCTAssertEqual(error?.code, .malformedPayload)
        XCTAssertTrue(error?.message.contains("not well-formed XML") ?? false, error?.message ?? "")
    }

    func testAmountsAreDecimalNeverBinaryFloatingPoint() throws {
        // 0.1 + 0.2 is not 0.3 in binary floating point; in the invoice it must be.
        var text = String(decoding: try testKit.fixture("ubl/ubl-tc434-example1.xml"), as: UTF8.self)
        XCTAssertTrue(text.contains("<cbc:PayableAmount currencyID=\"EUR\">250.33</cbc:PayableAmount>"))
        text = text.replacing(#/<cbc:PayableAmount currencyID="EUR">250.33</cbc:PayableAmount>/#, with: """
            <cbc:PrepaidAmount currencyID="EUR">0.1</cbc:PrepaidAmount><cbc:PayableRoundingAmount currencyID="EUR">0.2</cbc:PayableRoundingAmount><cbc:PayableAmount currencyID="EUR">250.43</cbc:PayableAmount>
            """)
        var connector = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(text.utf8))).first)
        XCTAssertEqual(event.failedRules, [], "\(event.failureMessages)")
        XCTAssertEqual(event.text("amountDue"), "250.43")
        XCTAssertEqual(event.text("prepaidAmount"), "0.10")
    }

    func testA50MBDocumentIsADeadLetterNamingItsSizeAndTheSetting() throws {
        // A real invoice padded with a 50 MB comment: well-formed, just too large for the default limit.
        let invoice = try testKit.fixture("ubl/ubl-tc434-example1.xml")
        let padding = Data("<!--".utf8) + Data(repeating: UInt8(ascii: "x"), count: 50_000_000) + Data("-->".utf8)
        for (type, payload) in [(UBLConnector.self, invoice + padding), (CIIConnector.self, try testKit.fixture("cii/CII_example1.xml") + padding)] as [(any Connector.Type, Data)] {
            var connector = try type.init(settings: testKit.settings())
            let error = testKit.connectorError { try connector.decode(testKit.envelope(payload)) }
            XCTAssertEqual(error?.code, .unsupported, "\(type)")
            XCTAssertEqual(error?.message, "the document is \(payload.count) bytes, larger than the configured limit of 10485760 bytes (setting maxBytes)")
        }
    }

    func testA50MBDocumentUnderARaisedLimitIsReadOrRefusedWithAReason() throws {
        // 50 MB of invoice notes under a 64 MiB limit: the hub reads it through or says why not.
        let invoice = String(decoding: try testKit.fixture("ubl/ubl-tc434-example1.xml"), as: UTF8.self)
        let note = "<cbc:Note>" + String(repeating: "n", count: 990) + "</cbc:Note>\n"
        let huge = invoice.replacingOccurrences(of: "<cbc:Note>", with: String(repeating: note, count: 50_000) + "<cbc:Note>", options: [], range: invoice.range(of: "<cbc:Note>"))
        XCTAssertGreaterThan(huge.utf8.count, 50_000_000)
        var connector = try UBLConnector(settings: testKit.settings(#"{"maxBytes": 67108864}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(huge.utf8))).first)
        XCTAssertEqual(event.text("number"), "12115118")

        let text = "<cbc:Note>" + String(repeating: "n", count: 50_000_000) + "</cbc:Note>"
        let oneNode = invoice.replacingOccurrences(of: "<cbc:Note>", with: text + "<cbc:Note>", options: [], range: invoice.range(of: "<cbc:Note>"))
        let error = testKit.connectorError { try connector.decode(testKit.envelope(Data(oneNode.utf8))) }
        XCTAssertEqual(error?.code, .unsupported, error?.message ?? "")
        XCTAssertTrue(error?.message.hasPrefix("the document is too large for libxml2 to read: xmlSAX2Characters: huge text node at line 20") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.hasSuffix("(it refuses one text over 10,000,000 bytes); refused") ?? false, error?.message ?? "")
    }

    func testATruncatedDocumentIsADeadLetterSayingWhere() throws {
        for (type, fixture) in [(UBLConnector.self, "ubl/ubl-tc434-example1.xml"), (CIIConnector.self, "cii/CII_example1.xml")] as [(any Connector.Type, String)] {
            let document = try testKit.fixture(fixture)
            var connector = try type.init(settings: testKit.settings())
            for length in [1, 40, 200, document.count / 3, document.count / 2, document.count - 20] {
                let error = testKit.connectorError { try connector.decode(testKit.envelope(document.prefix(length))) }
                XCTAssertEqual(error?.code, .malformedPayload, "\(fixture) cut at \(length): \(error?.message ?? "no error")")
                XCTAssertTrue(error?.message.hasPrefix("the document is not well-formed XML") ?? false, "\(fixture) cut at \(length): \(error?.message ?? "")")
            }
        }
    }
}
