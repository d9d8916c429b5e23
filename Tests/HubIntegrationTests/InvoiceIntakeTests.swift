import Foundation
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import HubStore
import HubTesting
import Synchronization
import XCTest

/// Invoices through the other doors: MQTT (a gateway or a dematerialisation platform publishing),
/// and direct submission as a webhook will do; each stored once with its archived document.
final class InvoiceIntakeTests: XCTestCase {
    func testInvoicesPublishedOverMQTTAreCheckedStoredAndArchived() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "mqtt": .object(["host": .string("127.0.0.1"), "port": .number(Double(broker.port)), "clientId": .string("hub-invoices")]),
            "routes": .array([
                .object(["name": .string("ubl"), "mqtt": .object(["topic": .string("city/invoices/ubl")]), "connector": .string("einvoicing.ubl")]),
                .object(["name": .string("chorus"), "mqtt": .object(["topic": .string("city/invoices/status")]),
                         "connector": .string("einvoicing.chorus-status")]),
            ]),
        ])
        let runtime = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try runtime.start()
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))

        let invoice = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("ubl/ubl-tc434-example4.xml"))
        let status = Data(#"{"identifiantFactureCPP": 77, "statut": "REJETEE", "statutPrecedent": "MISE_EN_PAIEMENT", "dateStatut": "2026-11-20T09:00:00Z"}"#.utf8)
        let publisher = try makePublisher(broker, clientID: "invoice-platform")
        _ = try publisher.publish(topic: "city/invoices/ubl", payload: invoice, qos: 1)
        _ = try publisher.publish(topic: "city/invoices/ubl", payload: invoice, qos: 1)  // sent twice
        _ = try publisher.publish(topic: "city/invoices/status", payload: status, qos: 1)
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        publisher.stop()
        XCTAssertTrue(waitUntil(timeout: 20) { runtime.metrics.route("ubl").received.value == 2 && runtime.metrics.route("chorus").received.value == 1 })
        runtime.stop()

        let store = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        defer { try? store.close() }
        let invoices = try store.events(type: "InvoiceReceived", limit: 10)
        XCTAssertEqual(invoices.count, 1, "the same document twice is one event")
        XCTAssertEqual(invoices.first?.attributes["number"]?.text, "TOSL110")
        XCTAssertEqual(invoices.first?.attributes["valid"], .boolean(true))
        let reference = try XCTUnwrap(invoices.first?.attributes["document"]?.text)
        XCTAssertEqual(try store.document(sha256: reference)?.bytes, invoice)
        let statuses = try store.events(type: "InvoiceStatusChanged", limit: 10)
        XCTAssertEqual(statuses.count, 1)
        guard case .json(.array(let warnings))? = statuses.first?.attributes["warnings"] else { return XCTFail("no warnings attribute") }
        XCTAssertEqual(warnings.count, 1, "rejected after being paid is flagged")
        XCTAssertEqual(try store.documentCount(), 1, "status records are not archived")
    }

    func testASubmittedInvoiceReportsItsCommitAndADeadLetterItsReason() throws {
        let fixture = try HubFixture()
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "routes": .array([.object(["name": .string("cii"), "webhook": .object([:]), "connector": .string("einvoicing.cii")])]),
        ])
        let runtime = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try runtime.start()
        defer { runtime.stop() }
        let invoice = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("cii/CII_example3.xml"))
        let committed = DispatchSemaphore(value: 0)
        let recorded = Mutex<[Disposition]>([])
        for payload in [invoice, Data("<rsm:CrossIndustryInvoice".utf8)] {
            let envelope = Envelope(route: "cii", source: .webhook, origin: "/ingest/cii", payload: payload, receivedAt: .now())
            let delivery = Delivery(envelope) { disposition in
                recorded.withLock { $0.append(disposition) }
                committed.signal()
            }
            XCTAssertEqual(runtime.deliver(delivery, waitForRoom: false), .accepted)
            XCTAssertEqual(committed.wait(timeout: .now() + 10), .success)
        }
        let dispositions = recorded.withLock { $0 }
        XCTAssertEqual(dispositions.first, .stored(events: 1))
        guard case .deadLettered(let reason)? = dispositions.last else { return XCTFail("\(dispositions)") }
        XCTAssertTrue(reason.contains("not well-formed XML"), reason)
        XCTAssertEqual(try runtime.store.documentCount(), 1)
    }
}
