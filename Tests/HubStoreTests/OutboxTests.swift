import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The outbox (schema 16): a delivery row per event and subscription taking it, written in the
/// batch's own transaction (none when it rolls back), read oldest first, removed once acknowledged,
/// kept across a reopen, and bounded by each subscription's lag limit and policy.
class OutboxTests: StoreBackendTestCase {
    func subscription(_ name: String, types: Set<String> = [], maxLag: Int = 1000,
                      policy: Subscription.LagPolicy = .pause) -> Subscription {
        OutboxSamples.subscription(name, types: types, maxLag: maxLag, policy: policy)
    }

    func readings(_ range: Range<Int>) -> [Event] { OutboxSamples.readings(range) }

    func testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: readings(0..<2), deadLetters: [])
        try store.deliver(to: [subscription("air", types: ["AirQualityObserved"]), subscription("parking", types: ["ParkingSpot"])])
        let stored = try store.write(events: readings(2..<7) + [SampleData.parking(spot: 1)], deadLetters: [])
        XCTAssertEqual(store.outboxStatus()["air"]?.lag, 5, "events before the subscription are not its")
        XCTAssertEqual(store.outboxStatus()["parking"]?.lag, 1)
        let pending = try store.pendingDeliveries(for: "air", limit: 3)
        XCTAssertEqual(pending.events.map(\.seq), Array(stored.prefix(3).map(\.seq)))
        XCTAssertEqual(pending.events.map(\.event), Array(readings(2..<5)))
        XCTAssertEqual(pending.missing, [])
        XCTAssertEqual(try store.acknowledgeDeliveries(for: "air", seqs: pending.events.map(\.seq)), 3)
        XCTAssertEqual(try store.acknowledgeDeliveries(for: "air", seqs: pending.events.map(\.seq)), 0, "removed once")
        XCTAssertEqual(store.outboxStatus()["air"]?.lag, 2)
        XCTAssertEqual(try store.pendingDeliveries(for: "air", limit: 10).events.map(\.event), readings(5..<7))
        // A re-delivered event is not stored again, nor recorded again.
        try store.write(events: readings(5..<7), deadLetters: [])
        XCTAssertEqual(store.outboxStatus()["air"]?.lag, 2)
    }

    func testTheOutboxSurvivesAReopenAndForgetsRemovedSubscriptions() throws {
        var store = try openStore()
        try store.deliver(to: [subscription("kept"), subscription("gone")])
        try store.write(events: readings(0..<4), deadLetters: [])
        try store.close()
        store = try openStore()
        defer { try? store.close() }
        try store.deliver(to: [subscription("kept")])
        XCTAssertEqual(store.outboxStatus()["kept"]?.lag, 4)
        XCTAssertEqual(try store.pendingDeliveries(for: "kept", limit: 10).events.map(\.event), readings(0..<4))
        XCTAssertTrue(try store.pendingDeliveries(for: "gone", limit: 10).events.isEmpty)
        XCTAssertTrue(logs.text.joined(separator: "\n").contains("no longer configured"), "\(logs.text)")
    }

    func testTheLagLimitPausesOrDropsTheOldest() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.deliver(to: [subscription("paused", maxLag: 5, policy: .pause), subscription("dropping", maxLag: 5, policy: .dropOldest)])
        try store.write(events: readings(0..<8), deadLetters: [])
        let paused = try XCTUnwrap(store.outboxStatus()["paused"])
        XCTAssertEqual(paused, OutboxStatus(lag: 5, dropped: 3, isPausedAtLimit: true))
        XCTAssertEqual(try store.pendingDeliveries(for: "paused", limit: 10).events.map(\.event), readings(0..<5), "the newest not recorded")
        XCTAssertEqual(store.outboxStatus()["dropping"], OutboxStatus(lag: 5, dropped: 3, isPausedAtLimit: false))
        XCTAssertEqual(try store.pendingDeliveries(for: "dropping", limit: 10).events.map(\.event), readings(3..<8), "the oldest removed")
        // Once the target took some, new events are recorded again.
        let first = try store.pendingDeliveries(for: "paused", limit: 2).events.map(\.seq)
        try store.acknowledgeDeliveries(for: "paused", seqs: first)
        try store.write(events: readings(8..<9), deadLetters: [])
        XCTAssertEqual(store.outboxStatus()["paused"], OutboxStatus(lag: 4, dropped: 3, isPausedAtLimit: false))
    }

    func testRowsWhoseEventIsGoneAreReportedMissing() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.deliver(to: [subscription("all")])
        let stored = try store.write(events: readings(0..<3), deadLetters: [])
        try backend.run("DELETE FROM events WHERE seq = \(stored[1].seq)", beside: store)
        let pending = try store.pendingDeliveries(for: "all", limit: 10)
        XCTAssertEqual(pending.events.map(\.seq), [stored[0].seq, stored[2].seq])
        XCTAssertEqual(pending.missing, [stored[1].seq])
        XCTAssertEqual(try store.acknowledgeDeliveries(for: "all", seqs: pending.missing, dropped: true), 1)
        XCTAssertEqual(store.outboxStatus()["all"], OutboxStatus(lag: 2, dropped: 1, isPausedAtLimit: false))
    }

    /// The batch in flight is held in the store before it is sent: after a restart the same rows
    /// come back as one batch (so the same key), not a batch cut from what arrived since; once
    /// acknowledged, the next batch takes the newer rows.
    func testTheBatchInFlightComesBackWholeAfterARestart() throws {
        var store = try openStore()
        try store.deliver(to: [subscription("air")])
        try store.write(events: readings(0..<3), deadLetters: [])
        let first = try store.pendingDeliveries(for: "air", limit: 10).events
        XCTAssertEqual(first.map(\.event), readings(0..<3))
        try store.holdDeliveryBatch(for: "air", through: try XCTUnwrap(first.last?.seq))
        // More arrive while the batch is out; the hub then stops before the target's answer is recorded.
        try store.write(events: readings(3..<6), deadLetters: [])
        try store.close()

        store = try openStore()
        defer { try? store.close() }
        try store.deliver(to: [subscription("air")])
        let again = try store.pendingDeliveries(for: "air", limit: 10).events
        XCTAssertEqual(again.map(\.seq), first.map(\.seq), "the same batch")
        XCTAssertEqual(try store.acknowledgeDeliveries(for: "air", seqs: again.map(\.seq)), 3)
        XCTAssertEqual(try store.pendingDeliveries(for: "air", limit: 10).events.map(\.event), readings(3..<6), "the hold ended with it")
    }

}

