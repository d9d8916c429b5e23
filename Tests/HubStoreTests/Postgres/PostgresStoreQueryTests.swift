import HubPostgres
import HubServices
import HubStore
import XCTest

/// `SQLiteStoreQueryTests` on PostgreSQL: the same pages, filters, counts and histories.
final class PostgresStoreQueryTests: SQLiteStoreQueryTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any HubDatabase {
        try makePostgresStore(for: self, logger: logger).store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testFiltersCombineAndHiddenRoutesNeverShow() throws { try super.testFiltersCombineAndHiddenRoutesNeverShow() }
    override func testCursorsWalkEveryEventOnceAndPagesAreCapped() throws { try super.testCursorsWalkEveryEventOnceAndPagesAreCapped() }
    override func testEntitiesAndDeadLettersReadWithTheSameRules() throws { try super.testEntitiesAndDeadLettersReadWithTheSameRules() }
    override func testAReplayIsMarkedOnce() throws { try super.testAReplayIsMarkedOnce() }
    override func testEntityCountsOffsetsSummariesFirstReceiptAndHistory() throws { try super.testEntityCountsOffsetsSummariesFirstReceiptAndHistory() }
    override func testTheLiveStreamCatchUpAppliesEveryFilterOldestFirst() throws { try super.testTheLiveStreamCatchUpAppliesEveryFilterOldestFirst() }
}

/// `InvoiceStatusReadingTests` on PostgreSQL.
final class PostgresInvoiceStatusReadingTests: InvoiceStatusReadingTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any HubDatabase {
        try makePostgresStore(for: self, logger: logger).store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testStatusesAreFoundByInvoiceNumberOldestFirstWithoutTheHiddenRoutes() throws {
        try super.testStatusesAreFoundByInvoiceNumberOldestFirstWithoutTheHiddenRoutes()
    }
}

/// `EventRecordTests`' backend-neutral tests on PostgreSQL: records are their events, whatever the
/// text (NaN, escapes, -0, large and tiny numbers) and whatever form the id was given in.
final class PostgresEventRecordTests: EventRecordTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeStore() throws -> any HubDatabase {
        try makePostgresStore(for: self, logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink())).store
    }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testRecordsAreTheEventsWithTheirAttributeText() throws { try super.testRecordsAreTheEventsWithTheirAttributeText() }
    override func testEveryStoredIdFormIsSpelledAsItWasGiven() throws { try super.testEveryStoredIdFormIsSpelledAsItWasGiven() }
}
