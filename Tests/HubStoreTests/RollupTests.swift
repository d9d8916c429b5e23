import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Roll-ups equal the aggregates of the raw events, computed here from the events themselves:
/// hour and day buckets, late and out-of-order observations, re-deliveries counted once; they are
/// filled when an older database migrates, and kept on their own retention days.
class RollupTests: StoreBackendTestCase {
    static let hour: Int64 = 3_600_000_000
    static let day: Int64 = 86_400_000_000

    func openStore(_ retention: RetentionPolicy) throws -> any ContractStore {
        try openStore(StoreTestOptions(retention: retention))
    }

    /// Three entities over three days, observed at random seconds, with a number attribute, a
    /// number with a unit, a text and a boolean (the last two never rolled up).
    func readings(count: Int, start: Timestamp, using generator: inout SeededGenerator) -> [Event] {
        var seen = Set<String>()
        var events: [Event] = []
        while events.count < count {
            let entity = "urn:ngsi-ld:AirQualityObserved:\(Int.random(in: 1...3, using: &generator))"
            let second = Int64.random(in: 0..<(3 * 86_400), using: &generator)
            guard seen.insert("\(entity)@\(second)").inserted else { continue }
            var attributes: [String: Value] = [
                "no2": .number(Double(Int.random(in: -50...400, using: &generator)) / 4, unit: "GQ"),
                "status": .text("ok"), "calibrated": .boolean(true),
            ]
            if Bool.random(using: &generator) { attributes["temperature"] = .number(Double.random(in: -10...35, using: &generator), unit: nil) }
            events.append(Event(type: "AirQualityObserved", entity: entity, observedAt: start.adding(microseconds: second * 1_000_000),
                                receivedAt: start.adding(microseconds: 3 * Self.day), route: "air", attributes: attributes))
        }
        return events
    }

    /// What the roll-ups should hold, computed from distinct events: per (entity, attribute, step), buckets by start.
    func expected(_ events: [Event], step: SeriesStep) -> [String: [SeriesPoint]] {
        var groups: [String: [Int64: [Event]]] = [:]
        for event in events {
            for (name, value) in event.attributes where value.number != nil {
                let time = event.observedAt.microsecondsSinceEpoch
                let bucket = time - ((time % step.microseconds) + step.microseconds) % step.microseconds
                groups["\(event.entity) \(name)", default: [:]][bucket, default: []].append(event)
            }
        }
        return groups.reduce(into: [:]) { result, group in
            let name = String(group.key.split(separator: " ")[1])
            result[group.key] = group.value.keys.sorted().map { bucket in
                let events = group.value[bucket]!
                let values = events.map { $0.attributes[name]!.number! }
                let last = events.max { $0.observedAt < $1.observedAt }!.attributes[name]!.number!
                return SeriesPoint(start: Timestamp(microsecondsSinceEpoch: bucket), count: values.count, min: values.min()!,
                                   max: values.max()!, mean: values.reduce(0, +) / Double(values.count), last: last)
            }
        }
    }

    func assertSeries(_ store: any ContractStore, equal events: [Event], from: Timestamp, to: Timestamp,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        for step in SeriesStep.allCases {
            let want = expected(events, step: step)
            XCTAssertFalse(want.isEmpty, file: file, line: line)
            for (key, points) in want {
                let parts = key.split(separator: " ").map(String.init)
                let got = try store.series(entity: parts[0], attribute: parts[1], step: step, from: from, to: to)
                XCTAssertEqual(got.count, points.count, "\(key) \(step)", file: file, line: line)
                for (have, wanted) in zip(got, points) {
                    XCTAssertEqual(have.start, wanted.start, "\(key) \(step)", file: file, line: line)
                    XCTAssertEqual(have.count, wanted.count, "\(key) \(step) \(have.start)", file: file, line: line)
                    XCTAssertEqual(have.min, wanted.min, file: file, line: line)
                    XCTAssertEqual(have.max, wanted.max, file: file, line: line)
                    XCTAssertEqual(have.last, wanted.last, "\(key) \(step) \(have.start)", file: file, line: line)
                    XCTAssertEqual(have.mean, wanted.mean, accuracy: 1e-9 * max(1, abs(wanted.mean)), file: file, line: line)
                }
            }
        }
        XCTAssertEqual(try store.series(entity: "urn:ngsi-ld:AirQualityObserved:1", attribute: "status", step: .hour, from: from, to: to), [],
                       "text is not rolled up", file: file, line: line)
    }

