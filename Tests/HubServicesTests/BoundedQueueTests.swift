import Foundation
import HubCore
import HubServices
import Synchronization
import XCTest

final class BoundedQueueTests: XCTestCase {
    func testOfferIsRefusedWhenFullAndPushWaitsForRoom() {
        let queue = BoundedQueue<Int>(capacity: 2)
        XCTAssertTrue(queue.offer(1))
        XCTAssertTrue(queue.offer(2))
        XCTAssertFalse(queue.offer(3), "a full queue refuses instead of growing")
        let pushed = expectation(description: "blocked push completes once there is room")
        Thread.detachNewThread {
            queue.push(3)
            pushed.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(queue.depth, 2)
        XCTAssertEqual(queue.pop(), 1)
        wait(for: [pushed], timeout: 5)
        XCTAssertEqual(queue.drain(limit: 10), [2, 3])
    }

    func testCloseRefusesPushesButKeepsQueuedElements() {
        let queue = BoundedQueue<String>(capacity: 4)
        queue.push("a")
        queue.close()
        XCTAssertFalse(queue.push("b"))
        XCTAssertEqual(queue.pop(), "a")
        XCTAssertNil(queue.pop(), "closed and empty")
    }

    func testRunsArePushedInOrderWaitingForRoomAndPoppedTogether() {
        let queue = BoundedQueue<Int>(capacity: 3)
        let pushed = expectation(description: "a run longer than the capacity is queued as room appears")
        Thread.detachNewThread {
            XCTAssertEqual(queue.push(contentsOf: 0..<10), 10)
            pushed.fulfill()
        }
        var taken: [Int] = []
        while taken.count < 10 {
            let run = queue.pop(upTo: 5, until: Date().addingTimeInterval(5))
            XCTAssertFalse(run.isEmpty)
            XCTAssertLessThanOrEqual(run.count, 3, "never more than the queue holds")
            taken += run
        }
        wait(for: [pushed], timeout: 5)
        XCTAssertEqual(taken, Array(0..<10))
        queue.close()
        XCTAssertEqual(queue.pop(upTo: 5), [], "closed and empty")
        XCTAssertEqual(queue.push(contentsOf: [1, 2]), 0, "a closed queue takes nothing")
    }

    func testPopTimesOut() {
        let queue = BoundedQueue<Int>(capacity: 1)
        XCTAssertNil(queue.pop(until: Date().addingTimeInterval(0.02)))
    }

    func testManyProducersOneConsumerLoseNothing() {
        XCTAssertEqual(valuesTakenFromFourProducers { queue in queue.pop(until: Date().addingTimeInterval(5)).map { [$0] } ?? [] }, 4000)
    }

    func testManyProducersOneGatheringConsumerLoseNothing() {
        XCTAssertEqual(valuesTakenFromFourProducers { queue in
            queue.pop(upTo: 8, until: Date().addingTimeInterval(0.05), gathering: 5)
        }, 4000)
    }

    /// How many distinct values `take` gets from a queue of 8 that four threads push 1,000 values
    /// each into (it stops once it has all 4,000, or after 30 s).
    private func valuesTakenFromFourProducers(_ take: (BoundedQueue<Int>) -> [Int]) -> Int {
        let queue = BoundedQueue<Int>(capacity: 8)
        let group = DispatchGroup()
        for producer in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                for i in 0..<1000 { queue.push(producer * 1000 + i) }
                group.leave()
            }
        }
        var seen = Set<Int>()
        let giveUp = Date().addingTimeInterval(30)
        while seen.count < 4000, Date() < giveUp { seen.formUnion(take(queue)) }
        group.wait()
        return seen.count
    }

    func testAGatheringPopWaitsForItsCountThenTakesTheRun() {
        let queue = BoundedQueue<Int>(capacity: 16)
        let popped = expectation(description: "the pop returns once ten are queued")
        let taken = Mutex<[Int]>([])
        Thread.detachNewThread {
            let run = queue.pop(upTo: 12, until: Date().addingTimeInterval(30), gathering: 10)
            taken.withLock { $0 = run }
            popped.fulfill()
        }
        for value in 0..<9 { queue.push(value) }
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(queue.depth, 9, "nine of ten: the consumer is still gathering")
        queue.push(9)
        wait(for: [popped], timeout: 5)
        XCTAssertEqual(taken.withLock { $0 }, Array(0..<10))
    }

    func testAGatheringPopTakesWhatThereIsAtItsDeadlineOrClose() {
        let queue = BoundedQueue<Int>(capacity: 16)
        queue.push(contentsOf: [1, 2, 3])
        XCTAssertEqual(queue.pop(upTo: 10, until: Date().addingTimeInterval(0.05), gathering: 10), [1, 2, 3])
        XCTAssertEqual(queue.pop(upTo: 10, until: Date().addingTimeInterval(0.02), gathering: 10), [], "nothing queued: a time-out")
        queue.push(4)
        queue.close()
        XCTAssertEqual(queue.pop(upTo: 10, gathering: 10), [4], "a closed queue gives what it holds at once")
    }

}
