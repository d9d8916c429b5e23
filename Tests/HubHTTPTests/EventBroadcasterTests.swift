import Foundation
import HubCore
@testable import HubHTTP
import XCTest

/// The live stream's fan-out: filters, bounded buffers, slow clients dropped without holding anyone back.
final class EventBroadcasterTests: XCTestCase {
    private func event(_ index: Int, type: String = "T", route: String = "r") -> Event {
        Event(type: type, entity: "urn:e:\(index)", observedAt: Timestamp(microsecondsSinceEpoch: Int64(index)),
              receivedAt: Timestamp(microsecondsSinceEpoch: 0), route: route, attributes: ["n": .number(Double(index), unit: nil)])
    }

    private func drain(_ subscription: EventSubscription) -> String {
        guard case .data(let data) = subscription.next(timeout: .milliseconds(10)) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    func testClientsReceiveWhatTheirFilterMatches() {
        let broadcaster = EventBroadcaster()
        let all = broadcaster.subscribe(types: [], routes: [], hiddenRoutes: [], capacity: 100)
        let typeU = broadcaster.subscribe(types: ["U"], routes: [], hiddenRoutes: [], capacity: 100)
        let notSecret = broadcaster.subscribe(types: [], routes: [], hiddenRoutes: ["secret"], capacity: 100)
        XCTAssertTrue(drain(all).hasPrefix(": connected"))
        _ = drain(typeU)
        _ = drain(notSecret)
        broadcaster.publish([event(1), event(2, type: "U"), event(3, route: "secret")])
        XCTAssertEqual(drain(all).components(separatedBy: "event: event").count - 1, 3)
        let onlyU = drain(typeU)
        XCTAssertTrue(onlyU.contains("urn:e:2") && !onlyU.contains("urn:e:1"), onlyU)
        XCTAssertFalse(drain(notSecret).contains("urn:e:3"))
        guard case .idle = all.next(timeout: .milliseconds(10)) else { return XCTFail("nothing more expected") }
        XCTAssertEqual(broadcaster.clientCount, 3)
        all.close()
        XCTAssertEqual(broadcaster.clientCount, 2)
        guard case .end = all.next(timeout: .milliseconds(10)) else { return XCTFail("a closed stream ends") }
    }

    func testAClientThatFallsBehindIsDroppedAndOthersCarryOn() {
        let broadcaster = EventBroadcaster()
        let slow = broadcaster.subscribe(types: [], routes: [], hiddenRoutes: [], capacity: 5)
        let fast = broadcaster.subscribe(types: [], routes: [], hiddenRoutes: [], capacity: 5)
        for round in 0..<10 {
            broadcaster.publish([event(round * 2), event(round * 2 + 1)])
            XCTAssertTrue(drain(fast).contains("urn:e:\(round * 2 + 1)"))
        }
        guard case .abort = slow.next(timeout: .milliseconds(10)) else { return XCTFail("the slow client is cut") }
        XCTAssertEqual(broadcaster.dropped.value, 1)
        XCTAssertEqual(broadcaster.clientCount, 1)
    }
}
