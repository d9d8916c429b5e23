import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import XCTest

/// Each connector folder's `sample` decodes as its README says, with the settings in `settings.json`.
final class ConnectorSampleTests: XCTestCase {
    private static let plugin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Plugins/EInvoicing")

    private func decode(_ type: any Connector.Type, folder: String, sample: String) throws -> [Event] {
        let settings = try Data(contentsOf: Self.plugin.appendingPathComponent("\(folder)/settings.json"))
        var connector = try type.init(settings: Settings(JSONValue(parsing: settings)))
        return try connector.decode(testKit.envelope(try Data(contentsOf: Self.plugin.appendingPathComponent("\(folder)/\(sample)"))))
    }

    func testTheInvoiceSamplesAreCleanAndAgree() throws {
        let ubl = try XCTUnwrap(decode(UBLConnector.self, folder: "UBL", sample: "sample.xml").first)
        let cii = try XCTUnwrap(decode(CIIConnector.self, folder: "CII", sample: "sample.xml").first)
        for event in [ubl, cii] {
            XCTAssertEqual(event.failedRules, [], "\(event.failureMessages)")
            XCTAssertEqual(event.entity, "urn:ngsi-ld:Invoice:123456782:FA-2026-0042")
            XCTAssertEqual(event.text("serviceCode"), "VOIRIE-ECLAIRAGE")
            XCTAssertEqual(event.text("engagementNumber"), "EJ-2026-001234")
            XCTAssertEqual(event.text("buyerSIRET"), "21310555400017")
            XCTAssertEqual(event.text("sellerVATID"), "FR11123456782")
            XCTAssertEqual(event.text("taxInclusiveTotal"), "2916.00")
            XCTAssertEqual(event.text("dueDate"), "2026-12-16")
        }
        let pdf = try XCTUnwrap(decode(FacturXConnector.self, folder: "FacturX", sample: "sample.pdf").first)
        XCTAssertEqual(pdf.failedRules, [])
        XCTAssertEqual(pdf.text("number"), "471102")
    }

    func testTheChorusSampleIsAnAllowedHistory() throws {
        let events = try decode(ChorusStatusConnector.self, folder: "ChorusStatus", sample: "sample.json")
        XCTAssertEqual(events.count, 7)
        XCTAssertEqual(events.last?.text("status"), "MISE_EN_PAIEMENT")
        for event in events {
            XCTAssertEqual(event.attributes["warnings"], .json(.array([])), event.text("status") ?? "")
        }
    }
}
