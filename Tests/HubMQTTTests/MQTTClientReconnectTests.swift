import Foundation
import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// The client survives the broker going away, and stops cleanly.
final class MQTTClientReconnectTests: XCTestCase {
    private let log = CapturedLog()

    override func tearDown() {
        if (testRun?.totalFailureCount ?? 0) > 0 { print(log.text.joined(separator: "\n")) }
        super.tearDown()
    }

    func testReconnectsAfterABrokerRestartAndReceivesLaterMessages() throws {
        try checkBrokerRestart(protocolVersion: .v311)
    }

    func testMQTT5ReconnectsAfterABrokerRestartAndReceivesLaterMessages() throws {
        try checkBrokerRestart(protocolVersion: .v5)
    }

    private func checkBrokerRestart(protocolVersion: MQTTProtocolVersion) throws {
        let broker = try MosquittoBroker()
        let metrics = HubMetrics()
        let collector = MessageCollector()
        let states = StateRecorder()
        let subscriber = try MQTTClient(options: broker.clientOptions(clientID: "hub-intake", protocolVersion: protocolVersion),
                                        logger: log.logger(label: "subscriber"), metrics: metrics,
                                        onMessage: collector.handler, onStateChange: states.record)
        defer { subscriber.stop() }
        subscriber.subscribe(try TopicFilter("city/air/#"), qos: 1)
        try subscriber.start()
        XCTAssertTrue(subscriber.waitUntilConnected(timeout: .seconds(5)))

        broker.stop()
        XCTAssertTrue(subscriber.waitUntil(timeout: .seconds(5)) { !$0.isConnected }, "\(subscriber.state)")
        guard case .reconnecting(let reason) = subscriber.state else {
            return XCTFail("expected reconnecting, found \(subscriber.state)")
        }
        XCTAssertTrue(reason.contains("connection lost"), reason)
        XCTAssertEqual(metrics.mqttConnected.value, 0)
        XCTAssertEqual(log.lines(containing: "warning [subscriber] connection lost").count, 1, log.text.joined(separator: "\n"))

        try broker.start()
        // Published as soon as the broker is back, most likely before the subscriber: the broker's
        // persisted session keeps them for it.
        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        for index in 0..<50 {
            try publisher.publish(topic: "city/air/early", payload: Data("early \(index)".utf8))
        }
        XCTAssertTrue(subscriber.waitUntilConnected(timeout: .seconds(10)), "\(subscriber.state)\n\(broker.logText)")
        XCTAssertEqual(metrics.mqttConnected.value, 1)
        XCTAssertEqual(metrics.mqttConnects.value, 2)
        XCTAssertEqual(log.lines(containing: "info [subscriber] reconnected").count, 1, log.text.joined(separator: "\n"))

        for index in 0..<50 {
            try publisher.publish(topic: "city/air/late", payload: Data("late \(index)".utf8))
        }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        XCTAssertTrue(collector.waitForCount(100, timeout: 10), "received \(collector.messages.count) of 100")
        XCTAssertEqual(Set(collector.payloadTexts), Set((0..<50).flatMap { ["early \($0)", "late \($0)"] }))

        let seen = states.states
        XCTAssertEqual(seen.first, .connecting)
        XCTAssertEqual(seen.filter { $0 == .connected }.count, 2, "\(seen)")
    }

