import Foundation
import HubCore
import HubRuntime
import HubServices
import HubTesting
import XCTest

/// Suppliers' platforms push invoices to the city's webhook: the answer comes once the invoice is
/// stored and archived, and only a scope naming the invoice route can read it back.
final class InvoiceWebhookTests: XCTestCase {
    private let supplier = "supplier-token-0123456789"
    private let accountant = "accountant-token-0123456789"
    private let reader = "reader-token-0123456789"

    func testAFacturXPDFPostedToTheWebhookIsStoredArchivedAndReadableOnlyWithItsScope() throws {
        let fixture = try HubFixture()
        func token(_ secret: String, _ scopes: [String]) -> JSONValue {
            .object(["name": .string(String(secret.prefix(8))), "token": .string(secret), "scopes": .array(scopes.map(JSONValue.string))])
        }
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "http": .object([
                "address": .string("127.0.0.1"), "port": .number(0), "maxRequestBytes": .number(4_194_304),
                "tokens": .array([token(supplier, ["ingest:invoices"]), token(accountant, ["read:invoices"]), token(reader, ["read"])]),
            ]),
            "routes": .array([.object([
                "name": .string("invoices"), "webhook": .object([:]), "restricted": .bool(true),
                "connector": .string("einvoicing.facturx"),
            ])]),
        ])
        let runtime = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try runtime.start()
        defer { runtime.stop() }
        let client = HTTPTestClient(baseURL: "http://127.0.0.1:\(runtime.httpPort ?? 0)")
        let pdf = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("pdf/akretion-invoice_EN16931.pdf"))

        XCTAssertEqual(try client.send("POST", "/ingest/invoices", token: reader, body: pdf).status, 403)
        let accepted = try client.send("POST", "/ingest/invoices", token: supplier, body: pdf,
                                       headers: ["Content-Type": "application/pdf"])
        XCTAssertEqual(accepted.status, 202, accepted.text)
        XCTAssertEqual(accepted.json?["status"], .string("stored"), accepted.text)
        // Committed before the answer: the event and its archived PDF are in the store now.
        let invoice = try XCTUnwrap(try runtime.store.events(type: "InvoiceReceived", limit: 10).first)
        let reference = try XCTUnwrap(invoice.attributes["document"]?.text)
        XCTAssertEqual(try runtime.store.document(sha256: reference)?.bytes, pdf)

        let plain = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("pdf/horstoeko-pdf_plain.pdf"))
        let refused = try client.send("POST", "/ingest/invoices", token: supplier, body: plain)
        XCTAssertEqual(refused.json?["status"], .string("dead-lettered"), refused.text)

        let forAccountant = try client.send("GET", "/api/v1/events?route=invoices", token: accountant)
        XCTAssertEqual(forAccountant.status, 200, forAccountant.text)
        XCTAssertTrue(forAccountant.text.contains(invoice.entity), forAccountant.text)
        let forReader = try client.send("GET", "/api/v1/events?route=invoices", token: reader)
        XCTAssertFalse(forReader.text.contains(invoice.entity), "a plain read scope does not see invoices: \(forReader.text)")
    }
}
