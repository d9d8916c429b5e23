import CSQLite
import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// What only the SQLite store does (WAL, checkpoints, files, its migrations); the `Store` contract both
/// backends keep is `StoreContractTests`.
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

    func testSQLiteKeepsNoMemoryStatisticsWhoseLockEveryAllocationWouldTake() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: (0..<50).map { SampleData.airQuality(no2: Double($0)) }, deadLetters: [])
        XCTAssertEqual(sqlite3_memory_used(), 0, "SQLite counted its allocations: its memory statistics are on")
        XCTAssertEqual(sqlite3_memory_highwater(0), 0)
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
