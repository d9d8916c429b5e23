import Foundation
import HubCore
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// The store's invoice register through a running hub: duplicates found across a restart of the
/// hub, across routes (a drop folder and a webhook), and an invoice's Chorus Pro statuses read by
/// its number only with a scope that may read them.
final class InvoiceRegisterHubTests: XCTestCase {
    private let supplier = "supplier-token-0123456789"
    private let accountant = "accountant-token-0123456789"
    private let reader = "reader-token-0123456789"

    private func configuration(_ fixture: HubFixture, folder: URL) throws -> HubConfiguration {
        func token(_ secret: String, _ scopes: [String]) -> JSONValue {
            .object(["name": .string(String(secret.prefix(8))), "token": .string(secret), "scopes": .array(scopes.map(JSONValue.string))])
        }
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "http": .object([
                "address": .string("127.0.0.1"), "port": .number(0),
                "tokens": .array([
                    token(supplier, ["ingest:invoices-webhook", "ingest:chorus"]),
                    token(accountant, ["read", "read:invoices-folder", "read:invoices-webhook", "read:chorus"]),
                    token(reader, ["read"]),
                ]),
            ]),
            "routes": .array([
                .object(["name": .string("invoices-folder"), "connector": .string("einvoicing.ubl"), "restricted": .bool(true),
                         "folder": .object(["path": .string(folder.path), "scanIntervalMs": .number(40)])]),
                .object(["name": .string("invoices-webhook"), "connector": .string("einvoicing.ubl"), "restricted": .bool(true),
                         "webhook": .object([:])]),
                .object(["name": .string("chorus"), "connector": .string("einvoicing.chorus-status"), "restricted": .bool(true),
                         "webhook": .object([:])]),
            ]),
        ])
        return try HubConfiguration(json: json, environment: [:], catalog: .compiledIn)
    }

    private func invoices(_ client: HTTPTestClient, token: String) throws -> [JSONValue] {
        let answer = try client.send("GET", "/api/v1/events?type=InvoiceReceived", token: token)
        XCTAssertEqual(answer.status, 200, answer.text)
        guard case .array(let items)? = answer.json?["items"] else { return [] }
        return items
    }

    private func rules(_ invoice: JSONValue?) -> [String] {
        guard case .array(let failures)? = invoice?["attributes"]?["failures"]?["json"] else { return [] }
        return failures.compactMap { $0["rule"]?.stringValue }
    }

    func testTheSameInvoiceNumberInAnotherDocumentIsFlaggedAfterARestartAndThroughAnotherDoor() throws {
        let fixture = try HubFixture()
        let folder = fixture.directory.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("ubl/ubl-tc434-example1.xml"))
        let text = String(decoding: original, as: UTF8.self)
        XCTAssertTrue(text.contains("<cbc:Note>"))
        let resent = Data(text.replacing("<cbc:Note>", with: "<cbc:Note>Sent again. ", maxReplacements: 1).utf8)
        let corrected = Data(text.replacing("<cbc:Note>", with: "<cbc:Note>Corrected copy. ", maxReplacements: 1).utf8)
        let originalReference = "sha256:" + SHA256.hash(original).hexString

        // First hub: the invoice is dropped into the folder.
        try original.write(to: folder.appendingPathComponent("invoice.xml"))
        let first = try Hub(configuration: configuration(fixture, folder: folder), logger: quietLogger)
        try first.start()
        XCTAssertTrue(waitUntil(timeout: 20) {
            (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("done").path)) == ["invoice.xml"]
        })
        first.stop()

        // Second hub on the same database: the same invoice in other documents, by webhook and by folder.
        let second = try Hub(configuration: configuration(fixture, folder: folder), logger: quietLogger)
        try second.start()
        defer { second.stop() }
        let client = HTTPTestClient(baseURL: "http://127.0.0.1:\(second.httpPort ?? 0)")
        let posted = try client.send("POST", "/ingest/invoices-webhook", token: supplier, body: resent)
        XCTAssertEqual(posted.status, 202, posted.text)
        XCTAssertEqual(posted.json?["status"], .string("stored"), posted.text)
        let again = try client.send("POST", "/ingest/invoices-webhook", token: supplier, body: original)
        XCTAssertEqual(again.json?["status"], .string("stored"), again.text)
        try corrected.write(to: folder.appendingPathComponent("corrected.xml"))
        XCTAssertTrue(waitUntil(timeout: 20) { (try? second.store.events(type: "InvoiceReceived", limit: 10).count) == 3 })

        let items = try invoices(client, token: accountant)
        XCTAssertEqual(items.count, 3, "the original delivered again is the same event: \(items)")
        func item(_ document: Data) -> JSONValue? {
            items.first { $0["attributes"]?["document"]?["value"]?.stringValue == "sha256:" + SHA256.hash(document).hexString }
        }
        XCTAssertEqual(rules(item(original)), [], "the first document, and the same document again, are not duplicates")
        XCTAssertEqual(item(original)?["attributes"]?["valid"]?["value"], .bool(true))
        for (copy, route) in [(resent, "invoices-webhook"), (corrected, "invoices-folder")] {
            let marked = try XCTUnwrap(item(copy), "\(route)")
            XCTAssertEqual(marked["route"]?.stringValue, route)
            XCTAssertEqual(rules(marked), ["DUPLICATE"], "\(route)")
            XCTAssertEqual(marked["attributes"]?["valid"]?["value"], .bool(false))
            guard case .array(let failures)? = marked["attributes"]?["failures"]?["json"],
                  let message = failures.first?["message"]?.stringValue else { return XCTFail("no message: \(marked)") }
            XCTAssertTrue(message.contains(originalReference) && message.contains("invoices-folder") && message.contains("12115118"),
                          message)
        }
        XCTAssertEqual(try invoices(client, token: reader), [], "a token that may not read the invoice routes sees none")
    }

    func testAnInvoicesChorusProStatusesAreReadByItsNumberWithTheScopeOfTheirRoute() throws {
        let fixture = try HubFixture()
        let hub = try Hub(configuration: configuration(fixture, folder: fixture.directory.appendingPathComponent("drop")),
                          logger: quietLogger)
        try hub.start()
        defer { hub.stop() }
        let client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
        let history = Data("""
            {"identifiantFactureCPP": 4711, "numeroFacture": "TOSL110", "historiqueStatuts": [
              {"statut": "MISE_A_DISPOSITION", "dateStatut": "2026-11-16T08:05:40Z"},
              {"statut": "DEPOSEE", "dateStatut": "2026-11-16T08:02:11Z"}]}
            """.utf8)
        let later = Data(#"{"identifiantFactureCPP": 4711, "statut": "MISE_EN_PAIEMENT", "dateStatut": "2026-11-27T06:00:00Z"}"#.utf8)
        let another = Data(#"{"identifiantFactureCPP": 99, "numeroFacture": "OTHER-1", "statut": "DEPOSEE", "dateStatut": "2026-11-16T09:00:00Z"}"#.utf8)
        for body in [history, later, another] {
            let answer = try client.send("POST", "/ingest/chorus", token: supplier, body: body)
            XCTAssertEqual(answer.json?["status"], .string("stored"), answer.text)
        }

        let answer = try client.send("GET", "/api/v1/invoice-statuses?number=TOSL110", token: accountant)
        XCTAssertEqual(answer.status, 200, answer.text)
        guard case .array(let items)? = answer.json?["items"] else { return XCTFail(answer.text) }
        XCTAssertEqual(items.compactMap { $0["attributes"]?["status"]?["value"]?.stringValue },
                       ["DEPOSEE", "MISE_A_DISPOSITION", "MISE_EN_PAIEMENT"],
                       "oldest first, with a later record that did not repeat the number")
        XCTAssertEqual(Set(items.compactMap { $0["entity"]?.stringValue }), ["urn:ngsi-ld:Invoice:chorus:4711"])

        let hidden = try client.send("GET", "/api/v1/invoice-statuses?number=TOSL110", token: reader)
        XCTAssertEqual(hidden.status, 200, hidden.text)
        XCTAssertEqual(hidden.json?["items"], .array([]), "the restricted status route is not shown to a plain read scope")
        XCTAssertEqual(try client.send("GET", "/api/v1/invoice-statuses", token: accountant).status, 400)
        XCTAssertEqual(try client.send("GET", "/api/v1/invoice-statuses?number=TOSL110&numbr=1", token: accountant).status, 400)
        XCTAssertEqual(try client.send("GET", "/api/v1/invoice-statuses?number=TOSL110").status, 401)
        XCTAssertEqual(try client.send("POST", "/api/v1/invoice-statuses?number=TOSL110", token: accountant).status, 405)
    }
}