    /// Events arrive shuffled (late and out of order) in batches of different sizes; a quarter of
    /// them are delivered again, in later batches and inside one batch: the roll-ups equal the
    /// aggregates of the distinct events, bucket by bucket.
    func testRollUpsEqualTheAggregatesOfTheRawEvents() throws {
        let store = try openStore()
        defer { try? store.close() }
        var generator = SeededGenerator(seed: 11)
        let start = SampleData.observed
        let events = readings(count: 1500, start: start, using: &generator)
        var deliveries = events.shuffled(using: &generator)
        deliveries += events.filter { _ in Int.random(in: 0..<4, using: &generator) == 0 }
        var index = deliveries.startIndex
        while index < deliveries.endIndex {
            let end = min(deliveries.endIndex, index + Int.random(in: 1...200, using: &generator))
            var batch = Array(deliveries[index..<end])
            if let first = batch.first, Bool.random(using: &generator) { batch.append(first) }
            try store.write(events: batch, deadLetters: [])
            index = end
        }
        XCTAssertEqual(try store.eventCount(), events.count)
        try assertSeries(store, equal: events, from: start.adding(microseconds: -Self.day), to: start.adding(microseconds: 4 * Self.day))

        // A range: buckets from the one holding `from`, before `to`.
        let entity = "urn:ngsi-ld:AirQualityObserved:2"
        let all = try store.series(entity: entity, attribute: "no2", step: .hour, from: start, to: start.adding(microseconds: 3 * Self.day))
        let from = start.adding(microseconds: 5 * Self.hour + 1), to = start.adding(microseconds: 9 * Self.hour)
        XCTAssertEqual(try store.series(entity: entity, attribute: "no2", step: .hour, from: from, to: to),
                       all.filter { $0.start > from.adding(microseconds: -Self.hour) && $0.start < to })
        XCTAssertEqual(try store.series(entity: entity, attribute: "no2", step: .hour, from: from, to: to).count, 5,
                       "the bucket holding from, then those starting before to")

        // Days are summed from hours: a day starting before `to` counts whole, hours after `to` included.
        let days = try store.series(entity: entity, attribute: "no2", step: .day, from: start.adding(microseconds: Self.day + 1),
                                    to: start.adding(microseconds: 2 * Self.day + 1))
        XCTAssertEqual(days.map(\.start), [start.adding(microseconds: Self.day), start.adding(microseconds: 2 * Self.day)].map {
            Timestamp(microsecondsSinceEpoch: SeriesStep.day.bucket(of: $0.microsecondsSinceEpoch))
        })
        let wanted = expected(events, step: .day)["\(entity) no2"]!.filter { point in days.contains { $0.start == point.start } }
        XCTAssertEqual(days.map(\.count), wanted.map(\.count))
        XCTAssertEqual(days.map(\.last), wanted.map(\.last))
    }

    /// Roll-ups outlive the raw events: events go after their 2 days, roll-ups after their own 30,
    /// by the start of their bucket; `hub check`'s summary names them.
    func testRollUpsAreKeptOnTheirOwnDays() throws {
        let now = SampleData.observed
        let policy = RetentionPolicy(defaultEventDays: 2, rollupDays: 30)
        let store = try openStore(policy)
        defer { try? store.close() }
        func reading(age: Int64) -> Event {
            Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:1", observedAt: now.adding(microseconds: -age),
                  receivedAt: now.adding(microseconds: -age), route: "air", attributes: ["no2": .number(Double(age / Self.hour), unit: nil)])
        }
        try store.write(events: [reading(age: 40 * Self.day), reading(age: 5 * Self.day), reading(age: 0)], deadLetters: [])
        let swept = try store.sweepExpired(now: now, sliceSize: 1)
        XCTAssertEqual(swept, RetentionSweep(events: 2, rollups: 1), "the hour bucket of the 40-day-old reading")
        XCTAssertEqual(try store.eventCount(), 1)
        let days = try store.series(entity: "urn:ngsi-ld:AirQualityObserved:1", attribute: "no2", step: .day,
                                    from: now.adding(microseconds: -60 * Self.day), to: now.adding(microseconds: Self.day))
        XCTAssertEqual(days.map(\.last), [120, 0], "the 5-day-old reading's roll-up outlived its event")
        XCTAssertTrue(policy.summary(routes: []).hasSuffix("roll-ups 30 days"))
    }
}

/// The roll-ups against a real PostgreSQL.
final class PostgresRollupTests: RollupTests {
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
    override func testRollUpsEqualTheAggregatesOfTheRawEvents() throws { try super.testRollUpsEqualTheAggregatesOfTheRawEvents() }
    override func testRollUpsAreKeptOnTheirOwnDays() throws { try super.testRollUpsAreKeptOnTheirOwnDays() }
}

/// What only SQLite's roll-ups do: series read by key (query plans), and the migrations that made them.
final class SQLiteRollupTests: RollupTests {
    private var directory: URL { (backend as? SQLiteBackend)?.directory ?? URL(fileURLWithPath: "/nonexistent") }

