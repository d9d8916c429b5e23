import HubCore
@testable import HubHTTP
import HubServices
import XCTest

/// Tokens are found by their secret only, and scopes decide which routes a caller reads.
final class AccessControlTests: XCTestCase {
    func testTokensAreFoundByTheirExactSecret() {
        let access = AccessControl(tokens: [
            .init(name: "a", secret: "secret-aaaaaaaaaaaaaaaa", scopes: ["read"]),
            .init(name: "b", secret: "secret-bbbbbbbbbbbbbbbb", scopes: ["admin"]),
        ])
        XCTAssertEqual(access.token(presented: "secret-bbbbbbbbbbbbbbbb")?.name, "b")
        XCTAssertNil(access.token(presented: "secret-bbbbbbbbbbbbbbb"))
        XCTAssertNil(access.token(presented: "secret-bbbbbbbbbbbbbbbbb"))
        XCTAssertNil(access.token(presented: ""))
    }

    func testTheSecretComesFromTheBearerHeaderOrTheQuery() {
        XCTAssertEqual(AccessControl.presentedSecret(in: HTTPRequest(method: "GET", path: "/", headers: ["authorization": "Bearer abc"])), "abc")
        XCTAssertNil(AccessControl.presentedSecret(in: HTTPRequest(method: "GET", path: "/", headers: ["authorization": "Basic abc"])))
        XCTAssertEqual(AccessControl.presentedSecret(in: HTTPRequest(method: "GET", path: "/", query: [("access_token", "q")])), "q")
    }

    func testRestrictedRoutesNeedTheirOwnScope() {
        let open = Route(name: "air", source: .webhook(WebhookSource()), connector: "sensors.json")
        var invoices = Route(name: "invoices", source: .webhook(WebhookSource()), connector: "sensors.json")
        invoices.isRestricted = true
        let reader = ReadAccess(scopes: ["read"])
        XCTAssertTrue(reader.canRead(open))
        XCTAssertFalse(reader.canRead(invoices))
        XCTAssertEqual(reader.hiddenRoutes(among: [open, invoices]), ["invoices"])
        let accountant = ReadAccess(scopes: ["read:invoices"])
        XCTAssertTrue(accountant.canRead)
        XCTAssertEqual(accountant.hiddenRoutes(among: [open, invoices]), ["air"])
        XCTAssertFalse(ReadAccess(scopes: ["admin", "ingest:air"]).canRead)
    }
}
