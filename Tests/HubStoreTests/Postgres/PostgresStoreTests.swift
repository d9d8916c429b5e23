import Foundation
import HubCore
import HubPostgres
import HubServices
import HubStore
import HubTesting
import Synchronization
import XCTest

/// What only the PostgreSQL store does: partitions dropped by retention, its schema versions, two
/// hubs writing to one database, and a server restarted under a stream of batches.
final class PostgresStoreTests: XCTestCase {
    private let logs = CapturedLog()
    private var backend: PostgresBackend!

    override class func setUp() {
        super.setUp()
        PostgresClusters.start(for: self)
    }

    override class func tearDown() {
        PostgresClusters.stop(for: self)
        super.tearDown()
    }

    override func setUpWithError() throws {
        backend = try XCTUnwrap(try PostgresClusters.backend(for: Self.self) as? PostgresBackend)
    }

    override func tearDownWithError() throws {
        backend?.cleanUp()
        backend = nil
    }

    private func openStore(_ options: PostgresStore.Options = .init()) throws -> PostgresStore {
        try PostgresStore(url: backend.url, options: options, logger: logs.logger(label: "hub.store"))
    }

    /// The days whose event partition exists, oldest first.
    private func partitionDays() throws -> [Int64] {
        try PostgresConnection(url: backend.url).query("""
            SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass
            """) { $0.text(0) }.compactMap { Int64($0.dropFirst("events_day_".count)) }.sorted()
    }

    private static let day: Int64 = 86_400_000_000

    private func reading(_ route: String, entity: Int, observedDay: Int64, at now: Timestamp, receivedDay: Int64? = nil) -> Event {
        let today = now.microsecondsSinceEpoch / Self.day * Self.day
        let observed = Timestamp(microsecondsSinceEpoch: today + observedDay * Self.day + 3_600_000_000)
        let received = Timestamp(microsecondsSinceEpoch: today + (receivedDay ?? observedDay) * Self.day + 3_600_000_000)
        return Event(type: "Reading", entity: "urn:ngsi-ld:Reading:\(entity)", observedAt: observed, receivedAt: received,
                     route: route, attributes: ["value": .number(Double(entity), unit: nil)])
    }

    func testRetentionDropsWholeExpiredPartitionsAndNothingNewer() throws {
        let now = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000 + 12 * 3_600_000_000)  // 2026-11-22T12:00Z
        let today = now.microsecondsSinceEpoch / Self.day
        let store = try openStore(PostgresStore.Options(retention: RetentionPolicy(defaultEventDays: 7, eventDaysByRoute: ["noise": 2])))
        defer { try? store.close() }
        let old = (0..<5).map { reading("air", entity: $0, observedDay: -10, at: now) }
        let olderStill = [reading("air", entity: 10, observedDay: -9, at: now)]
        let lateBacklog = [reading("air", entity: 20, observedDay: -12, at: now, receivedDay: -1),
                           reading("air", entity: 21, observedDay: -12, at: now)]
        let edge = [reading("air", entity: 30, observedDay: -7, at: now)]  // its day straddles the cutoff: kept whole
        let recent = (0..<3).map { reading("air", entity: 40 + $0, observedDay: -1, at: now) }
        let noise = [reading("noise", entity: 50, observedDay: -3, at: now), reading("noise", entity: 51, observedDay: 0, at: now)]
        try store.write(events: old + olderStill + lateBacklog + edge + recent + noise, deadLetters: [])
        let before = try partitionDays()
        XCTAssertTrue(Set([-12, -10, -9, -7, -3, -1, 0].map { today + $0 }).isSubset(of: Set(before)), "\(before)")

        let swept = try store.sweepExpired(now: now, sliceSize: 2)

        // Day -10 (5 events) and day -9 (1) went whole; day -12 only lost its expired row, since a
        // backlog row of it was received yesterday; the 2-day route lost its row of day -3.
        XCTAssertEqual(swept.events, 5 + 1 + 1 + 1)
        let after = try partitionDays()
        let dropped = Set(before).subtracting(after)
        XCTAssertTrue(dropped.isSuperset(of: [today - 10, today - 9]), "\(dropped)")
        XCTAssertFalse(after.contains(today - 10))
        XCTAssertTrue(after.contains(today - 12), "a partition holding a row received after the cutoff stays")
        let cutoffDay = today - 7  // the cutoff is noon of that day: only days before it are entirely older
        XCTAssertTrue(dropped.allSatisfy { $0 < cutoffDay }, "no newer partition is dropped: \(dropped.sorted())")
        XCTAssertTrue(after.filter { $0 >= cutoffDay } == before.filter { $0 >= cutoffDay })
        for event in old + olderStill + [lateBacklog[1], noise[0]] {
            XCTAssertNil(try store.event(id: event.id), "\(event.entity) expired")
        }
        for event in [lateBacklog[0]] + edge + recent + [noise[1]] {
            XCTAssertEqual(try store.event(id: event.id), event, "\(event.entity) is kept")
        }
        XCTAssertEqual(try store.eventCount(), 1 + 1 + 3 + 1)
        XCTAssertEqual(logs.lines(containing: "retention dropped an event partition").count, dropped.count, "\(logs.text)")