    private func openSQLiteStore() throws -> SQLiteStore {
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                        options: SQLiteStore.Options(retentionPeriod: .seconds(3600)), logger: logs.logger(label: "hub.store"))
    }
    /// A series is read hour by hour through the roll-ups' primary key, never by scanning them, and
    /// only over the hours stored: a range reaching far past both ends gives every bucket, a range
    /// outside them none, and the index by entity that schema 12 dropped is gone.
    func testSeriesAreReadByKeyOverTheStoredHoursOnly() throws {
        let store = try openSQLiteStore()
        defer { try? store.close() }
        var generator = SeededGenerator(seed: 12)
        let start = SampleData.observed
        let events = readings(count: 300, start: start, using: &generator)
        try store.write(events: events, deadLetters: [])
        let entity = "urn:ngsi-ld:AirQualityObserved:1"
        let stored = try store.series(entity: entity, attribute: "no2", step: .hour, from: start, to: start.adding(microseconds: 4 * Self.day))
        XCTAssertFalse(stored.isEmpty)
        let wide = try store.series(entity: entity, attribute: "no2", step: .hour, from: start.adding(microseconds: -300 * Self.day),
                                    to: start.adding(microseconds: 100 * Self.day))
        XCTAssertEqual(wide, stored)
        let days = try store.series(entity: entity, attribute: "no2", step: .day, from: start.adding(microseconds: -9000 * Self.day),
                                    to: start.adding(microseconds: 900 * Self.day))
        XCTAssertEqual(days.map(\.count).reduce(0, +), stored.map(\.count).reduce(0, +))
        XCTAssertEqual(try store.series(entity: entity, attribute: "no2", step: .hour, from: start.adding(microseconds: -9 * Self.day),
                                        to: start.adding(microseconds: -8 * Self.day)), [])
        XCTAssertEqual(try store.series(entity: entity, attribute: "no2", step: .hour, from: start.adding(microseconds: 8 * Self.day),
                                        to: start.adding(microseconds: 9 * Self.day)), [])
        for sql in [StoreSQL.hourlySeries, StoreSQL.dailySeries] {
            let plan = try store.withReadConnection { connection in
                try connection.query("EXPLAIN QUERY PLAN " + sql, [.text(entity), .text("no2"), .integer(0), .integer(1 << 60), .integer(10)]) {
                    $0.text(3)
                }
            }
            XCTAssertTrue(plan.contains { $0.contains("SEARCH r USING PRIMARY KEY (step=? AND bucket=? AND entity_id=? AND attribute_id=?)") }, "\(plan)")
            XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN r") || $0.hasPrefix("SCAN rollups") }, "\(plan)")
        }
        let indexes = try store.withReadConnection { connection in
            try connection.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rollups'") { $0.text(0) }
        }
        XCTAssertEqual(indexes, [])
    }

    /// A database of schema 9 kept day buckets beside the hours: they go when it migrates, and
    /// the days read (summed from the hours) are the same.
    func testMigrationDropsStoredDaysAndReadsThemFromHours() throws {
        var generator = SeededGenerator(seed: 5)
        let start = SampleData.observed
        let events = readings(count: 300, start: start, using: &generator)
        let path = directory.appendingPathComponent("hub.sqlite").path
        var store = try openSQLiteStore()
        try store.write(events: events, deadLetters: [])
        try store.close()
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: .seconds(1))
        try connection.execute(script: """
            INSERT INTO rollups (entity_id, attribute_id, step, bucket, count, min, max, sum, last, last_observed_at)
            SELECT entity_id, attribute_id, 86400, bucket - bucket % 86400000000, sum(count), min(min), max(max), sum(sum), 0, max(last_observed_at)
            FROM rollups GROUP BY entity_id, attribute_id, bucket - bucket % 86400000000;
            PRAGMA user_version = 9;
            """)
        XCTAssertGreaterThan(try connection.query("SELECT count(*) FROM rollups WHERE step = 86400") { $0.int64(0) }.first ?? 0, 0)
        try connection.close()
        store = try openSQLiteStore()
        defer { try? store.close() }
        try store.withWriteConnection { connection in
            XCTAssertEqual(try connection.query("SELECT count(*) FROM rollups WHERE step = 86400") { $0.int64(0) }.first, 0)
        }
        try assertSeries(store, equal: events, from: start, to: start.adding(microseconds: 3 * Self.day))
    }

    /// A database written before roll-ups existed gets them filled from its events when it migrates.
    func testMigrationFillsTheRollUpsFromStoredEvents() throws {
        var generator = SeededGenerator(seed: 7)
        let start = SampleData.observed
        let events = readings(count: 400, start: start, using: &generator)
        let path = directory.appendingPathComponent("hub.sqlite").path
        let old = try VersionFiveDatabase(path: path)
        try old.write(events: Array(events[..<250]))
        try old.write(events: Array(events[200...]))
        try old.close()
        let store = try openSQLiteStore()
        defer { try? store.close() }
        try assertSeries(store, equal: events, from: start, to: start.adding(microseconds: 3 * Self.day))
    }
}
