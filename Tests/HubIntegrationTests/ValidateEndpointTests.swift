import Foundation
import HubCore
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// `POST /api/v1/validate` over real HTTP: the report of `hub validate` as JSON, for a token with the
/// `validate` scope only, and nothing stored.
final class ValidateEndpointTests: XCTestCase {
    private let validatorToken = "validator-token-0123456789"
    private let readerToken = "reader-token-0123456789"
    private let supplierToken = "supplier-token-0123456789"
    private var fixture: HubFixture!
    private var runtime: Hub!
    private var client: HTTPTestClient!

    override func setUpWithError() throws {
        fixture = try HubFixture()
        func token(_ name: String, _ secret: String, _ scopes: [String]) -> JSONValue {
            .object(["name": .string(name), "token": .string(secret), "scopes": .array(scopes.map(JSONValue.string))])
        }
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "http": .object([
                "address": .string("127.0.0.1"), "port": .number(0), "maxRequestBytes": .number(1_048_576),
                "tokens": .array([
                    token("validator", validatorToken, ["validate"]), token("reader", readerToken, ["read", "admin"]),
                    token("supplier", supplierToken, ["ingest:invoices"]),
                ]),
            ]),
            "routes": .array([.object([
                "name": .string("invoices"), "webhook": .object([:]), "connector": .string("einvoicing.ubl"),
            ])]),
        ])
        runtime = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try runtime.start()
        client = HTTPTestClient(baseURL: "http://127.0.0.1:\(runtime.httpPort ?? 0)")
    }

    override func tearDownWithError() throws {
        runtime?.stop()
        if let fixture { try? FileManager.default.removeItem(at: fixture.directory) }
    }

    private func fixtureData(_ path: String) throws -> Data {
        try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent(path))
    }

    /// `path` without its first line holding `text`.
    private func fixtureData(_ path: String, removingLineWith text: String) throws -> Data {
        let lines = try fixtureData(path).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let index = try XCTUnwrap(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains(text) })
        return Data(lines.enumerated().filter { $0.offset != index }.map(\.element).joined(separator: [UInt8(ascii: "\n")]))
    }

    private func validate(_ body: Data, as contentType: String?, token: String? = nil, query: String = "") throws -> HTTPTestResponse {
        try client.send("POST", "/api/v1/validate" + query, token: token ?? validatorToken, body: body,
                        headers: contentType.map { ["Content-Type": $0] } ?? [:])
    }

    func testValidAndInvalidInvoicesGetTheirReport() throws {
        let ubl = try validate(try fixtureData("ubl/ubl-tc434-example1.xml"), as: "application/xml", query: "?name=ubl-example1.xml")
        XCTAssertEqual(ubl.status, 200, ubl.text)
        XCTAssertEqual(ubl.headers["content-type"], "application/json")
        XCTAssertEqual(ubl.json?["document"], .string("ubl-example1.xml"))
        XCTAssertEqual(ubl.json?["conformant"], .bool(true), ubl.text)
        XCTAssertEqual(ubl.json?["syntax"], .string("UBL"))
        XCTAssertEqual(ubl.json?["number"], .string("12115118"))
        XCTAssertEqual(ubl.json?["failures"], .array([]))
        XCTAssertTrue(ubl.json?["reference"]?.stringValue?.hasPrefix("EN 16931") ?? false, ubl.text)

        let broken = try validate(try fixtureData("cii/CII_example1.xml", removingLineWith: "<ram:ID>12115118</ram:ID>"),
                                  as: "text/xml; charset=utf-8")
        XCTAssertEqual(broken.status, 200, broken.text)
        XCTAssertEqual(broken.json?["document"], .string("document"), "the default name")
        XCTAssertEqual(broken.json?["conformant"], .bool(false), broken.text)
        XCTAssertEqual(broken.json?["syntax"], .string("CII"))
        let failure = try XCTUnwrap(broken.json?["failures"]?.arrayValue?.first { $0["rule"] == .string("BR-02") }, broken.text)
        XCTAssertEqual(failure["flag"], .string("fatal"))
        XCTAssertEqual(failure["location"], .string("/CrossIndustryInvoice"))
        XCTAssertEqual(failure["message"], .string("An Invoice shall have an Invoice number (BT-1)."))

        let pdf = try validate(try fixtureData("pdf/akretion-invoice_EN16931.pdf"), as: "application/pdf")
        XCTAssertEqual(pdf.status, 200, pdf.text)
        XCTAssertEqual(pdf.json?["conformant"], .bool(true), pdf.text)
        XCTAssertEqual(pdf.json?["format"], .string("Factur-X"))
        XCTAssertEqual(pdf.json?["embeddedFile"], .string("factur-x.xml"))

        // What cannot be judged is a report too, saying why.
        let plain = try validate(try fixtureData("pdf/horstoeko-pdf_plain.pdf"), as: "application/pdf")
        XCTAssertEqual(plain.status, 200, plain.text)
        XCTAssertEqual(plain.json?["conformant"], .bool(false))
        XCTAssertTrue(plain.json?["unreadable"]?.stringValue?.contains("no embedded invoice XML") ?? false, plain.text)
        let mislabelled = try validate(try fixtureData("ubl/ubl-tc434-example1.xml"), as: "application/pdf")
        XCTAssertTrue(mislabelled.json?["unreadable"]?.stringValue?.contains("does not start with %PDF-") ?? false, mislabelled.text)
        let xxe = try validate(Data(#"<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]><Invoice>&x;</Invoice>"#.utf8),
                               as: "application/xml")
        XCTAssertEqual(xxe.status, 200, xxe.text)
        XCTAssertTrue(xxe.json?["unreadable"]?.stringValue?.contains("DOCTYPE") ?? false, xxe.text)
        XCTAssertFalse(xxe.text.contains("root:"), "nothing of /etc/passwd leaks")
    }

    func testOnlyTheValidateScopeIsServedAndErrorsTakeTheAPIsShape() throws {
        let invoice = try fixtureData("ubl/ubl-tc434-example1.xml")
        let anonymous = try client.send("POST", "/api/v1/validate", body: invoice, headers: ["Content-Type": "application/xml"])
        XCTAssertEqual(anonymous.status, 401, anonymous.text)
        XCTAssertEqual(anonymous.json?["error"], .string("unauthorized"))
        for token in [readerToken, supplierToken] {
            let refused = try validate(invoice, as: "application/xml", token: token)
            XCTAssertEqual(refused.status, 403, refused.text)
            XCTAssertEqual(refused.json?["error"], .string("forbidden"))
            XCTAssertEqual(refused.json?["message"], .string("this token lacks the validate scope"))
        }
        // The validate scope reads nothing else.
        XCTAssertEqual(try client.send("GET", "/api/v1/events", token: validatorToken).status, 403)

        let json = try validate(Data("{}".utf8), as: "application/json")
        XCTAssertEqual(json.status, 415, json.text)
        XCTAssertEqual(json.json?["error"], .string("unsupported-media-type"))
        XCTAssertEqual(json.headers["accept-post"], "application/xml, text/xml, application/pdf")
        XCTAssertEqual(try validate(invoice, as: nil).status, 415)

        let large = try validate(invoice + Data(count: 1_048_576), as: "application/xml")
        XCTAssertEqual(large.status, 413, large.text)
        XCTAssertEqual(large.json?["error"], .string("too-large"))

        let get = try client.send("GET", "/api/v1/validate", token: validatorToken)
        XCTAssertEqual(get.status, 405, get.text)
        XCTAssertEqual(get.headers["allow"], "POST")
    }

    func testAStoredTokenWithTheValidateScopeIsServed() throws {
        let issued = try runtime.store.createToken(name: "supplier-check", scopes: ["validate"], expiresAt: nil)
        let answer = try validate(try fixtureData("cii/CII_example2.xml"), as: "application/xml", token: issued.secret)
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.json?["conformant"], .bool(true), answer.text)
    }

    func testNothingIsStored() throws {
        // One invoice through the webhook, so that the store is not empty to begin with.
        let stored = try client.send("POST", "/ingest/invoices", token: supplierToken, body: try fixtureData("ubl/ubl-tc434-example2.xml"))
        XCTAssertEqual(stored.json?["status"], .string("stored"), stored.text)
        let store = runtime.store
        let before = (events: try store.eventCount(), deadLetters: try store.deadLetterCount(), documents: try store.documentCount())
        XCTAssertEqual(before.events, 1)

        let invoice = try fixtureData("ubl/ubl-tc434-example3.xml")
        for body in [invoice, Data("not xml".utf8), try fixtureData("pdf/akretion-invoice_EN16931.pdf")] {
            XCTAssertEqual(try validate(body, as: body.starts(with: Data("%PDF".utf8)) ? "application/pdf" : "application/xml").status, 200)
        }
        // The webhook answers only after its commit: a commit of anything validated would be in by now too.
        XCTAssertEqual(try client.send("POST", "/ingest/invoices", token: supplierToken, body: Data("<x".utf8)).json?["status"],
                       .string("dead-lettered"))
        XCTAssertEqual(try store.eventCount(), before.events)
        XCTAssertEqual(try store.deadLetterCount(), before.deadLetters + 1, "only the webhook's dead letter")
        XCTAssertEqual(try store.documentCount(), before.documents)
        XCTAssertNil(try store.document(sha256: SHA256.hash(invoice).hexString), "the validated invoice was not archived")
    }
}
