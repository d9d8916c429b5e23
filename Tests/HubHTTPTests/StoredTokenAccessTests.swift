import Foundation
import HubCore
@testable import HubHTTP
import HubServices
import HubStore
import HubTesting
import Synchronization
import XCTest

/// The HTTP server's checks of tokens created with `hub token`: accepted without a restart, refused
/// at once once revoked, their use recorded at most once a minute; the configuration's tokens still work.
final class StoredTokenAccessTests: XCTestCase {
    private let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    private func makeStore() throws -> SQLiteStore {
        try SQLiteStore(path: TemporaryDirectory.make(prefix: "access").appendingPathComponent("hub.sqlite").path, logger: logger)
    }

    func testStoredAndConfiguredTokensAreBothAcceptedAndARevokeCountsAtOnce() throws {
        let store = try makeStore()
        defer { try? store.close() }
        let access = AccessControl(tokens: [.init(name: "env", secret: "from-the-environment-0123456789", scopes: ["read"])], store: store)
        XCTAssertEqual(access.scopes(presented: "from-the-environment-0123456789"), ["read"])

        // Created while the server runs, by another process: accepted from the next request on.
        let operatorStore = try SQLiteStore(path: store.path, logger: logger)
        let issued = try operatorStore.createToken(name: "ops", scopes: ["read", "admin"], expiresAt: nil)
        XCTAssertEqual(access.scopes(presented: issued.secret), ["read", "admin"])
        XCTAssertTrue(try operatorStore.revokeToken(named: "ops"))
        try operatorStore.close()
        XCTAssertNil(access.scopes(presented: issued.secret), "refused on the very next request after the revoke")
        XCTAssertEqual(access.scopes(presented: "from-the-environment-0123456789"), ["read"])
        XCTAssertNil(access.scopes(presented: "hub_nothing_here"))
    }

    func testLastUseIsWrittenAtMostOnceAMinutePerToken() throws {
        let store = try makeStore()
        defer { try? store.close() }
        let issued = try store.createToken(name: "dashboard", scopes: ["read"], expiresAt: nil)
        let check = StoredTokenCheck(store: store)
        let t0 = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)
        XCTAssertNotNil(check.scopes(presented: issued.secret, now: t0))
        XCTAssertEqual(try store.tokens().first?.lastUsedAt, t0)
        XCTAssertNotNil(check.scopes(presented: issued.secret, now: t0.adding(microseconds: 59_000_000)))
        XCTAssertEqual(try store.tokens().first?.lastUsedAt, t0, "not rewritten within the minute")
        let later = t0.adding(microseconds: 61_000_000)
        XCTAssertNotNil(check.scopes(presented: issued.secret, now: later))
        XCTAssertEqual(try store.tokens().first?.lastUsedAt, later)
    }

    func testTheFirstRunTokenIsCreatedOnlyOnALoopbackAddressWithNoTokenAnywhere() throws {
        var invoices = Route(name: "invoices", source: .webhook(WebhookSource()), connector: "sensors.json")
        invoices.isRestricted = true
        let routes = [Route(name: "air", source: .webhook(WebhookSource()), connector: "sensors.json"), invoices]

        for address in ["0.0.0.0", "192.168.1.20", "10.0.0.1", "::", "128.0.0.1"] {
            let store = try makeStore()
            XCTAssertNil(try FirstRunAccess.issueIfNeeded(settings: HTTPSettings(address: address), routes: routes, store: store), address)
            XCTAssertFalse(try store.hasTokens(), "nothing created for \(address)")
            try store.close()
        }

        let configured = try makeStore()
        let withTokens = HTTPSettings(address: "127.0.0.1", tokens: [.init(name: "ops", secret: "s3cret-s3cret-s3cret", scopes: ["read"])])
        XCTAssertNil(try FirstRunAccess.issueIfNeeded(settings: withTokens, routes: routes, store: configured))
        XCTAssertFalse(try configured.hasTokens())
        try configured.close()

        let store = try makeStore()
        defer { try? store.close() }
        let issued = try XCTUnwrap(FirstRunAccess.issueIfNeeded(settings: HTTPSettings(address: "127.0.0.1"), routes: routes, store: store))
        XCTAssertEqual(issued.token.name, "first-run")
        XCTAssertEqual(issued.token.scopes, ["read", "admin", "validate", "read:invoices"])
        XCTAssertEqual(try store.verifyToken(issued.secret)?.name, "first-run")
        XCTAssertNil(try FirstRunAccess.issueIfNeeded(settings: HTTPSettings(address: "127.0.0.1"), routes: routes, store: store),
                     "the next run finds a token in the store")
        XCTAssertEqual(FirstRunAccess.dashboardURL(settings: HTTPSettings(address: "127.0.0.1"), port: 8080, secret: issued.secret),
                       "http://127.0.0.1:8080/#token=\(issued.secret)")
    }

    /// Two hubs of a fleet starting together on one database: the one that finds the token created
    /// between its look and its insert starts without printing one, instead of failing.
    func testAHubThatLosesTheRaceToTheFirstRunTokenStartsWithoutOne() throws {
        let store = try makeStore()
        defer { try? store.close() }
        let other = try store.createToken(name: FirstRunAccess.tokenName, scopes: ["read"], expiresAt: nil)
        XCTAssertNil(try FirstRunAccess.issueIfNeeded(settings: HTTPSettings(address: "127.0.0.1"), routes: [],
                                                      store: StoreLookingBeforeTheOtherHub(store)))
        XCTAssertEqual(try store.tokens().map(\.id), [other.token.id], "the other hub's token stays")
    }

    func testLoopbackAddresses() {
        for address in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] { XCTAssertTrue(FirstRunAccess.isLoopback(address), address) }
        for address in ["0.0.0.0", "", "::", "127.0.0", "127.0.0.256", "1127.0.0.1", "example.org"] {
            XCTAssertFalse(FirstRunAccess.isLoopback(address), address)
        }
    }
}

/// A store whose first `hasTokens()` answers as it did before another hub created its token: the
/// moment between a hub's look and its insert.
private final class StoreLookingBeforeTheOtherHub: TokenKeeping {
    private let store: SQLiteStore
    private let looked = Mutex(false)

    init(_ store: SQLiteStore) { self.store = store }

    func hasTokens() throws -> Bool {
        try looked.withLock { looked in
            defer { looked = true }
            return looked ? try store.hasTokens() : false
        }
    }

    func createToken(name: String, scopes: Set<String>, expiresAt: Timestamp?, now: Timestamp) throws -> IssuedToken {
        try store.createToken(name: name, scopes: scopes, expiresAt: expiresAt, now: now)
    }
    func tokens() throws -> [AccessToken] { try store.tokens() }
    func revokeToken(named name: String) throws -> Bool { try store.revokeToken(named: name) }
    func verifyToken(_ presented: String, now: Timestamp) throws -> AccessToken? { try store.verifyToken(presented, now: now) }
    func recordTokenUse(id: String, at time: Timestamp) throws { try store.recordTokenUse(id: id, at: time) }
}
