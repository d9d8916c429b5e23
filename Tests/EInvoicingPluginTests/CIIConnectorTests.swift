import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import XCTest

final class CIIConnectorTests: XCTestCase {
    func testEveryOfficialCIIExamplePassesWithNoFailure() throws {
        let names = try testKit.fixtureNames(in: "cii")
        XCTAssertEqual(names.count, 5)
        for name in names {
            var connector = try CIIConnector(settings: testKit.settings())
            let events = try connector.decode(testKit.envelope(try testKit.fixture("cii/\(name)"), origin: name))
            XCTAssertEqual(events.count, 1, name)
            XCTAssertEqual(events[0].failedRules, [], "\(name): \(events[0].failureMessages)")
        }
    }

    func testCIIExample1MatchesItsUBLTwin() throws {
        var cii = try CIIConnector(settings: testKit.settings())
        var ubl = try UBLConnector(settings: testKit.settings())
        let fromCII = try XCTUnwrap(cii.decode(testKit.envelope(try testKit.fixture("cii/CII_example1.xml"))).first)
        let fromUBL = try XCTUnwrap(ubl.decode(testKit.envelope(try testKit.fixture("ubl/ubl-tc434-example1.xml"))).first)
        for name in ["number", "issueDate", "typeCode", "currency", "lineTotal", "taxExclusiveTotal", "taxTotal",
                     "taxInclusiveTotal", "amountDue", "lineCount"] {
            XCTAssertEqual(fromCII.attributes[name], fromUBL.attributes[name], name)
        }
        XCTAssertEqual(fromCII.text("syntax"), "CII")
    }

    func testFacturXProfilesAreRecognisedByTheirSpecificationIdentifier() throws {
        let expected = ["factur-x-minimum.xml": "MINIMUM", "factur-x-basicwl.xml": "BASIC WL", "factur-x-en16931.xml": "EN16931"]
        for (name, profile) in expected {
            var connector = try CIIConnector(settings: testKit.settings())
            let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("facturx-xml/\(name)"))).first)
            XCTAssertEqual(event.text("profile"), profile, name)
            XCTAssertEqual(event.text("number"), "F20260023", name)
            XCTAssertEqual(event.text("taxInclusiveTotal"), "104.90", name)
            XCTAssertEqual(event.text("sellerVATID"), "FR11123456782", name)
            // These samples are EN 16931-clean; their buyer's SIREN 987654321 is made up and its
            // check digit is wrong, which is exactly what the French check reports.
            XCTAssertEqual(event.failedRules, ["FR-SIREN"], "\(name): \(event.failureMessages)")
            XCTAssertTrue(event.failureMessages[0].contains("buyer's SIREN 987654321"), event.failureMessages[0])
        }
        XCTAssertEqual(InvoiceProfile(specificationID: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"), .basic)
        XCTAssertEqual(InvoiceProfile(specificationID: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended"), .extended)
    }

    func testEN16931SampleMapsChorusProRoutingTermsAndFrenchIdentifiers() throws {
        var connector = try CIIConnector(settings: testKit.settings())
        let event = try XCTUnwrap(connector.decode(testKit.envelope(try testKit.fixture("facturx-xml/factur-x-en16931.xml"))).first)
        XCTAssertEqual(event.text("sellerSIRET"), "12345678200077")
        XCTAssertEqual(event.text("sellerSIREN"), "123456782")
        XCTAssertEqual(event.text("issueDate"), "2026-01-31", "format 102 dates become ISO 8601")
        XCTAssertEqual(event.text("serviceCode"), "SERVEXEC", "BT-10, the Chorus Pro service code")
        XCTAssertEqual(event.text("engagementNumber"), "PO201925478", "BT-13, the commitment number")
        XCTAssertEqual(event.text("contractReference"), "CT2018120802")
        XCTAssertEqual(event.attributes["isCreditNote"], .boolean(false))
        XCTAssertGreaterThan(event.attributes["lineCount"]?.number ?? 0, 0)
    }
}
