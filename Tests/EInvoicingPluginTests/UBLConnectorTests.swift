import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import XCTest

final class UBLConnectorTests: XCTestCase {
    func testEveryOfficialUBLExamplePassesWithNoFailure() throws {
        let names = try testKit.fixtureNames(in: "ubl")
        XCTAssertEqual(names.count, 7)
        for name in names {
            var connector = try UBLConnector(settings: testKit.settings())
            let events = try connector.decode(testKit.envelope(try testKit.fixture("ubl/\(name)"), origin: name))
            XCTAssertEqual(events.count, 1, name)
            XCTAssertEqual(events[0].failedRules, [], "\(name): \(events[0].failureMessages)")
            XCTAssertEqual(events[0].attributes["valid"], .boolean(true), name)
        }
    }

    func testExample1MapsTheBusinessTermsABuyerNeeds() throws {
        let payload = try testKit.fixture("ubl/ubl-tc434-example1.xml")
        var connector = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(payload)).first)
        XCTAssertEqual(event.type, "InvoiceReceived")
        XCTAssertEqual(event.text("number"), "12115118")
        XCTAssertEqual(event.text("issueDate"), "2015-01-09")
        XCTAssertEqual(event.observedAt.iso8601.prefix(10), "2015-01-09")
        XCTAssertEqual(event.text("typeCode"), "380")
        XCTAssertEqual(event.text("currency"), "EUR")
        XCTAssertEqual(event.text("sellerName"), "De Koksmaat")
        XCTAssertEqual(event.text("buyerName"), "ODIN 59")
        XCTAssertEqual(event.text("lineTotal"), "229.60")
        XCTAssertEqual(event.text("taxExclusiveTotal"), "229.60")
        XCTAssertEqual(event.text("taxTotal"), "20.73")
        XCTAssertEqual(event.text("taxInclusiveTotal"), "250.33")
        XCTAssertEqual(event.text("amountDue"), "250.33")
        XCTAssertEqual(event.attributes["lineCount"], .number(20, unit: nil))
        XCTAssertEqual(event.attributes["isCreditNote"], .boolean(false))
        XCTAssertEqual(event.text("format"), "UBL")
        XCTAssertEqual(event.text("document"), "sha256:" + SHA256.hash(payload).hexString)
        XCTAssertEqual(UBLConnector.archivedMediaType, "application/xml")
    }

    func testCreditNoteIsReadAsACreditNote() throws {
        var connector = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("ubl/ubl-tc434-creditnote1.xml"))).first)
        XCTAssertEqual(event.text("typeCode"), "381")
        XCTAssertEqual(event.attributes["isCreditNote"], .boolean(true))
        XCTAssertEqual(event.text("number"), "018304 / 28865")
    }

    func testMissingTermsFailTheirPresenceRulesAndTheInvoiceIsStillAnEvent() throws {
        var text = String(decoding: try testKit.fixture("ubl/ubl-tc434-example1.xml"), as: UTF8.self)
        text = text.replacing(#/<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>/#, with: "", maxReplacements: 1)
        text = text.replacing(#/<cbc:CustomizationID>[^<]*</cbc:CustomizationID>/#, with: "")
        var connector = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(text.utf8))).first)
        XCTAssertTrue(Set(event.failedRules).isSuperset(of: ["BR-01", "BR-05"]), "\(event.failedRules)")
        XCTAssertEqual(event.attributes["valid"], .boolean(false))
        XCTAssertEqual(event.text("reference"), "EN 16931 (CEN/TC 434 UBL artefact)")
        let missingCurrency = try XCTUnwrap(event.failures.first { $0["rule"] == "BR-05" })
        XCTAssertEqual(missingCurrency, [
            "rule": "BR-05", "flag": "fatal", "terms": "BT-5", "location": "/Invoice",
            "message": "An Invoice shall have an Invoice currency code (BT-5).",
        ], "a missing term has no value; its location is the element that lacks it")
    }

    func testAWrongTotalFailsItsArithmeticRule() throws {
        var text = String(decoding: try testKit.fixture("ubl/ubl-tc434-example1.xml"), as: UTF8.self)
        text = text.replacing(#/<cbc:PayableAmount currencyID="EUR">250.33</cbc:PayableAmount>/#,
                              with: #"<cbc:PayableAmount currencyID="EUR">250.34</cbc:PayableAmount>"#)
        var connector = try UBLConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(Data(text.utf8))).first)
        XCTAssertEqual(event.failedRules, ["BR-CO-16"], "\(event.failureMessages)")
        XCTAssertEqual(event.attributes["valid"], .boolean(false))
    }

    func testASecondDocumentWithTheSameSellerNumberAndYearIsFlaggedButARedeliveryIsNot() throws {
        let original = try testKit.fixture("ubl/ubl-tc434-example1.xml")
        var changed = String(decoding: original, as: UTF8.self)
        changed = changed.replacing(#/<cbc:Note>/#, with: "<cbc:Note>Resent. ", maxReplacements: 1)
        var connector = try UBLConnector(settings: testKit.settings())
        let first = try connector.decode(testKit.envelope(original))[0]
        let again = try connector.decode(testKit.envelope(original))[0]
        let second = try connector.decode(testKit.envelope(Data(changed.utf8)))[0]
        XCTAssertEqual(first.failedRules, [])
        XCTAssertEqual(again.failedRules, [], "the same document delivered twice is not a duplicate")
        XCTAssertEqual(again.id, first.id, "and it is the same event, stored once")
        XCTAssertEqual(second.failedRules, ["DUPLICATE"])
        XCTAssertNotEqual(second.id, first.id)
        XCTAssertTrue(second.failureMessages[0].contains(SHA256.hash(original).hexString))

        var unchecked = try UBLConnector(settings: testKit.settings(#"{"flagDuplicates": false}"#))
        _ = try unchecked.decode(testKit.envelope(original))
        XCTAssertEqual(try unchecked.decode(testKit.envelope(Data(changed.utf8)))[0].failedRules, [])
    }

    func testACIIDocumentIsNotAUBLInvoice() throws {
        var connector = try UBLConnector(settings: testKit.settings())
        let error = testKit.connectorError { try connector.decode(testKit.envelope(try testKit.fixture("cii/CII_example1.xml"))) }
        XCTAssertEqual(error?.code, .malformedPayload)
        XCTAssertTrue(error?.message.contains("CrossIndustryInvoice") ?? false, error?.message ?? "")
    }

    func testUnknownSettingIsRefusedByName() {
        XCTAssertThrowsError(try UBLConnector(settings: testKit.settings(#"{"maxbytes": 10}"#))) { error in
            XCTAssertEqual((error as? SettingsError)?.path, "routes[0].settings.maxbytes")
        }
    }
}
