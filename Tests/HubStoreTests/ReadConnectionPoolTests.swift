import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import Synchronization
import XCTest

/// Reads borrow one of several read-only connections: they run together, and beside a write
/// transaction that stays open, seeing what was committed before it.
final class ReadConnectionPoolTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-readpool")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// While a write transaction that deleted every event is held open, four reads hold four
    /// connections at the same moment (each waits inside its read until all four are in: with fewer
    /// connections, or reads behind the writer, they never meet), and each sees the ten committed
    /// events; the public reads answer too. After the transaction commits, reads see it.
    func testReadsRunTogetherWhileAWriteTransactionIsOpen() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                    options: SQLiteStore.Options(readConnections: 4), logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        let events = (0..<10).map { index in
            Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:\(index % 3)",
                  observedAt: SampleData.observed.adding(microseconds: Int64(index) * 1_000_000), receivedAt: SampleData.observed,
                  route: "air", attributes: ["no2": .number(Double(index), unit: nil)])
        }
        try store.write(events: events, deadLetters: [])

        let inTransaction = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), writerDone = DispatchSemaphore(value: 0)
        let writer = Thread {
            _ = try? store.withWriteConnection { connection in
                try connection.transaction {
                    try connection.run("DELETE FROM events")
                    inTransaction.signal()
                    _ = release.wait(timeout: .now() + 60)
                }
            }
            writerDone.signal()
        }
        writer.start()
        XCTAssertEqual(inTransaction.wait(timeout: .now() + 10), .success)

        let readers = 4
        let arrived = Mutex(0)
        let together = DispatchSemaphore(value: 0)
        let results = Mutex<[Int]>([])
        let finished = DispatchGroup()
        for _ in 0..<readers {
            finished.enter()
            Thread {
                defer { finished.leave() }
                let count = try? store.withReadConnection { connection -> Int in
                    if arrived.withLock({ value in value += 1; return value }) == readers {
                        for _ in 0..<readers { together.signal() }
                    }
                    guard together.wait(timeout: .now() + 10) == .success else { return -1 }
                    return Int(try connection.query("SELECT count(*) FROM events") { $0.int64(0) }.first ?? 0)
                }
                results.withLock { $0.append(count ?? -2) }
            }.start()
        }
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(results.withLock { $0 }, Array(repeating: 10, count: readers),
                       "every read met the others inside a connection and saw the committed events")
        XCTAssertEqual(try store.eventCount(), 10)
        XCTAssertEqual(try store.history(entity: "urn:ngsi-ld:AirQualityObserved:1", from: nil, to: nil, limit: 10).count, 3)

        release.signal()
        XCTAssertEqual(writerDone.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(try store.eventCount(), 0, "the transaction committed")
    }

    /// More reads than connections wait their turn and all complete.
    func testReadsBeyondThePoolWaitForAConnection() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                    options: SQLiteStore.Options(readConnections: 2), logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        let answered = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            if (try? store.eventCount()) == 0 { answered.withLock { $0 += 1 } }
        }
        XCTAssertEqual(answered.withLock { $0 }, 64)
    }
}
