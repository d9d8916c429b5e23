import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import Synchronization
import XCTest

final class BatchWriterTests: XCTestCase {
    private let logs = CapturedLog()
    private let metrics = HubMetrics()

    private func makeWriter(bus: Bus, store: RecordingStore, maxBatchSize: Int, maxDelay: Duration) -> BatchWriter {
        BatchWriter(bus: bus, store: store, maxBatchSize: maxBatchSize, maxDelay: maxDelay, metrics: metrics,
                    logger: logs.logger(label: "hub.store"), retryDelays: .milliseconds(5) ... .milliseconds(20))
    }

    func testFlushesWhenTheBatchIsFull() {
        let bus = Bus(capacity: 1000)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 100, maxDelay: .seconds(10))
        writer.start()
        for outcome in SampleData.outcomes(count: 250) { bus.push(outcome) }

        XCTAssertTrue(waitUntil { store.sizes == [100, 100] }, "two full batches are written at once; got \(store.sizes)")
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(store.sizes, [100, 100], "the last 50 wait for the delay or the stop")

        bus.close()
        writer.stop()
        XCTAssertEqual(store.sizes, [100, 100, 50])
        XCTAssertEqual(store.events.map(\.entity), SampleData.outcomes(count: 250).map { $0.events[0].entity }, "in order")
        XCTAssertEqual(metrics.batchesCommitted.value, 3)
    }

    func testStoredEventsAreCountedForTheirOwnRouteWhenRoutesInterleaveInABatch() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 100, maxDelay: .seconds(10))
        let routes = ["a", "b", "a", "a", "b", "c", "a"]
        for (index, route) in routes.enumerated() {
            bus.push(Outcome(events: [SampleData.airQuality(station: index, route: route)]))
        }
        bus.close()
        writer.stop()  // never started: drains on this thread, as one batch
        XCTAssertEqual(store.sizes, [7])
        XCTAssertEqual(["a", "b", "c"].map { metrics.route($0).eventsStored.value }, [4, 2, 1])
    }

    func testFlushesAfterTheDelayAsOneBatch() {
        let bus = Bus(capacity: 1000)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 1000, maxDelay: .milliseconds(50))
        writer.start()
        defer { writer.stop() }

        let pushed = Date()
        for outcome in SampleData.outcomes(count: 3) { bus.push(outcome) }
        XCTAssertTrue(waitUntil(timeout: 2) { !store.writes.isEmpty }, "a lone batch is written after the delay")
        let waited = Date().timeIntervalSince(pushed)
        XCTAssertEqual(store.sizes, [3], "the three outcomes went into one batch")
        XCTAssertGreaterThanOrEqual(waited, 0.045, "not before the delay")
        XCTAssertLessThan(waited, 1.0, "not long after the delay")
    }

    func testStopDrainsEverythingProducersPushed() {
        let bus = Bus(capacity: 16)
        let store = RecordingStore()
        let committed = Counter()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 64, maxDelay: .seconds(10))
        writer.start()

        let producers = DispatchGroup()
        for producer in 0..<4 {
            DispatchQueue.global().async(group: producers) {
                for outcome in SampleData.outcomes(count: 500, startingAt: producer * 1000, onCommit: { _ in committed.increment() }) {
                    bus.push(outcome)
                }
                bus.push(Outcome(deadLetter: SampleData.deadLetter(payload: Data([UInt8(producer)])),
                                 onCommit: { _ in committed.increment() }))
            }
        }
        XCTAssertEqual(producers.wait(timeout: .now() + 10), .success)
        bus.close()
        writer.stop()

        XCTAssertEqual(store.events.count, 2000)
        XCTAssertEqual(Set(store.events.map(\.id)).count, 2000)
        XCTAssertEqual(store.deadLetters.count, 4)
        XCTAssertEqual(committed.value, 2004, "every outcome's onCommit was called")
        XCTAssertEqual(metrics.route("parking").eventsStored.value, 2000)
        XCTAssertEqual(metrics.busDepth.value, 0)
    }

    func testOnCommitIsCalledAfterTheWriteWithoutError() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 10, maxDelay: .milliseconds(10))
        let checks = Mutex<[Bool]>([])
        writer.start()
        for index in 0..<25 {
            let event = SampleData.parking(spot: index)
            bus.push(Outcome(events: [event], onCommit: { error in
                checks.withLock { $0.append(error == nil && store.contains(event.id)) }
            }))
        }
        bus.close()
        writer.stop()
        XCTAssertEqual(checks.withLock { $0 }, Array(repeating: true, count: 25), "each callback saw its event already written")
    }

    func testOnCommittedReportsEachBatchWithItsCommitTime() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 10, maxDelay: .seconds(10))
        let reports = Mutex<[(count: Int, at: Timestamp)]>([])
        writer.onCommitted = { events, committedAt in reports.withLock { $0.append((events.count, committedAt)) } }
        let before = Timestamp.now()
        writer.start()
        for outcome in SampleData.outcomes(count: 25) { bus.push(outcome) }
        bus.close()
        writer.stop()

        let seen = reports.withLock { $0 }
        XCTAssertEqual(seen.map(\.count), [10, 10, 5])
        XCTAssertTrue(seen.allSatisfy { $0.at >= before && $0.at <= .now() })
        XCTAssertNotNil(writer.lastCommitDuration)
    }

    func testAFailedWriteIsRetriedUntilItSucceedsAndWrittenOnce() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore(failures: 2)
        let committed = Counter()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 5, maxDelay: .seconds(10))
        writer.start()
        for outcome in SampleData.outcomes(count: 5, onCommit: { _ in committed.increment() }) { bus.push(outcome) }

        // onCommit callbacks run last, after the metrics are updated: wait for them.
        XCTAssertTrue(waitUntil { committed.value == 5 }, "the batch is written once the store recovers")
        XCTAssertEqual(store.attempts, 3)
        XCTAssertEqual(store.sizes, [5], "the same batch, written exactly once")
        XCTAssertEqual(metrics.batchFailures.value, 2)
        XCTAssertEqual(metrics.batchesCommitted.value, 1)
        XCTAssertEqual(committed.value, 5)
        XCTAssertEqual(logs.lines(containing: "error [hub.store] writing a batch failed").count, 1,
                       "the first failure of a run is logged, then about once a minute, not once per retry")
        XCTAssertEqual(logs.lines(containing: "batch committed after retrying").count, 1)

        bus.close()
        writer.stop()
        XCTAssertEqual(store.events.count, 5)
    }

    func testWhileRetryingTheBusFillsAndProducersWait() {
        let bus = Bus(capacity: 4)
        let store = RecordingStore(failures: 30)
        let writer = BatchWriter(bus: bus, store: store, maxBatchSize: 1, maxDelay: .seconds(10), metrics: metrics,
                                 logger: logs.logger(label: "hub.store"), retryDelays: .milliseconds(2) ... .milliseconds(2))
        writer.start()
        let outcomes = SampleData.outcomes(count: 10)
        let pushedAll = expectation(description: "producer gets through once the store recovers")
        DispatchQueue.global().async {
            for outcome in outcomes { bus.push(outcome) }
            pushedAll.fulfill()
        }
        XCTAssertTrue(waitUntil { bus.depth == 4 }, "the bus fills while the writer retries")
        wait(for: [pushedAll], timeout: 10)
        bus.close()
        writer.stop()
        XCTAssertEqual(store.events.count, 10)
        XCTAssertEqual(metrics.batchFailures.value, 30)
    }

    func testStopWithoutStartDrainsOnTheCallingThreadAndStopIsIdempotent() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 10, maxDelay: .seconds(10))
        for outcome in SampleData.outcomes(count: 15) { bus.push(outcome) }
        writer.stop()
        writer.stop()
        writer.start()
        XCTAssertEqual(store.sizes, [10, 5])
        XCTAssertTrue(bus.isClosed)
    }

    func testConcurrentStopsAllWaitForTheEnd() {
        let bus = Bus(capacity: 100)
        let store = RecordingStore()
        let writer = makeWriter(bus: bus, store: store, maxBatchSize: 1000, maxDelay: .seconds(10))
        writer.start()
        for outcome in SampleData.outcomes(count: 30) { bus.push(outcome) }
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            writer.stop()
            XCTAssertEqual(store.events.count, 30, "no stop returns before everything is committed")
        }
    }
}
