import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import Synchronization
import XCTest

/// The store failing under the batch writer, with exact counts: what was sent (pushed on the bus
/// as accepted outcomes), stored, lost and duplicated. Each fault is made with a mechanism SQLite
/// itself reports through the same result codes as the real fault, said in each test.
final class StoreFaultTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()
    private let metrics = HubMetrics()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-store-faults")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var databasePath: String { directory.appendingPathComponent("hub.sqlite").path }

    private func openStore(_ options: SQLiteStore.Options = .init()) throws -> SQLiteStore {
        try SQLiteStore(path: databasePath, options: options, logger: logs.logger(label: "hub.store"))
    }

    private func makeWriter(_ bus: Bus, _ store: SQLiteStore, gate: IntakeGate, spill: SpillFile? = nil) -> BatchWriter {
        BatchWriter(bus: bus, store: store, maxBatchSize: 50, maxDelay: .milliseconds(5), metrics: metrics,
                    logger: logs.logger(label: "hub.store"), retryDelays: .milliseconds(5) ... .milliseconds(50),
                    gate: gate, spillFile: spill)
    }

    /// Runs `sql` on the store's write connection (to make or end a fault).
    private func onWriter(_ store: SQLiteStore, _ sql: String) throws {
        try store.withWriteConnection { connection in _ = try connection.query(sql) { $0.int64(0) } }
    }

    /// Disk full, then space freed: `PRAGMA max_page_count` caps the file a few pages above its size,
    /// so commits fail with SQLITE_FULL exactly as on a full filesystem (SQLite maps ENOSPC to the
    /// same code); raising it is the space being freed. 0 lost, 0 duplicated, intake paused meanwhile.
    func testDiskFullThenSpaceFreedLosesNothing() throws {
        let store = try openStore()
        defer { try? store.close() }
        let gate = IntakeGate()
        let bus = Bus(capacity: 10_000)
        let writer = makeWriter(bus, store, gate: gate)
        writer.start()
        for outcome in SampleData.outcomes(count: 500) { bus.push(outcome) }
        XCTAssertTrue(waitUntil(timeout: 10) { (try? store.eventCount()) == 500 })

        let pages = try store.withWriteConnection { try $0.query("PRAGMA page_count") { $0.int64(0) }.first ?? 0 }
        try onWriter(store, "PRAGMA max_page_count = \(pages + 2)")
        for outcome in SampleData.outcomes(count: 2000, startingAt: 500) { bus.push(outcome) }
        XCTAssertTrue(waitUntil(timeout: 10) { !gate.isOpen }, "the gate closes on a full disk")
        XCTAssertTrue(gate.reason?.contains("full") ?? false, gate.reason ?? "")
        XCTAssertEqual(metrics.storeWritable.value, 0)
        let storedWhileFull = try store.eventCount()
        XCTAssertLessThan(storedWhileFull, 2500, "some did not fit")

        try onWriter(store, "PRAGMA max_page_count = 4294967294")
        XCTAssertTrue(waitUntil(timeout: 10) { (try? store.eventCount()) == 2500 }, "stored \((try? store.eventCount()) ?? -1)")
        XCTAssertTrue(waitUntil(timeout: 5) { gate.isOpen }, "the gate opens after the next commit")
        bus.close()
        writer.stop()
        XCTAssertEqual(metrics.storeWritable.value, 1)
        XCTAssertGreaterThan(metrics.batchFailures.value, 0)
        // sent 2500, stored 2500, lost 0, duplicated 0 (one row per distinct spot)
        XCTAssertEqual(try distinctEntities(store), 2500)
        XCTAssertEqual(try store.eventCount(), 2500)
    }

    /// Read-only, then writable again: `PRAGMA query_only` makes every write fail with
    /// SQLITE_READONLY, the code SQLite returns for a file or filesystem it may not write (a
    /// read-only remount). Tests run as root, who ignores permission bits, so chmod would prove
    /// nothing here. 0 lost, 0 duplicated.
    func testReadOnlyThenWritableLosesNothing() throws {
        let store = try openStore()
        defer { try? store.close() }
        let gate = IntakeGate()
        let bus = Bus(capacity: 10_000)
        let writer = makeWriter(bus, store, gate: gate)
        writer.start()
        try onWriter(store, "PRAGMA query_only = 1")
        XCTAssertThrowsError(try store.checkWritable(), "the readiness probe really writes") { error in
            XCTAssertEqual((error as? StoreError)?.code, .readOnly)
        }
        for outcome in SampleData.outcomes(count: 1000) { bus.push(outcome) }
        XCTAssertTrue(waitUntil(timeout: 10) { !gate.isOpen })
        XCTAssertEqual(try store.eventCount(), 0)

        try onWriter(store, "PRAGMA query_only = 0")
        XCTAssertTrue(waitUntil(timeout: 10) { (try? store.eventCount()) == 1000 })
        XCTAssertTrue(waitUntil(timeout: 5) { gate.isOpen })
        XCTAssertNoThrow(try store.checkWritable())
        bus.close()
        writer.stop()
        XCTAssertEqual(try distinctEntities(store), 1000)
    }

    /// The database, its log and shared memory deleted under a running store: the next commit
    /// notices (the path no longer names the file it opened), copies the open database to the path
    /// and goes on, so everything committed before and after is in the file. 0 lost.
    func testDeletedDatabaseIsDetectedAndRestoredWithEverything() throws {
        let store = try openStore()
        try store.write(events: SampleData.outcomes(count: 300).flatMap(\.events), deadLetters: [])
        for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath))

        try store.write(events: SampleData.outcomes(count: 200, startingAt: 300).flatMap(\.events), deadLetters: [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: databasePath), "restored at its path")
        XCTAssertFalse(logs.lines(containing: "was deleted").isEmpty, "\(logs.text)")
        XCTAssertEqual(try store.eventCount(), 500, "reads go to the restored file")
        try store.close()

        let reopened = try openStore()
        defer { try? reopened.close() }
        XCTAssertEqual(try reopened.eventCount(), 500)
        XCTAssertEqual(try distinctEntities(reopened), 500)
    }

    /// Another file put at the database's path is never written over: writes and the readiness
    /// probe fail with `.fileReplaced` until the original is back, then go on into it.
    func testReplacedDatabaseIsRefusedUntilTheOriginalIsBack() throws {
        let store = try openStore()
        defer { try? store.close() }
        try store.write(events: SampleData.outcomes(count: 10).flatMap(\.events), deadLetters: [])
        let aside = databasePath + ".aside"
        XCTAssertEqual(rename(databasePath, aside), 0)
        _ = FileManager.default.createFile(atPath: databasePath, contents: Data("someone else's file".utf8))

        XCTAssertThrowsError(try store.write(events: SampleData.outcomes(count: 1, startingAt: 10).flatMap(\.events), deadLetters: [])) {
            XCTAssertEqual(($0 as? StoreError)?.code, .fileReplaced, "\($0)")
        }
        XCTAssertThrowsError(try store.checkWritable())
        XCTAssertEqual(try String(contentsOfFile: databasePath, encoding: .utf8), "someone else's file", "not overwritten")

        XCTAssertEqual(rename(aside, databasePath), 0)
        try store.write(events: SampleData.outcomes(count: 1, startingAt: 10).flatMap(\.events), deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 11)
    }

    /// A dead letter larger than SQLite stores (here the limit is lowered to 100 kB; SQLite's own is
    /// 1,000,000,000 bytes) is never retried as it is: it is stored with its first bytes, and its
    /// reason gives the whole payload's size and SHA-256. The events of the same batch are stored.
    func testTooBigDeadLetterIsStoredShortenedNotRetriedForever() throws {
        let store = try openStore(SQLiteStore.Options(largestValueBytes: 100_000))
        defer { try? store.close() }
        let gate = IntakeGate()
        let bus = Bus(capacity: 100)
        let writer = makeWriter(bus, store, gate: gate)
        writer.start()
        let payload = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let letter = SampleData.deadLetter(payload: payload, reason: "payload is not valid JSON")
        let committed = Mutex<[String]>([])
        bus.push(Outcome(deadLetter: letter) { error in committed.withLock { $0.append(error.map { "\($0)" } ?? "ok") } })
        for outcome in SampleData.outcomes(count: 20) { bus.push(outcome) }
        bus.close()
        writer.stop()

        XCTAssertEqual(committed.withLock { $0 }, ["ok"])
        XCTAssertEqual(try store.eventCount(), 20)
        let stored = try XCTUnwrap(try store.deadLetters(limit: 10).first).deadLetter
        XCTAssertEqual(stored.payload, payload.prefix(50_000))
        XCTAssertTrue(stored.reason.hasPrefix("payload is not valid JSON"), stored.reason)
        XCTAssertTrue(stored.reason.contains("300000 bytes"), stored.reason)
        XCTAssertTrue(stored.reason.contains(SHA256.hash(payload).hexString), stored.reason)
        XCTAssertLessThanOrEqual(metrics.batchFailures.value, 2, "not retried as it was")
        XCTAssertTrue(gate.isOpen)
    }

    /// The log is capped: with background checkpoints out of the way (period of an hour), 3 MB of
    /// commits leave a log that never passes the 256 KiB cap, because a commit that finds it larger
    /// folds it into the file and truncates it. Without the cap the log holds every commit.
    func testTheWriteAheadLogNeverPassesItsCap() throws {
        let cap = 256 << 10
        let store = try openStore(SQLiteStore.Options(checkpointPeriod: .seconds(3600), walLimitBytes: cap))
        defer { try? store.close() }
        var largest: Int64 = 0
        for batch in 0..<60 {
            try store.write(events: SampleData.largeNotes(batch: batch, count: 10), deadLetters: [])
            largest = max(largest, FileIdentity.of(databasePath + "-wal")?.size ?? 0)
        }
        XCTAssertEqual(try store.eventCount(), 600)
        XCTAssertLessThanOrEqual(largest, Int64(cap), "the log passed its cap: \(largest) bytes")
    }

    /// A stop while the store fails is bounded: after the deadline, what the writer holds goes to a
    /// spill file flushed to disk (the outcomes hear they are kept), and the next start commits it
    /// and deletes the file. 0 lost, 0 duplicated, even when replayed twice.
    func testAStopWhileTheStoreFailsSpillsAndTheNextStartCommitsIt() throws {
        let store = try openStore()
        let gate = IntakeGate()
        let bus = Bus(capacity: 10_000)
        let spill = SpillFile(besideDatabase: databasePath)
        let writer = makeWriter(bus, store, gate: gate, spill: spill)
        writer.start()
        try onWriter(store, "PRAGMA query_only = 1")
        let kept = Atomic<Int>(0)
        for outcome in SampleData.outcomes(count: 1200, onCommit: { error in
            if error == nil { kept.add(1, ordering: .relaxed) }
        }) { bus.push(outcome) }
        bus.push(Outcome(deadLetter: SampleData.deadLetter(payload: Data("not JSON".utf8))))
        XCTAssertTrue(waitUntil(timeout: 10) { !gate.isOpen })

        let started = ContinuousClock.now
        writer.spill(after: .milliseconds(300))
        bus.close()
        writer.stop()
        XCTAssertLessThan(started.duration(to: .now), .seconds(10), "the stop is bounded")
        XCTAssertEqual(kept.load(ordering: .relaxed), 1200, "every outcome heard it is kept (spilled to disk)")
        XCTAssertEqual(metrics.spilledRecords.value, 1201)
        XCTAssertEqual(SpillFile.pending(besideDatabase: databasePath).map(\.path), [spill.path])
        try store.close()

        let restarted = try openStore()
        defer { try? restarted.close() }
        XCTAssertEqual(restarted.replaySpills(), 1201)
        XCTAssertEqual(try restarted.eventCount(), 1200)
        XCTAssertEqual(try restarted.deadLetterCount(), 1)
        XCTAssertEqual(try distinctEntities(restarted), 1200)
        XCTAssertTrue(SpillFile.pending(besideDatabase: databasePath).isEmpty, "deleted after its commit")
        XCTAssertEqual(restarted.replaySpills(), 0)
        XCTAssertEqual(try restarted.deadLetterCount(), 1)
    }

    /// A spill file whose last line was torn by a crash still gives back every whole record.
    func testATornSpillFileGivesBackItsWholeLines() throws {
        let spill = SpillFile(besideDatabase: databasePath)
        try spill.append(events: SampleData.outcomes(count: 3).flatMap(\.events), deadLetters: [], documents: [])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: spill.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"kind":"event","id":"#.utf8))
        try handle.close()

        let store = try openStore()
        defer { try? store.close() }
        XCTAssertEqual(store.replaySpills(), 3)
        XCTAssertEqual(try store.eventCount(), 3)
        XCTAssertFalse(logs.lines(containing: "cannot be read").isEmpty, "\(logs.text)")
    }

    private func distinctEntities(_ store: SQLiteStore) throws -> Int {
        try store.withReadConnection { try $0.query("SELECT count(DISTINCT entity_id) FROM events") { Int($0.int64(0)) }.first ?? 0 }
    }
}
