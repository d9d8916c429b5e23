import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Tokens kept in the store: the secret is shown once and never stored, a token is found by its
/// public id and checked against a salted hash, a revoke or an expiry is refused at once.
///
/// The contract every backend answers: run here on SQLite, and on PostgreSQL by
/// `PostgresAccessTokenStoreTests`, which overrides `makeStore` and `openSameDatabase`.
class AccessTokenStoreTests: XCTestCase {
    let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())
    private var directory: URL?

    /// A store on a new, empty database, closed when the test ends.
    func makeStore() throws -> any TokenKeeping {
        let directory = try TemporaryDirectory.make(prefix: "tokens")
        self.directory = directory
        return try openSameDatabase()
    }

    /// Another store on the database of the last `makeStore` (another process's, as `hub token`'s).
    func openSameDatabase() throws -> any TokenKeeping {
        let path = try XCTUnwrap(directory).appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path, logger: logger)
        addTeardownBlock { try? store.close() }
        return store
    }

    func testACreatedTokenIsAcceptedWithItsScopesAndOnlyItsExactSecret() throws {
        let store = try makeStore()
        XCTAssertFalse(try store.hasTokens())
        let issued = try store.createToken(name: "operations", scopes: ["read", "admin"], expiresAt: nil)
        XCTAssertTrue(issued.secret.hasPrefix("hub_\(issued.token.id)_"), issued.secret)
        XCTAssertEqual(issued.secret.count, 4 + 16 + 1 + 64)
        XCTAssertTrue(try store.hasTokens())

        XCTAssertEqual(try store.verifyToken(issued.secret)?.scopes, ["read", "admin"])
        XCTAssertEqual(try store.verifyToken(issued.secret)?.name, "operations")
        var wrong = issued.secret
        wrong.replaceSubrange(wrong.index(before: wrong.endIndex)..., with: wrong.hasSuffix("0") ? "1" : "0")
        XCTAssertNil(try store.verifyToken(wrong), "one character different")
        XCTAssertNil(try store.verifyToken(String(issued.secret.dropLast())))
        XCTAssertNil(try store.verifyToken("hub_0000000000000000_" + String(repeating: "a", count: 64)), "unknown id")
        XCTAssertNil(try store.verifyToken("not-a-store-token"))
        XCTAssertNil(try store.verifyToken(""))
    }

    func testARevokedTokenIsRefusedAtOnceAlsoWhenRevokedThroughAnotherConnection() throws {
        let store = try makeStore()
        let issued = try store.createToken(name: "partner", scopes: ["ingest:partner"], expiresAt: nil)
        XCTAssertNotNil(try store.verifyToken(issued.secret))
        // `hub token revoke` runs in another process, with its own connections to the same database.
        let operatorStore = try openSameDatabase()
        XCTAssertTrue(try operatorStore.revokeToken(named: "partner"))
        XCTAssertFalse(try operatorStore.revokeToken(named: "partner"), "already gone")
        XCTAssertNil(try store.verifyToken(issued.secret))
        XCTAssertEqual(try store.tokens(), [])
    }

    func testAnExpiredTokenIsRefusedAndNamesAreUnique() throws {
        let store = try makeStore()
        let now = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)
        let issued = try store.createToken(name: "temporary", scopes: ["read"], expiresAt: now.adding(microseconds: 60_000_000), now: now)
        XCTAssertNotNil(try store.verifyToken(issued.secret, now: now.adding(microseconds: 59_000_000)))
        XCTAssertNil(try store.verifyToken(issued.secret, now: now.adding(microseconds: 60_000_000)))
        XCTAssertTrue(try XCTUnwrap(store.tokens().first).isExpired(at: now.adding(microseconds: 61_000_000)))
        XCTAssertThrowsError(try store.createToken(name: "temporary", scopes: ["admin"], expiresAt: nil)) { error in
            XCTAssertEqual((error as? StoreError)?.code, .constraint)
        }
    }

    func testLastUseIsRecordedAndListed() throws {
        let store = try makeStore()
        let issued = try store.createToken(name: "dashboard", scopes: ["read"], expiresAt: nil)
        XCTAssertNil(try store.tokens().first?.lastUsedAt)
        let used = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)
        try store.recordTokenUse(id: issued.token.id, at: used)
        XCTAssertEqual(try store.tokens().first?.lastUsedAt, used)
    }
}

/// What SQLite's file holds of the tokens (salted hashes, never a secret), and how a token string splits.
final class SQLiteAccessTokenFileTests: XCTestCase {
    private let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    func testOnlyASaltedHashIsStoredAndTwoTokensNeverShareASalt() throws {
        let store = try SQLiteStore(path: TemporaryDirectory.make(prefix: "tokens").appendingPathComponent("hub.sqlite").path, logger: logger)
        let first = try store.createToken(name: "a", scopes: ["read"], expiresAt: nil)
        let second = try store.createToken(name: "b", scopes: ["read"], expiresAt: nil)
        XCTAssertNotEqual(first.secret, second.secret)
        try store.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path)) + ((try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))) ?? Data())
        for issued in [first, second] {
            let secret = String(issued.secret.split(separator: "_")[2])
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the secret is nowhere in the database file")
        }
        let reopened = try SQLiteStore(path: store.path, logger: logger)
        defer { try? reopened.close() }
        let salts = try reopened.withReadConnection { connection in
            try connection.query("SELECT salt, length(digest) FROM tokens") { row in (row.blob(0), row.int64(1)) }
        }
        XCTAssertEqual(salts.count, 2)
        XCTAssertEqual(Set(salts.map(\.0)).count, 2)
        XCTAssertEqual(salts.map(\.1), [32, 32])
        XCTAssertNotNil(try reopened.verifyToken(first.secret), "accepted after a restart")
    }

    func testTokenStringsAreSplitIntoIdAndSecret() {
        XCTAssertEqual(AccessToken.parse("hub_abc_def")?.id, "abc")
        XCTAssertEqual(AccessToken.parse("hub_abc_def_ghi")?.secret, "def_ghi")
        XCTAssertNil(AccessToken.parse("hub__def"))
        XCTAssertNil(AccessToken.parse("hub_abc_"))
        XCTAssertNil(AccessToken.parse("operations-secret"))
    }
}