        // An event for a dropped day arriving later recreates its partition.
        let straggler = reading("air", entity: 60, observedDay: -10, at: now)
        try store.write(events: [straggler], deadLetters: [])
        XCTAssertEqual(try store.event(id: straggler.id), straggler)
        XCTAssertEqual(try store.sweepExpired(now: now, sliceSize: 500).events, 1, "and the next sweep drops it again")
    }

    func testTheSchemaIsMigratedOnceAndANewerOneIsRefused() throws {
        try openStore().close()
        try openStore().close()
        // The template was migrated when the cluster started: this database was copied at the latest version.
        XCTAssertEqual(logs.lines(containing: "store schema migrated").count, 0)
        try PostgresConnection(url: backend.url).run(script: "UPDATE schema_version SET version = 999")
        XCTAssertThrowsError(try openStore()) { error in
            XCTAssertEqual((error as? PostgresError)?.code, .schemaTooNew, "\(error)")
        }
    }

    func testTwoHubsOnOneDatabaseCountEachMessageOnce() throws {
        let hubA = try openStore(), hubB = try openStore()
        defer { try? hubA.close(); try? hubB.close() }
        let device = "urn:dev:ow:shared"
        @Sendable func message(_ index: Int) -> Event {
            let time = SampleData.observed.adding(microseconds: Int64(index) * 1000)
            return Event(type: "Reading", entity: "urn:ngsi-ld:Reading:shared", observedAt: time, receivedAt: time, route: "sensors",
                         attributes: ["refDevice": .text(device), "value": .number(Double(index), unit: nil)])
        }
        // Both hubs write interleaved batches of one device and one entity at once, 200 each.
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { hub in
            let store = hub == 0 ? hubA : hubB
            for batch in 0..<20 {
                let events = (0..<10).map { message(hub * 10_000 + batch * 10 + $0) }
                do { try store.write(events: events, deadLetters: []) } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(try hubA.eventCount(), 400)
        XCTAssertEqual(try hubA.device(device)?.messageCount, 400, "no registry update lost between the hubs")
        XCTAssertEqual(try hubB.latest(entity: "urn:ngsi-ld:Reading:shared"), message(10_199), "the latest observation wins")
        let hour = SeriesStep.hour.bucket(of: SampleData.observed.microsecondsSinceEpoch)
        let series = try hubA.series(entity: "urn:ngsi-ld:Reading:shared", attribute: "value", step: .hour,
                                     from: Timestamp(microsecondsSinceEpoch: hour),
                                     to: Timestamp(microsecondsSinceEpoch: hour + 3_600_000_000))
        XCTAssertEqual(series.map(\.count), [400], "each value rolled up once")
    }

    func testAServerRestartedUnderABatchWriterLosesNothingAcknowledged() throws {
        let server = try XCTUnwrap(PostgresClusters.server(for: Self.self))
        let store = try openStore()
        defer { try? store.close() }
        let bus = Bus(capacity: 10_000)
        let writer = BatchWriter(bus: bus, store: store, maxBatchSize: 50, maxDelay: .milliseconds(5), metrics: HubMetrics(),
                                 logger: logs.logger(label: "hub.writer"))
        let acknowledged = Mutex<[String]>([])
        let failed = Mutex(0)
        writer.start()
        let total = 3000
        for index in 0..<total {
            let event = SampleData.parking(spot: index)
            bus.push(Outcome(events: [event], onCommit: { error in
                if error == nil { acknowledged.withLock { $0.append(event.entity) } } else { failed.withLock { $0 += 1 } }
            }))
            if index == total / 3 {
                try server.restart()  // while batches arrive: writes fail until it is back, then the store reconnects
            }
            if index % 100 == 0 { usleep(2_000) }
        }
        writer.stop()
        let entities = acknowledged.withLock { $0 }
        XCTAssertEqual(failed.withLock { $0 }, 0)
        XCTAssertEqual(entities.count, total, "every outcome was acknowledged once the server was back")
        XCTAssertEqual(try store.eventCount(), total, "and every acknowledged event is stored")
        XCTAssertEqual(Set(try store.recent(limit: total).map(\.entity)), Set(entities))
        XCTAssertFalse(logs.lines(containing: "writing a batch failed").isEmpty, "the restart did fail a write: \(logs.text.suffix(5))")
    }
}

extension PostgresStoreTests {
    /// PostgreSQL's text cannot hold U+0000: a name holding it is kept with U+FFFD, and the batch
    /// (and the ones after it) are stored instead of failing for ever.
    func testANameHoldingNULIsStoredWithTheReplacementCharacter() throws {
        let store = try openStore()
        defer { try? store.close() }
        let hostile = Event(type: "Reading", entity: "urn:dev:\u{0}evil", observedAt: SampleData.observed, receivedAt: SampleData.observed,
                            route: "sensors", attributes: ["note": .text("nul \u{0} inside"), "refDevice": .text("urn:dev:\u{0}")])
        let letter = SampleData.deadLetter(payload: Data([0]), reason: "a reason with \u{0} in it")
        let stored = try store.write(events: [hostile, SampleData.parking(spot: 1)], deadLetters: [letter])
        XCTAssertEqual(stored.count, 2)
        let read = try XCTUnwrap(try store.latest(entity: hostile.entity), "found under the name as given")
        XCTAssertEqual(read.entity, "urn:dev:\u{FFFD}evil")
        XCTAssertEqual(read.attributes["note"], .text("nul \u{0} inside"), "attribute JSON escapes it and keeps it exactly")
        XCTAssertEqual(try store.deadLetters(limit: 1).first?.deadLetter.payload, Data([0]))
        XCTAssertEqual(try store.device("urn:dev:\u{0}")?.messageCount, 1)
    }
}

extension PostgresStoreTests {
    /// An observation time at either end of Int64's range (a hostile payload) gets a partition
    /// with an unbounded end, instead of a bound computed past the range.
    func testObservationTimesAtTheEndsOfTheRangeAreStored() throws {
        let store = try openStore(PostgresStore.Options(retention: RetentionPolicy(defaultEventDays: 1)))
        defer { try? store.close() }
        let extremes = [Int64.min, Int64.max, 0].enumerated().map { index, time in
            Event(type: "Reading", entity: "urn:ngsi-ld:Reading:\(index)", observedAt: Timestamp(microsecondsSinceEpoch: time),
                  receivedAt: SampleData.observed, route: "sensors", attributes: ["value": .number(1, unit: nil)])
        }
        XCTAssertEqual(try store.write(events: extremes, deadLetters: []).count, 3)
        for event in extremes { XCTAssertEqual(try store.event(id: event.id), event) }
        // Received long ago: the first two expire; the partition of the last day of the range never does.
        XCTAssertEqual(try store.sweepExpired(now: SampleData.observed.adding(microseconds: 10 * Self.day), sliceSize: 500).events, 2)
        XCTAssertEqual(try store.eventCount(), 1)
    }
}

extension PostgresStoreTests {
    /// Without a default, no partition is dropped: only routes with their own days lose rows, and
    /// dead letters without days stay (as `RetentionTests` checks on SQLite).
    func testRoutesWithoutDaysKeepEverythingWithoutADefault() throws {
        let now = SampleData.observed
        let store = try openStore(PostgresStore.Options(retention: RetentionPolicy(eventDaysByRoute: ["air": 1, "never-used": 1])))
        defer { try? store.close() }
        func event(_ route: String, age: Int64) -> Event {
            Event(type: "Reading", entity: "urn:ngsi-ld:Reading:\(route)-\(age)", observedAt: now.adding(microseconds: -age),
                  receivedAt: now.adding(microseconds: -age), route: route, attributes: ["age": .number(Double(age), unit: nil)])
        }
        let events = [event("parking", age: 900 * Self.day), event("air", age: 2 * Self.day), event("air", age: 0)]
        try store.write(events: events, deadLetters: [SampleData.deadLetter(payload: Data([1]))])
        let partitions = try partitionDays()
        XCTAssertEqual(try store.sweepExpired(now: now, sliceSize: 500), RetentionSweep(events: 1))
        XCTAssertEqual(Set(try store.recent(limit: 10).map(\.id)), [events[0].id, events[2].id])
        XCTAssertEqual(try partitionDays(), partitions, "no partition dropped")
        XCTAssertEqual(try store.deadLetterCount(), 1)
    }
}
