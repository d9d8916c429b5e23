import Foundation
import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// Messages reach the subscriber, all of them, on a real Mosquitto broker.
final class MQTTClientDeliveryTests: XCTestCase {
    private let log = CapturedLog()

    override func tearDown() {
        if (testRun?.totalFailureCount ?? 0) > 0 { print(log.text.joined(separator: "\n")) }
        super.tearDown()
    }

    func testEveryQoS1MessageArrivesWithItsTopicAndPayload() throws {
        let broker = try MosquittoBroker()
        let metrics = HubMetrics()
        let collector = MessageCollector()
        let subscriber = try MQTTClient(options: broker.clientOptions(clientID: "hub-intake"),
                                        logger: log.logger(label: "subscriber"), metrics: metrics,
                                        onMessage: collector.handler)
        defer { subscriber.stop() }
        subscriber.subscribe(try TopicFilter("city/air/+/reading"), qos: 1)
        try subscriber.start()
        XCTAssertTrue(subscriber.waitUntilConnected(timeout: .seconds(5)), "\(subscriber.state)\n\(broker.logText)")
        XCTAssertEqual(subscriber.protocolVersion, .v311)
        XCTAssertEqual(metrics.mqttConnected.value, 1)
        XCTAssertEqual(metrics.mqttConnects.value, 1)

        let publisher = try MQTTClient(options: broker.clientOptions(clientID: "load", cleanSession: true),
                                       logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        try publisher.start()
        XCTAssertTrue(publisher.waitUntilConnected(timeout: .seconds(5)))
        let count = 2_000
        let startedAt = Timestamp.now()
        for index in 0..<count {
            try publisher.publish(topic: "city/air/sensor-\(index % 10)/reading", payload: Data("reading \(index)".utf8), qos: 1)
        }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(20)),
                      "\(publisher.unacknowledgedPublishCount) publishes not acknowledged")
        XCTAssertEqual(publisher.acknowledgedPublishCount, count)
        XCTAssertEqual(publisher.unacknowledgedPublishCount, 0)