    func testKeepsTryingWhenTheBrokerIsDownAtStart() throws {
        let broker = try MosquittoBroker()
        broker.stop()
        let collector = MessageCollector()
        let client = try MQTTClient(options: broker.clientOptions(clientID: "early-hub"),
                                    logger: log.logger(label: "hub"), onMessage: collector.handler)
        defer { client.stop() }
        client.subscribe(try TopicFilter("city/#"), qos: 1)
        try client.start()
        XCTAssertTrue(client.waitUntil(timeout: .seconds(5)) { if case .reconnecting = $0 { true } else { false } },
                      "\(client.state)")
        XCTAssertEqual(log.lines(containing: "warning [hub] cannot connect").count, 1, log.text.joined(separator: "\n"))

        try broker.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(10)), "\(client.state)\n\(broker.logText)")
        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        try publisher.publish(topic: "city/late", payload: Data("hello".utf8))
        XCTAssertTrue(collector.waitForCount(1, timeout: 5))
    }

    func testStopIsQuickIdempotentAndFinal() throws {
        let broker = try MosquittoBroker()
        var options = broker.clientOptions(clientID: "stopping")
        options.reconnectDelayMinSeconds = 30
        options.reconnectDelayMaxSeconds = 30
        let client = try MQTTClient(options: options, logger: log.logger(label: "hub"))
        client.subscribe(try TopicFilter("city/#"), qos: 1)
        try client.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)))
        broker.stop()
        XCTAssertTrue(client.waitUntil(timeout: .seconds(5)) { !$0.isConnected })

        // The network thread now sleeps out a 30 s reconnect delay: stop() must not wait for it.
        let clock = ContinuousClock()
        let elapsed = clock.measure { client.stop() }
        XCTAssertLessThan(elapsed, .seconds(2))
        XCTAssertEqual(client.state, .disconnected)
        client.stop()

        XCTAssertThrowsError(try client.publish(topic: "city/x", payload: Data())) { error in
            XCTAssertEqual((error as? MQTTError)?.code, .invalidState)
        }
        XCTAssertThrowsError(try client.start()) { error in
            XCTAssertEqual((error as? MQTTError)?.code, .invalidState)
        }
    }

    func testNoMessageIsDeliveredAfterStopReturns() throws {
        let broker = try MosquittoBroker()
        let stopped = Counter()
        let lateDeliveries = Counter()
        let subscriber = try MQTTClient(options: broker.clientOptions(clientID: "hub"), logger: log.logger(label: "hub")) { _ in
            if stopped.value > 0 { lateDeliveries.increment() }
            usleep(200)  // a slow consumer, so that messages are still arriving when stop() is called
        }
        subscriber.subscribe(try TopicFilter("city/#"), qos: 1)
        try subscriber.start()
        XCTAssertTrue(subscriber.waitUntilConnected(timeout: .seconds(5)))
        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        for index in 0..<2_000 { try publisher.publish(topic: "city/flood", payload: Data("\(index)".utf8)) }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        subscriber.stop()
        stopped.increment()
        usleep(100_000)
        XCTAssertEqual(lateDeliveries.value, 0)
    }

    func testABlockedHandlerHoldsBackDeliveryAndTheBrokerQueuesMeanwhile() throws {
        let broker = try MosquittoBroker()
        let collector = MessageCollector()
        let gate = DispatchSemaphore(value: 0)
        let subscriber = try MQTTClient(options: broker.clientOptions(clientID: "slow-hub"), logger: log.logger(label: "hub")) { message in
            collector.handler(message)
            if message.payload == Data("first".utf8) { gate.wait() }  // the hub's queues are full
        }
        defer { subscriber.stop() }
        subscriber.subscribe(try TopicFilter("city/#"), qos: 1)
        try subscriber.start()
        XCTAssertTrue(subscriber.waitUntilConnected(timeout: .seconds(5)))

        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        try publisher.publish(topic: "city/slow", payload: Data("first".utf8))
        XCTAssertTrue(collector.waitForCount(1, timeout: 5))
        for index in 0..<500 { try publisher.publish(topic: "city/slow", payload: Data("\(index)".utf8)) }
        // The broker acknowledges the publisher whatever the subscriber does: it queues for it.
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))
        XCTAssertEqual(collector.messages.count, 1, "nothing is delivered while the handler blocks")

        gate.signal()
        XCTAssertTrue(collector.waitForCount(501, timeout: 10), "received \(collector.messages.count) of 501")
        XCTAssertEqual(collector.payloadTexts.dropFirst(), ArraySlice((0..<500).map(String.init)), "in publishing order")
    }
}
