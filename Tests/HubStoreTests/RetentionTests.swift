import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import Synchronization
import XCTest

/// Retention deletes exactly what expired: per route, events observed and received before the
/// cutoff, the store's default for the other routes, dead letters by their own days; nothing else.
final class RetentionTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()
    private static let day: Int64 = 86_400_000_000
    private let now = SampleData.observed

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-retention")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func openStore(_ retention: RetentionPolicy, period: Duration = .seconds(3600)) throws -> SQLiteStore {
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                        options: SQLiteStore.Options(retention: retention, retentionPeriod: period),
                        logger: logs.logger(label: "hub.store"))
    }

    /// An event of `route` for `entity`, observed `age` microseconds before `now` and received
    /// then, or `receivedAge` before `now` when given.
    private func event(_ route: String, entity: Int, age: Int64, receivedAge: Int64? = nil) -> Event {
        Event(type: "Reading", entity: "urn:ngsi-ld:Reading:\(route)-\(entity)", observedAt: now.adding(microseconds: -age),
              receivedAt: now.adding(microseconds: -(receivedAge ?? age)), route: route, attributes: ["age": .number(Double(age), unit: nil)])
    }

    /// Writes `events` as the hub stores them, in the order they were received, in batches of 7.
    private func write(_ events: [Event], to store: SQLiteStore, deadLetters: [DeadLetter] = []) throws {
        let ordered = events.sorted { $0.receivedAt < $1.receivedAt }
        for start in stride(from: 0, to: ordered.count, by: 7) {
            try store.write(events: Array(ordered[start..<min(start + 7, ordered.count)]), deadLetters: start == 0 ? deadLetters : [])
        }
    }

    private func deadLetter(age: Int64) -> DeadLetter {
        DeadLetter(envelope: Envelope(route: "air", source: .mqtt, origin: "t", payload: Data([0xff, UInt8(age % 200)]),
                                      receivedAt: now.adding(microseconds: -age)), reason: "test")
    }

    /// Routes `air` (2 days), `parking` (10 days), `archive` (the store's 30 days) and events of
    /// ages on both sides of each cutoff, spread over entities so that one sweep crosses several
    /// slices, plus on each route an old observation received today (kept: a backlog replayed
    /// today stays its days from its receipt) and one received 400 days ago from a device whose
    /// clock was ahead, observed after the cutoff (kept, and the sweep reads on past it);
    /// afterwards the stored ids are exactly those not expired, the latest states and the
    /// registry are untouched, and dead letters went by their own 7 days.
    func testASweepDeletesExactlyTheExpiredRowsOfEachRoute() throws {
        let policy = RetentionPolicy(defaultEventDays: 30, eventDaysByRoute: ["air": 2, "parking": 10], deadLetterDays: 7)
        let store = try openStore(policy)
        defer { try? store.close() }
        let ages: [Int64] = [0, Self.day, 2 * Self.day - 1, 2 * Self.day, 2 * Self.day + 1, 9 * Self.day, 10 * Self.day + 5,
                             29 * Self.day, 30 * Self.day, 400 * Self.day]
        var events: [Event] = []
        for route in ["air", "parking", "archive"] {
            for entity in 0..<4 {
                events += ages.map { event(route, entity: entity, age: $0 + Int64(entity)) }
            }
            events.append(event(route, entity: 9, age: 400 * Self.day, receivedAge: 0))
            events.append(event(route, entity: 8, age: 0, receivedAge: 400 * Self.day))
        }
        let letters = [0, 6 * Self.day, 7 * Self.day - 1, 7 * Self.day, 8 * Self.day, 100 * Self.day].map(deadLetter(age:))
        try write(events, to: store, deadLetters: letters)
        let latestBefore = try store.entities(matching: EventFilter(), limit: 100)
        let devicesBefore = try store.devices()

        let swept = try store.sweepExpired(now: now, sliceSize: 3)
        func expired(_ event: Event) -> Bool {
            let days: Int64 = ["air": 2, "parking": 10][event.route] ?? 30
            let cutoff = now.microsecondsSinceEpoch - days * Self.day
            return event.observedAt.microsecondsSinceEpoch < cutoff && event.receivedAt.microsecondsSinceEpoch < cutoff
        }
        let kept = events.filter { !expired($0) }
        XCTAssertEqual(kept.filter { $0.entity.hasSuffix("-9") || $0.entity.hasSuffix("-8") }.count, 6)
        XCTAssertEqual(swept.events, events.count - kept.count)
        XCTAssertGreaterThan(swept.events, 3, "several slices")
        XCTAssertEqual(Set(try store.events(matching: EventFilter(), limit: 1000).map(\.event.id)), Set(kept.map(\.id)))
        let keptLetters = letters.filter { $0.receivedAt.microsecondsSinceEpoch >= now.microsecondsSinceEpoch - 7 * Self.day }
        XCTAssertEqual(swept.deadLetters, 2)
        XCTAssertEqual(try store.deadLetters(limit: 100).map(\.deadLetter), keptLetters.reversed())
        XCTAssertEqual(try store.entities(matching: EventFilter(), limit: 100), latestBefore)
        XCTAssertEqual(try store.devices(), devicesBefore)

        XCTAssertEqual(try store.sweepExpired(now: now), RetentionSweep(), "nothing more expired")
    }

    /// Without a store default, routes without days of their own keep everything, and a route
    /// that stored nothing is no error.
    func testRoutesWithoutDaysKeepEverythingWithoutADefault() throws {
        let store = try openStore(RetentionPolicy(eventDaysByRoute: ["air": 1, "never-used": 1]))
        defer { try? store.close() }
        let events = [event("air", entity: 1, age: 2 * Self.day), event("air", entity: 1, age: 0),
                      event("parking", entity: 1, age: 900 * Self.day)]
        try write(events, to: store, deadLetters: [deadLetter(age: 900 * Self.day)])
        XCTAssertEqual(try store.sweepExpired(now: now), RetentionSweep(events: 1, deadLetters: 0))
        XCTAssertEqual(Set(try store.events(limit: 10).map(\.id)), [events[1].id, events[2].id])
        XCTAssertEqual(try store.deadLetterCount(), 1)
    }

    /// A slice of events ends when its time is up, whatever its size: with no time at all each
    /// slice deletes one row (the sweep asks whether to stop between slices, so once per row), and
    /// the sweep still deletes exactly the expired rows.
    func testASliceOfEventsEndsWhenItsTimeIsUp() throws {
        let store = try openStore(RetentionPolicy(defaultEventDays: 1))
        defer { try? store.close() }
        let expired = (0..<12).map { event("air", entity: $0 % 3, age: 2 * Self.day + Int64($0)) }
        let kept = (0..<3).map { event("air", entity: $0, age: Int64($0)) }
        try write(expired + kept, to: store)
        var asked = 0
        let swept = try store.sweepExpired(now: now, sliceSize: 500, sliceTime: .zero) {
            asked += 1
            return false
        }
        XCTAssertEqual(swept.events, expired.count)
        XCTAssertGreaterThanOrEqual(asked, expired.count, "one slice per row")
        XCTAssertEqual(Set(try store.events(limit: 100).map(\.id)), Set(kept.map(\.id)))
    }

    /// A slice of events ends at the row it is deleting when a batch write waits for the write
    /// connection, so that the write waits for one row, not for a whole slice: with a write
    /// waiting all along (counted as `write` counts it) and all the time in the world per slice,
    /// each slice deletes one row, and the sweep still deletes exactly the expired rows.
    func testASliceOfEventsEndsWhenABatchWriteWaits() throws {
        let store = try openStore(RetentionPolicy(defaultEventDays: 1))
        defer { try? store.close() }
        let expired = (0..<12).map { event("air", entity: $0 % 3, age: 2 * Self.day + Int64($0)) }
        let kept = (0..<3).map { event("air", entity: $0, age: Int64($0)) }
        try write(expired + kept, to: store)
        var slices = 0
        store.writesWaiting.add(1, ordering: .relaxed)
        let swept = try store.sweepExpired(now: now, sliceSize: 500, sliceTime: .seconds(3600)) {
            slices += 1
            return false
        }
        store.writesWaiting.subtract(1, ordering: .relaxed)
        XCTAssertEqual(swept.events, expired.count)
        XCTAssertGreaterThanOrEqual(slices, expired.count, "one slice per row")
        XCTAssertEqual(Set(try store.events(limit: 100).map(\.id)), Set(kept.map(\.id)))
    }

    /// Each slice of a sweep is folded into the file before the next one, so the log starts over
    /// instead of growing: a sweep of 6,000 events over 300 entities in slices of 50 never reaches a
    /// 1 MiB cap, which a commit would otherwise find passed and fold inline, keeping the next
    /// commits waiting (the background checkpoints are an hour apart here).
    func testASweepFoldsTheLogAfterEachSliceInsteadOfReachingItsCap() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                    options: SQLiteStore.Options(checkpointPeriod: .seconds(3600), walLimitBytes: 1 << 20,
                                                                 retention: RetentionPolicy(defaultEventDays: 1),
                                                                 retentionPeriod: .seconds(3600)),
                                    logger: logs.logger(label: "hub.store", level: .debug))
        defer { try? store.close() }
        try write((0..<6000).map { event("air", entity: $0 % 300, age: 3 * Self.day - Int64($0)) }, to: store)
        try store.checkpoint()
        let before = logs.lines(containing: "write-ahead log truncated").count
        let swept = try store.sweepExpired(now: now, sliceSize: 50)
        XCTAssertEqual(swept.events, 6000)
        XCTAssertEqual(logs.lines(containing: "write-ahead log truncated").count, before, "the cap was never reached")
        XCTAssertLessThanOrEqual(FileIdentity.of(directory.appendingPathComponent("hub.sqlite-wal").path)?.size ?? 0, 1 << 20)
    }

    /// While commits keep arriving, a PASSIVE copy after each slice never catches up with the log's
    /// end, so SQLite never starts the log over and it grew until its cap was folded and truncated
    /// inside a slice or a commit (30-80 ms the commits waited, every second or so). Once the log
    /// holds more than `foldAbove` frames (here 256, 1 MiB) the sweep folds it while writes wait
    /// for one short pass, and the next write starts it over: with the cap out of the way (1 GiB)
    /// and a thread committing every 2 ms all along, the log stayed about 1.5 MiB, where with a
    /// PASSIVE copy alone after each slice it reached 16-26 MiB.
    func testWhileCommitsArriveASweepStartsTheLogOverInsteadOfGrowingIt() throws {
        let walPath = directory.appendingPathComponent("hub.sqlite-wal").path
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                    options: SQLiteStore.Options(checkpointPeriod: .seconds(3600), walLimitBytes: 1 << 30,
                                                                 retention: RetentionPolicy(defaultEventDays: 1),
                                                                 retentionPeriod: .seconds(3600)),
                                    logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        try write((0..<6000).map { event("air", entity: $0 % 300, age: 3 * Self.day - Int64($0)) }, to: store)
        // Filling it grew the log's file (with no background checkpoints); it starts empty.
        try store.withWriteConnection { store.truncateLog(on: $0, because: "the test starts with an empty log") }
        XCTAssertEqual(FileIdentity.of(walPath)?.size, 0)

        let sweepDone = Atomic<Bool>(false)
        let largestDuringCommits = Mutex<Int64>(0)
        let commits = Atomic<Int>(0)
        let now = self.now
        let committer = Thread {
            var batch = 0
            while !sweepDone.load(ordering: .relaxed) {
                let events = (0..<5).map {
                    Event(type: "Reading", entity: "urn:ngsi-ld:Reading:fresh-\(batch * 5 + $0)", observedAt: now, receivedAt: now,
                          route: "fresh", attributes: ["n": .number(Double(batch), unit: nil)])
                }
                if (try? store.write(events: events, deadLetters: [])) != nil { commits.add(1, ordering: .relaxed) }
                let size = FileIdentity.of(walPath)?.size ?? 0
                largestDuringCommits.withLock { $0 = max($0, size) }
                batch += 1
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        committer.start()
        let swept = try store.sweepExpired(now: now, sliceSize: 50, foldAbove: 256) { false }
        sweepDone.store(true, ordering: .relaxed)
        while !committer.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        XCTAssertEqual(swept.events, 6000)
        XCTAssertGreaterThan(commits.load(ordering: .relaxed), 50, "commits ran all along the sweep")
        let largest = largestDuringCommits.withLock { $0 }
        XCTAssertLessThan(largest, 6 << 20, "the log grew to \(largest) bytes")
    }

    /// The background task sweeps by itself (here every 50 ms) and the store closes while it runs.
    func testTheBackgroundTaskSweeps() throws {
        let store = try openStore(RetentionPolicy(defaultEventDays: 1), period: .milliseconds(50))
        let old = Event(type: "Reading", entity: "urn:ngsi-ld:Reading:1", observedAt: Timestamp.now().adding(microseconds: -3 * Self.day),
                        receivedAt: Timestamp.now().adding(microseconds: -3 * Self.day), route: "air", attributes: [:])
        let recent = Event(type: "Reading", entity: "urn:ngsi-ld:Reading:1", observedAt: .now(), receivedAt: .now(), route: "air", attributes: [:])
        try store.write(events: [old, recent], deadLetters: [])
        XCTAssertTrue(waitUntil(timeout: 10) { (try? store.eventCount()) == 1 })
        XCTAssertEqual(try store.events(limit: 10), [recent])
        try store.close()
    }
}
