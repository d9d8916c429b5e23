import Foundation
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import HubTesting
import Synchronization
import XCTest

/// A subscription with an MQTT target: committed events republished on the hub's broker under the
/// topic template, QoS 1, retained, read back by a subscriber; removed from the outbox on PUBACK.
final class TopicDeliveryTests: XCTestCase {
    private final class Collected: Sendable {
        let messages = Mutex<[MQTTMessage]>([])
        var handler: @Sendable (MQTTMessage) -> Void { { message in self.messages.withLock { $0.append(message) } } }
        var all: [MQTTMessage] { messages.withLock { $0 } }
    }

    private func subscriber(_ broker: MosquittoBroker, _ id: String, _ collected: Collected) throws -> MQTTClient {
        let client = try MQTTClient(options: MQTTClientOptions(host: broker.host, port: broker.port, clientID: id, cleanSession: true),
                                    logger: quietLogger, onMessage: collected.handler)
        client.subscribe(try TopicFilter("territory/#"), qos: 1)
        try client.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(10)))
        return client
    }

    func testCommittedEventsAreRepublishedOnTheirTopicsRetained() throws {
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let fixture = try HubFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "mqtt": .object(["host": .string(broker.host), "port": .number(Double(broker.port)), "clientId": .string("hub-under-test")]),
            "routes": .array([.object(["name": .string("partner"), "webhook": .object([:]), "connector": .string("sensors.json"),
                                       "settings": Readings.routeSettings])]),
            "subscriptions": .array([.object([
                "name": .string("territory"), "filter": .object(["types": .array([.string("AirQualityObserved")])]),
                "mqtt": .object(["topic": .string("territory/{type}/{entity}"), "retain": .bool(true)]),
            ])]),
        ])
        let hub = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try hub.start()
        defer { hub.stop() }
        let live = Collected()
        let listener = try subscriber(broker, "node-red", live)
        defer { listener.stop() }

        // Two readings per entity for 5 entities (aq-0 ... aq-4), in observation order.
        for index in [0, 1, 2, 3, 4, 50, 51, 52, 53, 54] {
            let envelope = Envelope(route: "partner", source: .webhook, origin: "/ingest/partner", payload: Readings.payload(index),
                                    receivedAt: .now())
            XCTAssertEqual(hub.deliver(Delivery(envelope), waitForRoom: true), .accepted)
        }
        XCTAssertTrue(waitUntil(timeout: 30) { live.all.count == 10 }, "\(live.all.map(\.topic)) \(hub.subscriptionStatuses)")
        XCTAssertTrue(waitUntil(timeout: 10) { hub.subscriptionStatuses.first?.delivered == 10 }, "\(hub.subscriptionStatuses)")
        XCTAssertEqual(hub.subscriptionStatuses.first?.lag, 0, "removed from the outbox once acknowledged")
        XCTAssertEqual(hub.subscriptionStatuses.first?.targetKind, "mqtt")
        let messages = live.all
        XCTAssertEqual(Set(messages.map(\.topic)), Set((0..<5).map { "territory/AirQualityObserved/\(Readings.entity($0))" }))
        XCTAssertTrue(messages.allSatisfy { $0.qos == 1 })
        for entity in 0..<5 {
            let payloads = messages.filter { $0.topic.hasSuffix(Readings.entity(entity)) }.compactMap {
                try? JSONValue(parsing: $0.payload).objectValue?["observedAt"]?.stringValue
            }
            XCTAssertEqual(payloads, [Readings.observedAt(entity).iso8601, Readings.observedAt(entity + 50).iso8601], "in order per entity")
        }

        // A subscriber arriving later gets each entity's latest state, retained.
        let late = Collected()
        let lateListener = try subscriber(broker, "grafana", late)
        defer { lateListener.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { late.all.count == 5 }, "\(late.all.map(\.topic))")
        XCTAssertTrue(late.all.allSatisfy(\.retained))
        XCTAssertEqual(Set(late.all.compactMap { try? JSONValue(parsing: $0.payload).objectValue?["observedAt"]?.stringValue }),
                       Set((50..<55).map { Readings.observedAt($0).iso8601 }))
    }
}
