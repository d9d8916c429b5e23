import EInvoicingPlugin
import Foundation
import HubCore
import HubTesting
import XCTest

final class ChorusStatusConnectorTests: XCTestCase {
    private func warnings(_ event: Event) -> [String] {
        guard case .json(.array(let items))? = event.attributes["warnings"] else { return ["(none)"] }
        return items.compactMap { $0.objectValue?["message"]?.stringValue }
    }

    func testAHistoryBecomesOneEventPerStatusInTimeOrderWithoutWarnings() throws {
        let history = """
            {"identifiantFactureCPP": 4711, "numeroFacture": "F-2026-001", "historiqueStatuts": [
              {"statut": "MISE_A_DISPOSITION", "dateStatut": "2026-11-02T09:00:00Z"},
              {"statut": "DEPOSEE", "dateStatut": "2026-11-02T08:00:00Z"},
              {"statut": "SERVICE_FAIT", "dateStatut": "2026-11-05T10:00:00Z"},
              {"statut": "MANDATEE", "dateStatut": "2026-11-06T10:00:00Z"},
              {"statut": "MISE_EN_PAIEMENT", "dateStatut": "2026-11-10"}]}
            """
        var connector = try ChorusStatusConnector(settings: testKit.settings())
        let events = try connector.decode(testKit.envelope(Data(history.utf8)))
        XCTAssertEqual(events.map { $0.text("status") }, ["DEPOSEE", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT"])
        XCTAssertEqual(events.map { $0.text("previousStatus") }, [nil, "DEPOSEE", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE"])
        XCTAssertTrue(events.allSatisfy { warnings($0).isEmpty && $0.type == "InvoiceStatusChanged" })
        XCTAssertEqual(events[0].entity, "urn:ngsi-ld:Invoice:chorus:4711")
        XCTAssertEqual(events[0].text("invoiceNumber"), "F-2026-001")
        XCTAssertEqual(events[4].attributes["final"], .boolean(true))
        XCTAssertEqual(events[1].text("statusLabel"), "Mise à disposition")
    }

    func testAnIllegalTransitionIsKeptAndFlagged() throws {
        var connector = try ChorusStatusConnector(settings: testKit.settings())
        _ = try connector.decode(testKit.envelope(Data(#"{"identifiantFactureCPP": "9", "statut": "MISE_EN_PAIEMENT", "dateStatut": "2026-11-10T08:00:00Z"}"#.utf8)))
        // Remembered from the previous message: paid, then suspended, is not a lifecycle step.
        let later = try connector.decode(testKit.envelope(Data(#"{"identifiantFactureCPP": "9", "statut": "SUSPENDUE", "dateStatut": "2026-11-11T08:00:00Z", "motif": "pièce manquante"}"#.utf8)))
        XCTAssertEqual(later.count, 1)
        XCTAssertEqual(later[0].text("previousStatus"), "MISE_EN_PAIEMENT")
        XCTAssertEqual(warnings(later[0]).count, 1)
        XCTAssertTrue(warnings(later[0])[0].contains("final status"), warnings(later[0])[0])
        XCTAssertEqual(later[0].text("comment"), "pièce manquante")

        let skipped = try connector.decode(testKit.envelope(Data(#"{"identifiantFactureCPP": "10", "statut": "MANDATEE", "statutPrecedent": "DEPOSEE", "dateStatut": "2026-11-11T08:00:00Z"}"#.utf8)))
        XCTAssertTrue(warnings(skipped[0]).first?.contains("does not go from Déposée to Mandatée") ?? false, "\(warnings(skipped[0]))")
    }

    func testTheAPIsOtherStatusesAreAcceptedButNotJudged() throws {
        var connector = try ChorusStatusConnector(settings: testKit.settings())
        let events = try connector.decode(testKit.envelope(Data("""
            [{"identifiantFactureCPP": 5, "statut": "MISE_A_DISPOSITION", "dateStatut": "2026-11-02"},
             {"identifiantFactureCPP": 5, "statut": "service-fait", "dateStatut": "2026-11-03"},
             {"identifiantFactureCPP": 5, "statut": "TRANSMISE_MOA", "dateStatut": "2026-11-04"},
             {"identifiantFactureCPP": 5, "statut": "ABANDONNEE", "dateStatut": "2026-11-05"},
             {"identifiantFactureCPP": 5, "statut": "MANDATEE", "dateStatut": "2026-11-06"}]
            """.utf8)))
        XCTAssertEqual(events.map { $0.text("status") }, ["MISE_A_DISPOSITION", "SERVICE_FAIT", "TRANSMISE_MOA", "ABANDONNEE", "MANDATEE"])
        XCTAssertEqual(events.map { warnings($0).count }, [0, 0, 0, 0, 1], "only the change after a final status is flagged")
        XCTAssertEqual(events[2].text("statusLabel"), "Transmise moa")
    }

    func testSuspendedThenCompletedIsAllowed() {
        XCTAssertNil(ChorusLifecycle.problem(from: "SUSPENDUE", to: "COMPLETEE"))
        XCTAssertNil(ChorusLifecycle.problem(from: "A_RECYCLER", to: "MISE_A_DISPOSITION"))
        XCTAssertNotNil(ChorusLifecycle.problem(from: "REJETEE", to: "MANDATEE"))
    }

    func testUnknownStatusAndBadRecordsAreDeadLetters() throws {
        var connector = try ChorusStatusConnector(settings: testKit.settings())
        let unknown = testKit.connectorError {
            try connector.decode(testKit.envelope(Data(#"{"identifiantFactureCPP": 1, "statut": "PAYEE", "dateStatut": "2026-11-10"}"#.utf8)))
        }
        XCTAssertEqual(unknown?.code, .invalidField)
        XCTAssertTrue(unknown?.message.contains("unknown Chorus Pro status \"PAYEE\"") ?? false, unknown?.message ?? "")
        let noDate = testKit.connectorError {
            try connector.decode(testKit.envelope(Data(#"{"identifiantFactureCPP": 1, "statut": "DEPOSEE"}"#.utf8)))
        }
        XCTAssertEqual(noDate?.code, .missingField)
        XCTAssertEqual(testKit.connectorError { try connector.decode(testKit.envelope(Data("nope".utf8))) }?.code, .malformedPayload)
    }
}
