import Foundation
import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// The MQTT door on a real broker, delivering to a recording inbox instead of a hub.
final class MQTTIntakeTests: XCTestCase {
    private let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    private func route(_ name: String, _ filter: String) throws -> Route {
        Route(name: name, source: .mqtt(filter: try TopicFilter(filter), qos: 1), connector: "test.none")
    }

    private func intake(_ broker: MosquittoBroker, routes: [Route], inbox: RecordingInbox) throws -> MQTTIntake {
        let intake = try MQTTIntake(options: broker.clientOptions(clientID: "intake-under-test"), routes: routes, inbox: inbox,
                                    metrics: HubMetrics(), logger: logger)
        try intake.start()
        guard intake.waitUntilConnected(timeout: .seconds(10)) else {
            intake.stop()
            throw TestSupportError(.brokerDidNotStart, "the intake did not connect and subscribe")
        }
        return intake
    }

    func testEachMessageIsDeliveredToEveryRouteWhoseFilterMatches() throws {
        let broker = try MosquittoBroker()
        let inbox = RecordingInbox()
        let door = try intake(broker, routes: [route("air", "city/air/+"), route("all", "city/#")], inbox: inbox)
        defer { door.stop() }
        let publisher = try broker.connectedPublisher(logger: logger)
        defer { publisher.stop() }
        _ = try publisher.publish(topic: "city/air/aq-7", payload: Data("a".utf8))
        _ = try publisher.publish(topic: "city/noise/n-1", payload: Data("b".utf8))
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        XCTAssertTrue(waitUntil(timeout: 10) { inbox.count == 3 }, "\(inbox.envelopes)")
        let delivered = Set(inbox.envelopes.map { "\($0.route) \($0.origin) \(String(decoding: $0.payload, as: UTF8.self))" })
        XCTAssertEqual(delivered, ["air city/air/aq-7 a", "all city/air/aq-7 a", "all city/noise/n-1 b"])
        XCTAssertTrue(inbox.envelopes.allSatisfy { $0.source == .mqtt })
        XCTAssertTrue(inbox.deliveries.allSatisfy { $0.refusal == nil })
    }

    func testAMessageOnASubscriptionKeptFromAnEarlierConfigurationIsRefusedNotDropped() throws {
        let broker = try MosquittoBroker()
        // A first configuration subscribes the persistent session to city/old/#.
        try intake(broker, routes: [route("old", "city/old/#")], inbox: RecordingInbox()).stop()
        // The route is gone from the next one, but the broker still holds the session's subscription.
        let inbox = RecordingInbox()
        let door = try intake(broker, routes: [route("new", "city/new/#")], inbox: inbox)
        defer { door.stop() }
        let publisher = try broker.connectedPublisher(logger: logger)
        defer { publisher.stop() }
        _ = try publisher.publish(topic: "city/old/x", payload: Data("kept".utf8))
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        XCTAssertTrue(waitUntil(timeout: 10) { inbox.count == 1 }, "\(inbox.envelopes)")
        let delivery = try XCTUnwrap(inbox.deliveries.first)
        XCTAssertEqual(delivery.envelope.origin, "city/old/x")
        XCTAssertEqual(delivery.envelope.payload, Data("kept".utf8))
        XCTAssertEqual(delivery.refusal, #"no route's topic filter matches topic "city/old/x""#)
    }

    func testTwoIntakesInOneShareGroupEachTakeARealShareAndTogetherEveryMessageOnce() throws {
        let broker = try MosquittoBroker()
        let routes = [try route("air", "city/air/+"), try route("all", "city/#")]
        let inboxes = [RecordingInbox(), RecordingInbox()]
        let doors = try inboxes.enumerated().map { index, inbox in
            let door = try MQTTIntake(options: broker.clientOptions(clientID: "territory-hub-hub-\(index)"), routes: routes,
                                      inbox: inbox, shareGroup: "hubs", metrics: HubMetrics(), logger: logger)
            try door.start()
            XCTAssertTrue(door.waitUntilConnected(timeout: .seconds(10)), "hub-\(index) did not connect")
            return door
        }
        defer { doors.forEach { $0.stop() } }
        let publisher = try broker.connectedPublisher(logger: logger)
        defer { publisher.stop() }
        let count = 400
        for index in 0..<count { _ = try publisher.publish(topic: "city/air/aq-\(index)", payload: Data("\(index)".utf8)) }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        // Each route's filter is its own shared subscription: every message reaches each matching
        // route once, on whichever hub the broker chose for that subscription (both filters match
        // every message here, so without subscription identifiers each hub would give each message
        // it got to both routes).
        XCTAssertTrue(waitUntil(timeout: 10) { inboxes.map(\.count).reduce(0, +) == 2 * count },
                      "\(inboxes.map(\.count)) of \(2 * count)\n\(broker.logText)")
        for route in ["air", "all"] {
            let taken = inboxes.map { inbox in inbox.envelopes.filter { $0.route == route }.map(\.origin) }
            XCTAssertEqual(taken.joined().count, count, "route \(route): each message once across the group")
            XCTAssertEqual(Set(taken.joined()), Set((0..<count).map { "city/air/aq-\($0)" }))
            for (index, share) in taken.enumerated() {
                XCTAssertGreaterThan(share.count, count / 4, "hub-\(index) takes a real share of route \(route)")
            }
        }
        XCTAssertTrue(broker.logText.contains("$share/hubs/city/air/+"), "subscribed as a shared subscription\n\(broker.logText)")
        XCTAssertTrue(inboxes.allSatisfy { $0.deliveries.allSatisfy { $0.refusal == nil } })
        XCTAssertTrue(inboxes.allSatisfy { $0.envelopes.allSatisfy { $0.headers["subscription-identifier"] == nil } },
                      "the hub's own subscription identifiers are not the publisher's headers")
    }
}
