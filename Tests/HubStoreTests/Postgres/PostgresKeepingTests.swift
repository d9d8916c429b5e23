import Foundation
import HubCore
import HubPostgres
import HubServices
import HubStore
import XCTest

/// `AccessTokenStoreTests` on PostgreSQL.
final class PostgresAccessTokenStoreTests: AccessTokenStoreTests {
    private var url: String?

    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any TokenKeeping {
        let (store, url) = try makePostgresStore(for: self, logger: logger)
        self.url = url
        return store
    }

    override func openSameDatabase() throws -> any TokenKeeping {
        let store = try PostgresStore(url: XCTUnwrap(url), logger: logger)
        addTeardownBlock { try? store.close() }
        return store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testACreatedTokenIsAcceptedWithItsScopesAndOnlyItsExactSecret() throws { try super.testACreatedTokenIsAcceptedWithItsScopesAndOnlyItsExactSecret() }
    override func testARevokedTokenIsRefusedAtOnceAlsoWhenRevokedThroughAnotherConnection() throws { try super.testARevokedTokenIsRefusedAtOnceAlsoWhenRevokedThroughAnotherConnection() }
    override func testAnExpiredTokenIsRefusedAndNamesAreUnique() throws { try super.testAnExpiredTokenIsRefusedAndNamesAreUnique() }
    override func testLastUseIsRecordedAndListed() throws { try super.testLastUseIsRecordedAndListed() }
}

/// `AlarmStoreTests` on PostgreSQL.
final class PostgresAlarmStoreTests: AlarmStoreTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any AlarmKeeping {
        try makePostgresStore(for: self, logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink())).store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testAlarmsAreSavedUpdatedAndListed() throws { try super.testAlarmsAreSavedUpdatedAndListed() }
    override func testTheHistoryExpiresByClearingTime() throws { try super.testTheHistoryExpiresByClearingTime() }
}

/// `SavedSubscriptionTests` on PostgreSQL.
final class PostgresSavedSubscriptionTests: SavedSubscriptionTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any DeliveryOutbox {
        try makePostgresStore(for: self, logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink())).store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testSubscriptionsAreKeptAsWrittenOnePerNameOldestFirst() throws { try super.testSubscriptionsAreKeptAsWrittenOnePerNameOldestFirst() }
}
