import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

final class SQLiteStoreTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-store")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var databasePath: String { directory.appendingPathComponent("hub.sqlite").path }

    private func openStore(options: SQLiteStore.Options = .init()) throws -> SQLiteStore {
        try SQLiteStore(path: databasePath, options: options, logger: logs.logger(label: "hub.store"))
    }

    func testEventsReadBackEqualToWhatWasWritten() throws {
        let store = try openStore()
        defer { try? store.close() }
        let events = [
            SampleData.airQuality(station: 1),
            SampleData.airQuality(station: 2, observedAt: SampleData.observed.adding(microseconds: 1), no2: 48.07),
            SampleData.parking(spot: 7),
        ]
        try store.write(events: events, deadLetters: [])

        for event in events {
            XCTAssertEqual(try store.event(id: event.id), event)
        }
        XCTAssertEqual(try store.events(limit: 10), events.reversed(), "newest first, by insertion order")
        XCTAssertEqual(try store.latest(entity: events[0].entity), events[0])
        XCTAssertNil(try store.event(id: EventID(rawValue: "00000000000000000000000000000000")))
        XCTAssertNil(try store.latest(entity: "urn:ngsi-ld:Nothing:here"))
        XCTAssertEqual(try store.eventCount(), 3)
    }

    func testNumbersAreStoredWithFullPrecision() throws {
        let store = try openStore()
        defer { try? store.close() }
        let event = SampleData.airQuality(no2: 0.30000000000000004)
        try store.write(events: [event], deadLetters: [])
        // The stored text is exact (shortest round-trip form). Reading it back goes through
        // HubCore's JSONValue(parsing:), whose precision is that of Foundation's parser.
        let stored = try store.withReadConnection { try $0.query("SELECT attributes FROM events") { $0.text(0) } }
        XCTAssertEqual(stored, [event.attributesJSON])
        XCTAssertTrue(stored.first?.contains(#""value":0.30000000000000004"#) ?? false, "\(stored)")
    }

    func testEventQueriesFilterAndLimit() throws {
        let store = try openStore()
        defer { try? store.close() }
        let air = (0..<3).map { SampleData.airQuality(station: 1, observedAt: SampleData.observed.adding(microseconds: Int64($0))) }
        let parking = (0..<3).map { SampleData.parking(spot: $0) }
        try store.write(events: [air[0], parking[0], air[1], parking[1], air[2], parking[2]], deadLetters: [])

        XCTAssertEqual(try store.events(limit: 2), [parking[2], air[2]])
        XCTAssertEqual(try store.events(entity: air[0].entity, limit: 10), air.reversed())
        XCTAssertEqual(try store.events(type: "ParkingSpot", limit: 10), parking.reversed())
        XCTAssertEqual(try store.events(route: "parking", limit: 2), [parking[2], parking[1]])
        XCTAssertEqual(try store.events(entity: parking[1].entity, type: "ParkingSpot", route: "parking", limit: 10), [parking[1]])
        XCTAssertEqual(try store.events(entity: parking[1].entity, type: "AirQualityObserved", limit: 10), [])
        XCTAssertEqual(try store.events(limit: 0), [])
    }

    func testAnEventIdIsStoredOnceWithinAndAcrossBatches() throws {
        let store = try openStore()
        defer { try? store.close() }
        let event = SampleData.airQuality()
        var redelivered = event
        redelivered.receivedAt = event.receivedAt.adding(microseconds: 5_000_000)

        let first = try store.write(events: [event, event], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 1)
        XCTAssertEqual(first.map(\.event), [event], "the write reports the copy it stored, not the skipped one")
        let parking = SampleData.parking(spot: 1)
        let second = try store.write(events: [redelivered, parking], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 2)
        XCTAssertEqual(try store.event(id: event.id), event, "the first copy is the one kept")
        XCTAssertEqual(second.map(\.event), [parking])
        XCTAssertEqual(try store.events(matching: EventFilter(), after: 0, limit: 10), first + second,
                       "the sequence numbers reported are the ones reads page by")
        XCTAssertEqual(try store.events(matching: EventFilter(), after: first[0].seq, limit: 10), second)
    }

    func testLatestStateOnlyMovesForward() throws {
        let store = try openStore()
        defer { try? store.close() }
        let t0 = SampleData.observed
        let middle = SampleData.airQuality(observedAt: t0.adding(microseconds: 60_000_000), no2: 20)
        let newer = SampleData.airQuality(observedAt: t0.adding(microseconds: 120_000_000), no2: 30)
        let older = SampleData.airQuality(observedAt: t0, no2: 10)

        try store.write(events: [middle], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), middle)
        try store.write(events: [newer], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), newer, "a newer observation replaces the latest state")
        try store.write(events: [older], deadLetters: [])
        XCTAssertEqual(try store.latest(entity: middle.entity), newer, "a late, older observation does not")
        XCTAssertEqual(try store.eventCount(), 3, "every observation is still in the history")

        // Within one batch too: the newest wins whatever the order.
        let other = [SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 2)),
                     SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 3)),
                     SampleData.parking(spot: 9, observedAt: t0.adding(microseconds: 1))]
        try store.write(events: other, deadLetters: [])
        XCTAssertEqual(try store.latest(entity: other[0].entity), other[1])
    }

    func testDeadLettersKeepTheirPayloadByteForByte() throws {
        let store = try openStore()
        defer { try? store.close() }
        var generator = SystemRandomNumberGenerator()
        let large = Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let letters = [
            SampleData.deadLetter(payload: Data([0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x7B, 0x00]),
                                  reason: "payload is not valid UTF-8 (bad byte at offset 0)"),
            SampleData.deadLetter(payload: Data(), route: "senml", origin: "city/senml/empty", reason: "empty payload"),
            DeadLetter(envelope: Envelope(route: "uploads", source: .file, origin: "drop/invoice 42.xml", payload: large,
                                          receivedAt: SampleData.observed.adding(microseconds: 7)),
                       reason: "not an invoice"),
        ]
        try store.write(events: [], deadLetters: letters)

        let stored = try store.deadLetters(limit: 10)
        XCTAssertEqual(stored.map(\.deadLetter), letters.reversed(), "newest first, every field intact")
        XCTAssertEqual(stored.map(\.id), [3, 2, 1])
        XCTAssertEqual(stored.last?.deadLetter.payload.count, 7)
        XCTAssertEqual(stored[1].deadLetter.payload, Data(), "an empty payload stays empty, not NULL")
        XCTAssertEqual(stored.first?.deadLetter.payload.count, 1 << 20)
        XCTAssertEqual(try store.deadLetter(id: 2)?.deadLetter, letters[1])
        XCTAssertNil(try store.deadLetter(id: 99))
        XCTAssertEqual(try store.deadLetterCount(), 3)
        XCTAssertEqual(try store.deadLetters(limit: 1).map(\.id), [3])
    }

    func testEventsAndDeadLettersOfOneWriteAreOneTransaction() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [SampleData.deadLetter(payload: Data("a".utf8))])
        // Break the dead-letter insert so that the next write fails after its events were inserted.
        try store.withWriteConnection { try $0.execute(script: "ALTER TABLE dead_letters RENAME TO moved_away") }

        XCTAssertThrowsError(try store.write(events: [SampleData.parking(spot: 2)],
                                             deadLetters: [SampleData.deadLetter(payload: Data("b".utf8))])) { error in
            XCTAssertTrue("\(error)".contains("no such table"), "\(error)")
        }
        XCTAssertEqual(try store.eventCount(), 1, "the event was rolled back with the failed dead letter")
        XCTAssertNil(try store.latest(entity: SampleData.parking(spot: 2).entity), "and so was its latest state")

        try store.withWriteConnection { try $0.execute(script: "ALTER TABLE moved_away RENAME TO dead_letters") }
        try store.write(events: [SampleData.parking(spot: 2)], deadLetters: [SampleData.deadLetter(payload: Data("b".utf8))])
        XCTAssertEqual(try store.eventCount(), 2, "the store is usable after a rollback")
        XCTAssertEqual(try store.deadLetterCount(), 2)
    }

    func testTheLogIsFoldedIntoTheFileInTheBackgroundNotByCommits() throws {
        let store = try openStore(options: SQLiteStore.Options(checkpointPeriod: .milliseconds(50)))
        defer { try? store.close() }
        func fileSize() -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: store.path))?[.size] as? NSNumber)?.intValue ?? 0
        }
        let emptySize = fileSize()
        let events = (0..<3000).map { SampleData.airQuality(station: $0 % 40, observedAt: SampleData.observed.adding(microseconds: Int64($0))) }
        for start in stride(from: 0, to: events.count, by: 500) {
            try store.write(events: Array(events[start..<start + 500]), deadLetters: [])
        }
        // Commits only append to the log (automatic checkpoints are off); only the background
        // checkpointer copies pages into the database file.
        XCTAssertTrue(waitUntil(timeout: 10) { fileSize() > emptySize + 200_000 },
                      "the database file grew from \(emptySize) to \(fileSize()) bytes")
        XCTAssertEqual(try store.eventCount(), 3000)
    }

    /// Under back-to-back commits a PASSIVE checkpoint never catches up with the log's end, so
    /// SQLite never starts the log over: it grew until the cap truncated it inside a commit (about
    /// 60 ms that commit waited, every 2 s at 5,000 readings/s). The checkpointer copies the frames
    /// appended during its pass while writes wait, and the next commit starts the log over: with
    /// the cap out of the way (1 GB), 24 MB of commits leave a log a fraction of that size (2.2 MB
    /// measured; up to 10 MB on a loaded machine; 31.8 MB without the pass while writes wait).
    func testUnderSteadyCommitsTheLogStartsOverInsteadOfGrowingToItsCap() throws {
        let store = try openStore(options: SQLiteStore.Options(checkpointPeriod: .milliseconds(20), walLimitBytes: 1 << 30))
        defer { try? store.close() }
        var largest: Int64 = 0
        for batch in 0..<240 {
            try store.write(events: SampleData.largeNotes(batch: batch, count: 20), deadLetters: [])
            largest = max(largest, FileIdentity.of(databasePath + "-wal")?.size ?? 0)
        }
        XCTAssertEqual(try store.eventCount(), 4800)
        XCTAssertLessThan(largest, 16 << 20, "the log grew to \(largest) bytes")
    }

    func testTheDatabaseIsInWALMode() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [])
        XCTAssertEqual(try store.journalMode(), "wal")
        XCTAssertTrue(FileManager.default.fileExists(atPath: databasePath + "-wal"))

        // WAL mode is recorded in the file: a connection of its own sees it too.
        let independent = try SQLiteConnection(path: databasePath, readOnly: true, busyTimeout: .seconds(1))
        defer { try? independent.close() }
        XCTAssertEqual(try independent.query("PRAGMA journal_mode") { $0.text(0) }, ["wal"])
    }

    func testSynchronousIsNormalByDefaultAndFullOnRequest() throws {
        let store = try openStore()
        XCTAssertEqual(try store.withWriteConnection { try $0.query("PRAGMA synchronous") { $0.int64(0) } }, [1])
        try store.close()
        let full = try openStore(options: .init(synchronous: .full))
        defer { try? full.close() }
        XCTAssertEqual(try full.withWriteConnection { try $0.query("PRAGMA synchronous") { $0.int64(0) } }, [2])
    }

    func testDataSurvivesCloseAndReopen() throws {
        let events = [SampleData.airQuality(), SampleData.parking(spot: 3)]
        let letter = SampleData.deadLetter(payload: Data([0x00, 0xFF]))
        do {
            let store = try openStore()
            try store.write(events: events, deadLetters: [letter])
            try store.close()
        }
        let reopened = try openStore()
        defer { try? reopened.close() }
        XCTAssertEqual(try reopened.events(limit: 10), events.reversed())
        XCTAssertEqual(try reopened.latest(entity: events[0].entity), events[0])
        XCTAssertEqual(try reopened.deadLetters(limit: 10).map(\.deadLetter), [letter])
        XCTAssertEqual(logs.lines(containing: "store schema migrated").count, SchemaMigration.all.count,
                       "the schema is created once (one line per migration), not again on reopen")
    }

    func testCreatesAMissingParentFolder() throws {
        let nested = directory.appendingPathComponent("a/b/c/hub.sqlite").path
        let store = try SQLiteStore(path: nested, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested))
    }

    func testCloseIsIdempotentAndLaterUseThrowsClosed() throws {
        let store = try openStore()
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [])
        try store.checkpoint()
        try store.close()
        try store.close()
        XCTAssertThrowsError(try store.write(events: [SampleData.parking(spot: 2)], deadLetters: [])) { error in
            XCTAssertEqual((error as? StoreError)?.code, .closed)
        }
        XCTAssertThrowsError(try store.eventCount()) { error in
            XCTAssertEqual((error as? StoreError)?.code, .closed)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-wal"),
                       "closing the last connection folds the log into the file")
    }

    func testAFileThatIsNotADatabaseIsReportedWithSQLitesMessageAndCode() throws {
        try Data(String(repeating: "this is not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: databasePath))
        XCTAssertThrowsError(try openStore()) { error in
            guard let error = error as? StoreError else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(error.code, .corrupt)
            XCTAssertEqual(error.resultCode, 26)  // SQLITE_NOTADB
            XCTAssertTrue(error.message.contains("file is not a database"), error.message)
            XCTAssertTrue(error.message.contains("SQLite result code 26"), error.message)
        }
    }

    func testADatabaseFromANewerHubIsRefused() throws {
        try openStore().close()
        let connection = try SQLiteConnection(path: databasePath, readOnly: false, busyTimeout: .seconds(1))
        try connection.execute(script: "PRAGMA user_version = 99")
        try connection.close()
        XCTAssertThrowsError(try openStore()) { error in
            XCTAssertEqual((error as? StoreError)?.code, .schemaTooNew)
        }
    }

    func testBatchWriterCommitsEverythingToSQLite() throws {
        let store = try openStore()
        defer { try? store.close() }
        let bus = Bus(capacity: 64)
        let metrics = HubMetrics()
        let writer = BatchWriter(bus: bus, store: store, maxBatchSize: 100, maxDelay: .milliseconds(20),
                                 metrics: metrics, logger: logs.logger(label: "hub.store"))
        writer.start()
        for outcome in SampleData.outcomes(count: 1000) { XCTAssertTrue(bus.push(outcome)) }
        for index in 0..<10 { bus.push(Outcome(deadLetter: SampleData.deadLetter(payload: Data([UInt8(index)])))) }
        bus.close()
        writer.stop()

        XCTAssertEqual(try store.eventCount(), 1000)
        XCTAssertEqual(try store.deadLetterCount(), 10)
        XCTAssertEqual(metrics.route("parking").eventsStored.value, 1000)
        XCTAssertGreaterThanOrEqual(metrics.batchesCommitted.value, 11)
        XCTAssertNotNil(writer.lastCommitDuration)
    }
}
