import Foundation
import HubCore
@testable import HubHTTP
import HubStore
import Synchronization
import XCTest

/// The live stream's fan-out: filters, bounded buffers, slow clients dropped without holding anyone
/// back, and the catch-up from the store of a client that resumes with `Last-Event-ID`.
final class EventBroadcasterTests: XCTestCase {
    private static func event(_ index: Int, type: String = "T", route: String = "r") -> StoredEvent {
        StoredEvent(seq: Int64(index), event: Event(
            type: type, entity: "urn:e:\(index)", observedAt: Timestamp(microsecondsSinceEpoch: Int64(index)),
            receivedAt: Timestamp(microsecondsSinceEpoch: 0), route: route, attributes: ["n": .number(Double(index), unit: nil)]))
    }

    private func event(_ index: Int, type: String = "T", route: String = "r") -> StoredEvent {
        Self.event(index, type: type, route: route)
    }

    private func drain(_ subscription: EventSubscription) -> String {
        guard case .data(let data) = subscription.next(timeout: .milliseconds(10)) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every `id:` the subscription gives until it has nothing more, in order.
    private func ids(_ subscription: EventSubscription) -> [Int64] {
        var ids: [Int64] = []
        while case .data(let data) = subscription.next(timeout: .milliseconds(10)) {
            ids += String(decoding: data, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
        }
        return ids
    }

    func testClientsReceiveWhatTheirFilterMatches() {
        let broadcaster = EventBroadcaster()
        let all = broadcaster.subscribe(filter: StreamFilter(), capacity: 100)
        let typeU = broadcaster.subscribe(filter: StreamFilter(types: ["U"]), capacity: 100)
        let notSecret = broadcaster.subscribe(filter: StreamFilter(hiddenRoutes: ["secret"]), capacity: 100)
        XCTAssertTrue(drain(all).hasPrefix(": connected"))
        _ = drain(typeU)
        _ = drain(notSecret)
        broadcaster.publish([event(1), event(2, type: "U"), event(3, route: "secret")])
        let text = drain(all)
        XCTAssertEqual(text.components(separatedBy: "event: event").count - 1, 3)
        XCTAssertTrue(text.hasPrefix("id: 1\nevent: event\ndata: {"), text)
        let onlyU = drain(typeU)
        XCTAssertTrue(onlyU.contains("urn:e:2") && !onlyU.contains("urn:e:1") && onlyU.hasPrefix("id: 2\n"), onlyU)
        XCTAssertFalse(drain(notSecret).contains("urn:e:3"))
        guard case .idle = all.next(timeout: .milliseconds(10)) else { return XCTFail("nothing more expected") }
        XCTAssertEqual(broadcaster.clientCount, 3)
        all.close()
        XCTAssertEqual(broadcaster.clientCount, 2)
        guard case .end = all.next(timeout: .milliseconds(10)) else { return XCTFail("a closed stream ends") }
    }

    func testAClientThatFallsBehindIsDroppedAndOthersCarryOn() {
        let broadcaster = EventBroadcaster()
        let slow = broadcaster.subscribe(filter: StreamFilter(), capacity: 5)
        let fast = broadcaster.subscribe(filter: StreamFilter(), capacity: 5)
        XCTAssertTrue(drain(fast).hasPrefix(": connected"))
        for round in 0..<10 {
            broadcaster.publish([event(round * 2), event(round * 2 + 1)])
            XCTAssertTrue(drain(fast).contains("urn:e:\(round * 2 + 1)"))
        }
        guard case .abort = slow.next(timeout: .milliseconds(10)) else { return XCTFail("the slow client is cut") }
        XCTAssertEqual(broadcaster.dropped.value, 1)
        XCTAssertEqual(broadcaster.clientCount, 1)
    }

    /// A store of numbered events and the catch-up reads a resuming client makes of it.
    private final class NumberedStore: Sendable {
        let events = Mutex<[StoredEvent]>([])

        func commit(_ stored: [StoredEvent]) { events.withLock { $0 += stored } }

        var catchUp: @Sendable (Int64, Int) throws -> [StoredEvent] {
            { [self] after, limit in
                return events.withLock { Array($0.filter { $0.seq > after && $0.event.type == "T" }.prefix(limit)) }
            }
        }
    }

    func testAResumingClientGetsWhatItMissedThenLiveEventsEachOnce() {
        let broadcaster = EventBroadcaster()
        let store = NumberedStore()
        store.commit((1...10).map { event($0) } + [event(11, type: "U")])
        let resumed = broadcaster.subscribe(filter: StreamFilter(types: ["T"]), capacity: 100, resumingAfter: 3,
                                            catchUp: store.catchUp)
        // Committed before the subscription, published after it: in the store and in the buffer.
        broadcaster.publish([event(10), event(11, type: "U")])
        // Committed and published while the client catches up.
        store.commit([event(12), event(13)])
        broadcaster.publish([event(12), event(13)])
        XCTAssertTrue(drain(resumed).hasPrefix(": connected"))
        XCTAssertEqual(ids(resumed), Array(4...10) + [12, 13])
        store.commit([event(14)])
        broadcaster.publish([event(14)])
        XCTAssertEqual(ids(resumed), [14], "live after the catch-up")
    }

    func testACatchUpLongerThanTheBufferLosesNothingAndIsNotDropped() {
        let broadcaster = EventBroadcaster()
        let store = NumberedStore()
        let backlog = EventSubscription.catchUpPageSize * 2 + 20
        store.commit((1...backlog).map { event($0) })
        let next = Mutex(backlog + 1)
        let reads = Mutex(0)
        @Sendable func burst() {
            let events = next.withLock { first in
                defer { first += 8 }
                return (first..<first + 8).map { Self.event($0) }
            }
            store.commit(events)
            broadcaster.publish(events)
        }
        // Bursts larger than the client's buffer are committed and published between the steps of
        // the catch-up, and one during the read that reaches the newest event (after its snapshot).
        let resumed = broadcaster.subscribe(filter: StreamFilter(), capacity: 5, resumingAfter: 0, catchUp: { after, limit in
            let page = try store.catchUp(after, limit)
            if reads.withLock({ count in count += 1; return count }) == 3 { burst() }
            return page
        })
        _ = drain(resumed)
        var received: [Int64] = []
        for _ in 0..<3 {
            burst()
            guard case .data(let data) = resumed.next(timeout: .milliseconds(10)) else { return XCTFail("a page was expected") }
            received += String(decoding: data, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
        }
        received += ids(resumed)
        let last = next.withLock { $0 } - 1
        XCTAssertEqual(received, (1...Int64(last)).map { $0 }, "every event once, in order")
        XCTAssertEqual(reads.withLock { $0 }, 4, "the read overtaken by an overflow was followed by another")
        XCTAssertEqual(broadcaster.dropped.value, 0, "a client catching up is not dropped for its buffer")
        XCTAssertEqual(broadcaster.clientCount, 1)
        store.commit([event(last + 1)])
        broadcaster.publish([event(last + 1)])
        XCTAssertEqual(ids(resumed), [Int64(last + 1)], "live once caught up")
    }

    func testAFailingStoreEndsTheResumedStreamWithAnError() {
        let broadcaster = EventBroadcaster()
        let resumed = broadcaster.subscribe(filter: StreamFilter(), capacity: 5, resumingAfter: 0, catchUp: { _, _ in
            throw StoreError(.closed, "closed")
        })
        _ = drain(resumed)
        guard case .abort = resumed.next(timeout: .milliseconds(10)) else { return XCTFail("the stream is cut") }
    }
}
