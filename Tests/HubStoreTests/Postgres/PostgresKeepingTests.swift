import Foundation
import HubCore
@testable import HubPostgres
import HubStore
import XCTest

/// `AccessTokenStoreTests` on PostgreSQL.
final class PostgresAccessTokenStoreTests: AccessTokenStoreTests {
    static let database = PostgresTestDatabase()
    private var url: String?

    override class func setUp() {
        super.setUp()
        database.start()
    }

    override class func tearDown() {
        database.stop()
        super.tearDown()
    }

    override func makeStore() throws -> any TokenKeeping {
        let url = try Self.database.makeDatabase()
        self.url = url
        return try openSameDatabase()
    }

    override func openSameDatabase() throws -> any TokenKeeping {
        PostgresTokens(connections: try Self.database.connections(to: XCTUnwrap(url), for: self))
    }

    // Each contract test again, so that test discovery on Linux (which lists only the methods a class declares) finds it.
    override func testACreatedTokenIsAcceptedWithItsScopesAndOnlyItsExactSecret() throws { try super.testACreatedTokenIsAcceptedWithItsScopesAndOnlyItsExactSecret() }
    override func testARevokedTokenIsRefusedAtOnceAlsoWhenRevokedThroughAnotherConnection() throws { try super.testARevokedTokenIsRefusedAtOnceAlsoWhenRevokedThroughAnotherConnection() }
    override func testAnExpiredTokenIsRefusedAndNamesAreUnique() throws { try super.testAnExpiredTokenIsRefusedAndNamesAreUnique() }
    override func testLastUseIsRecordedAndListed() throws { try super.testLastUseIsRecordedAndListed() }
}

/// `AlarmStoreTests` on PostgreSQL.
final class PostgresAlarmStoreTests: AlarmStoreTests {
    static let database = PostgresTestDatabase()

    override class func setUp() {
        super.setUp()
        database.start()
    }

    override class func tearDown() {
        database.stop()
        super.tearDown()
    }

    override func makeStore() throws -> any AlarmKeeping {
        PostgresAlarms(connections: try Self.database.makeKeepingConnections(for: self))
    }

    // Each contract test again, so that test discovery on Linux (which lists only the methods a class declares) finds it.
    override func testAlarmsAreSavedUpdatedAndListed() throws { try super.testAlarmsAreSavedUpdatedAndListed() }
    override func testTheHistoryExpiresByClearingTime() throws { try super.testTheHistoryExpiresByClearingTime() }
}