        XCTAssertTrue(collector.waitForCount(count, timeout: 20), "received \(collector.messages.count) of \(count)")
        let messages = collector.messages
        XCTAssertEqual(messages.count, count, "no duplicates expected on a steady connection")
        XCTAssertEqual(Set(collector.payloadTexts), Set((0..<count).map { "reading \($0)" }))
        for message in messages {
            let index = Int(String(decoding: message.payload, as: UTF8.self).dropFirst("reading ".count))!
            XCTAssertEqual(message.topic, "city/air/sensor-\(index % 10)/reading")
            XCTAssertEqual(message.qos, 1)
            XCTAssertFalse(message.retained)
            XCTAssertGreaterThanOrEqual(message.receivedAt, startedAt)
        }
        XCTAssertEqual(log.lines(containing: "info [subscriber] connected").count, 1)
    }

    func testPersistentSessionKeepsMessagesPublishedWhileTheSubscriberIsAway() throws {
        try checkPersistentSession(protocolVersion: .v311)
    }

    func testMQTT5PersistentSessionKeepsMessagesPublishedWhileTheSubscriberIsAway() throws {
        // MQTT 5 ends a session with its connection unless CONNECT carries a session expiry interval.
        try checkPersistentSession(protocolVersion: .v5)
    }

    private func checkPersistentSession(protocolVersion: MQTTProtocolVersion) throws {
        let broker = try MosquittoBroker()
        let options = broker.clientOptions(clientID: "hub-persistent", protocolVersion: protocolVersion)
        let filter = try TopicFilter("city/parking/#")

        let first = try MQTTClient(options: options, logger: log.logger(label: "first"))
        first.subscribe(filter, qos: 1)
        try first.start()
        XCTAssertTrue(first.waitUntilConnected(timeout: .seconds(5)), "\(first.state)")
        first.stop()
        XCTAssertEqual(first.state, .disconnected)

        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        let count = 300
        for index in 0..<count {
            try publisher.publish(topic: "city/parking/lot-\(index % 3)", payload: Data("free \(index)".utf8))
        }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))

        let collector = MessageCollector()
        let second = try MQTTClient(options: options, logger: log.logger(label: "second"), onMessage: collector.handler)
        defer { second.stop() }
        second.subscribe(filter, qos: 1)
        try second.start()
        XCTAssertTrue(collector.waitForCount(count, timeout: 10), "received \(collector.messages.count) of \(count)\n\(broker.logText)")
        XCTAssertEqual(Set(collector.payloadTexts), Set((0..<count).map { "free \($0)" }))
        XCTAssertEqual(second.protocolVersion, protocolVersion)
        XCTAssertEqual(log.lines(containing: "[second] connected").filter { $0.contains("session=resumed") }.count, 1,
                       log.text.joined(separator: "\n"))
    }

    func testSharedSubscriptionSplitsMessagesBetweenMembersOverMQTT5() throws {
        let broker = try MosquittoBroker()
        let filter = try TopicFilter("$share/hubs/city/bikes/#")
        let collectors = [MessageCollector(), MessageCollector()]
        let members = try collectors.enumerated().map { index, collector in
            let member = try MQTTClient(options: broker.clientOptions(clientID: "hub-\(index)"),
                                        logger: log.logger(label: "member-\(index)"), onMessage: collector.handler)
            member.subscribe(filter, qos: 1)
            XCTAssertEqual(member.protocolVersion, .v5, "a shared subscription needs MQTT 5")
            try member.start()
            return member
        }
        defer { members.forEach { $0.stop() } }
        for member in members { XCTAssertTrue(member.waitUntilConnected(timeout: .seconds(5)), "\(member.state)") }

        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        let count = 100
        for index in 0..<count {
            try publisher.publish(topic: "city/bikes/station-\(index)", payload: Data("bikes \(index)".utf8))
        }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(10)))

        let deadline = Date(timeIntervalSinceNow: 10)
        while collectors.map({ $0.messages.count }).reduce(0, +) < count, Date() < deadline { usleep(10_000) }
        let payloads = collectors.flatMap(\.payloadTexts)
        XCTAssertEqual(payloads.count, count, "each message goes to exactly one member of the group")
        XCTAssertEqual(Set(payloads), Set((0..<count).map { "bikes \($0)" }))
        for collector in collectors { XCTAssertGreaterThan(collector.messages.count, 0, "both members get a share") }
    }

    func testRefusedSubscriptionIsLoggedAsAnErrorAndTheClientStillConnects() throws {
        // Mosquitto 2 accepts every SUBSCRIBE under a plain acl_file (it filters on delivery); its
        // dynamic-security plugin refuses them at SUBSCRIBE time when subscribing is denied by default.
        let directory = try TemporaryDirectory.make(prefix: "dynsec")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plugin = try Self.dynamicSecurityPlugin()
        let settings = directory.appendingPathComponent("dynamic-security.json")
        try Data(#"{"defaultACLAccess": {"publishClientSend": false, "publishClientReceive": true, "subscribe": false, "unsubscribe": true}, "clients": [], "groups": [], "roles": []}"#.utf8)
            .write(to: settings)
        let broker = try MosquittoBroker(extraConfiguration: ["plugin \(plugin)", "plugin_opt_config_file \(settings.path)"])
        for (version, reason) in [(MQTTProtocolVersion.v311, "reason=failure"), (.v5, "reason=Not authorized")] {
            let label = "hub-\(version == .v5 ? "v5" : "v311")"
            let client = try MQTTClient(options: broker.clientOptions(clientID: label, protocolVersion: version),
                                        logger: log.logger(label: label))
            defer { client.stop() }
            client.subscribe(try TopicFilter("secret/#"), qos: 1)
            try client.start()
            XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)), "\(client.state)\n\(broker.logText)")
            let refusals = log.lines(containing: "[\(label)] the broker refused the subscription")
            XCTAssertEqual(refusals.count, 1, log.text.joined(separator: "\n"))
            XCTAssertTrue(refusals.first?.hasPrefix("error ") == true)
            XCTAssertTrue(refusals.first?.contains("filter=secret/#") == true)
            XCTAssertTrue(refusals.first?.contains(reason) == true, refusals.first ?? "")
        }
    }

    /// Where the distribution installed Mosquitto's dynamic-security plugin (it comes with the broker).
    private static func dynamicSecurityPlugin() throws -> String {
        let name = "mosquitto_dynamic_security.so"
        var folders = ["/usr/lib", "/usr/local/lib", "/usr/lib64"]
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib") {
            folders += entries.filter { $0.hasSuffix("-linux-gnu") }.map { "/usr/lib/\($0)" }
        }
        for folder in folders where FileManager.default.fileExists(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        throw TestSupportError(.toolNotFound, "\(name) not found in \(folders); it comes with the mosquitto package")
    }
}