/// The outbox's contract against a real PostgreSQL.
final class PostgresOutboxTests: OutboxTests {
    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func makeBackend() throws -> any StoreBackend { try PostgresClusters.backend(for: Self.self) }

    // Linux's test discovery lists only the methods a class declares itself: each test is named again here.
    override func testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() throws { try super.testDeliveriesAreRecordedWithTheirEventsAndRemovedOnceAcknowledged() }
    override func testTheOutboxSurvivesAReopenAndForgetsRemovedSubscriptions() throws { try super.testTheOutboxSurvivesAReopenAndForgetsRemovedSubscriptions() }
    override func testTheLagLimitPausesOrDropsTheOldest() throws { try super.testTheLagLimitPausesOrDropsTheOldest() }
    override func testRowsWhoseEventIsGoneAreReportedMissing() throws { try super.testRowsWhoseEventIsGoneAreReportedMissing() }
    override func testTheBatchInFlightComesBackWholeAfterARestart() throws { try super.testTheBatchInFlightComesBackWholeAfterARestart() }
}

/// What only the SQLite outbox does: a value over SQLite's limit rolls the batch back, and a
/// database of schema 15 gets the outbox.
final class SQLiteOutboxTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-outbox")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var path: String { directory.appendingPathComponent("hub.sqlite").path }

    private func subscription(_ name: String) -> Subscription { OutboxSamples.subscription(name) }
    private func readings(_ range: Range<Int>) -> [Event] { OutboxSamples.readings(range) }

    func testARolledBackBatchRecordsNoDelivery() throws {
        var options = SQLiteStore.Options()
        options.largestValueBytes = 4096
        let store = try SQLiteStore(path: path, options: options, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        try store.deliver(to: [subscription("all")])
        let huge = Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:big", observedAt: SampleData.observed,
                         receivedAt: SampleData.observed, route: "air-quality",
                         attributes: ["note": .text(String(repeating: "x", count: 10_000))])
        XCTAssertThrowsError(try store.write(events: readings(0..<3) + [huge], deadLetters: []))
        XCTAssertEqual(store.outboxStatus()["all"]?.lag, 0)
        XCTAssertTrue(try store.pendingDeliveries(for: "all", limit: 10).events.isEmpty)
        try store.write(events: readings(0..<3), deadLetters: [])
        XCTAssertEqual(store.outboxStatus()["all"]?.lag, 3)
    }


    func testADatabaseOfVersionFifteenMigrates() throws {
        var store = try SQLiteStore(path: path, logger: logs.logger(label: "hub.store"))
        try store.write(events: readings(0..<20), deadLetters: [])
        try store.close()
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: .seconds(1))
        try connection.execute(script: "DROP TABLE outbox; DROP TABLE outbox_batches; PRAGMA user_version = 15;")
        try connection.close()
        store = try SQLiteStore(path: path, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        XCTAssertEqual(try store.eventCount(), 20)
        try store.deliver(to: [subscription("all")])
        try store.write(events: readings(20..<22), deadLetters: [])
        XCTAssertEqual(try store.pendingDeliveries(for: "all", limit: 10).events.map(\.event), readings(20..<22))
        try store.withReadConnection { connection in
            XCTAssertEqual(try connection.query("PRAGMA user_version") { $0.int64(0) }.first, Int64(SchemaMigration.latestVersion))
            XCTAssertEqual(SchemaMigration.latestVersion, 17)
        }
    }
}

/// The subscriptions and readings the outbox tests use.
enum OutboxSamples {
    static func subscription(_ name: String, types: Set<String> = [], maxLag: Int = 1000,
                              policy: Subscription.LagPolicy = .pause) -> Subscription {
        var filter = Subscription.Filter()
        filter.types = types
        var subscription = Subscription(name: name, filter: filter, target: .http(.init(url: URL(string: "http://127.0.0.1:9/")!)))
        subscription.maxLag = maxLag
        subscription.onLagLimit = policy
        return subscription
    }

    static func readings(_ range: Range<Int>) -> [Event] {
        range.map { SampleData.airQuality(station: $0, observedAt: SampleData.observed.adding(microseconds: Int64($0))) }
    }
}
