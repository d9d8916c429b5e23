import Foundation
import HubCore
import HubRuntime
import HubServices
import HubTesting
import Synchronization
import XCTest

/// Messages delivered to a route directly (as webhooks and drop folders do) report what became of
/// them only once that is committed.
final class DeliveryTests: XCTestCase {
    private func makeHub(routeCapacity: Int = 1024) throws -> (Hub, HubFixture) {
        let fixture = try HubFixture()
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath)]),
            "queues": .object(["routeCapacity": .number(Double(routeCapacity))]),
            "routes": .array([.object([
                "name": .string("partner"), "webhook": .object([:]),
                "connector": .string("sensors.json"), "settings": Readings.routeSettings,
            ])]),
        ])
        let configuration = try HubConfiguration(json: json, environment: [:], catalog: .compiledIn)
        return (try Hub(configuration: configuration), fixture)
    }

    private func envelope(_ payload: String) -> Envelope {
        Envelope(route: "partner", source: .webhook, origin: "/ingest/partner", payload: Data(payload.utf8), receivedAt: .now())
    }

    func testTheCallbackComesAfterCommitAndSaysWhatTheMessageBecame() throws {
        let (hub, _) = try makeHub()
        try hub.start()
        defer { hub.stop() }
        let dispositions = Mutex<[Disposition]>([])
        let good = #"{"device":"aq-1","observedAt":"2026-11-22T08:00:00Z","no2":41.5}"#
        for payload in [good, #"{"device":"#] {
            let delivery = Delivery(envelope(payload)) { disposition in
                // The store already holds what the callback reports.
                let stored = (try? hub.store.eventCount() + hub.store.deadLetterCount()) ?? 0
                XCTAssertGreaterThanOrEqual(stored, 1 + dispositions.withLock { $0.count })
                dispositions.withLock { $0.append(disposition) }
            }
            XCTAssertEqual(hub.deliver(delivery, waitForRoom: false), .accepted)
        }
        XCTAssertTrue(waitUntil(timeout: 10) { dispositions.withLock { $0.count } == 2 })
        let seen = dispositions.withLock { $0 }
        XCTAssertEqual(seen.first, .stored(events: 1))
        guard case .deadLettered(let reason) = seen.last else { return XCTFail("a dead letter expected, got \(seen)") }
        XCTAssertTrue(reason.contains("not valid JSON"), reason)
    }

    func testADeliveryThatDoesNotWaitNamesWhyItIsNotTaken() throws {
        let (hub, _) = try makeHub(routeCapacity: 1)
        let nowhere = Envelope(route: "nope", source: .webhook, origin: "/ingest/nope", payload: Data(), receivedAt: .now())
        XCTAssertEqual(hub.deliver(Delivery(nowhere), waitForRoom: false), .unknownRoute)
        // Not started: the route's queue holds one message and nothing takes it, so the second is refused.
        XCTAssertEqual(hub.deliver(Delivery(envelope("{}")), waitForRoom: false), .accepted)
        XCTAssertEqual(hub.deliver(Delivery(envelope("{}")), waitForRoom: false), .saturated)
        hub.stop()
        XCTAssertEqual(hub.deliver(Delivery(envelope("{}")), waitForRoom: false), .stopping)
    }

    func testARefusedDeliveryIsKeptAsADeadLetterEvenWithoutItsRoute() throws {
        let (hub, _) = try makeHub()
        try hub.start()
        defer { hub.stop() }
        let committed = Mutex<[Disposition]>([])
        let stray = Envelope(route: "", source: .mqtt, origin: "city/old/x", payload: Data("kept".utf8), receivedAt: .now())
        let delivery = Delivery(refusing: stray, reason: "no route's topic filter matches topic \"city/old/x\"") { disposition in
            committed.withLock { $0.append(disposition) }
        }
        XCTAssertEqual(hub.deliver(delivery, waitForRoom: true), .accepted)
        XCTAssertTrue(waitUntil(timeout: 10) { committed.withLock { $0.count } == 1 })
        XCTAssertEqual(committed.withLock { $0 }, [.deadLettered(reason: "no route's topic filter matches topic \"city/old/x\"")])
        let kept = try XCTUnwrap(hub.store.deadLetters(limit: 10).first?.deadLetter)
        XCTAssertEqual(kept.origin, "city/old/x")
        XCTAssertEqual(kept.payload, Data("kept".utf8))
        XCTAssertEqual(try hub.store.eventCount(), 0)
    }
}
