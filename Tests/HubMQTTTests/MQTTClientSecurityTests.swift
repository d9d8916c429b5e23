import Foundation
import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// User names and passwords reach the broker, TLS is verified, and refusals say why.
final class MQTTClientSecurityTests: XCTestCase {
    private let log = CapturedLog()

    override func tearDown() {
        if (testRun?.totalFailureCount ?? 0) > 0 { print(log.text.joined(separator: "\n")) }
        super.tearDown()
    }

    func testRightPasswordConnectsAndWrongOneNeverDoesAndSaysWhy() throws {
        let broker = try MosquittoBroker(users: ["hub": "right-password"])

        var wrong = broker.clientOptions(clientID: "intruder")
        wrong.username = "hub"
        wrong.password = "wrong-password"
        let intruder = try MQTTClient(options: wrong, logger: log.logger(label: "intruder"))
        defer { intruder.stop() }
        try intruder.start()

        var right = broker.clientOptions(clientID: "hub")
        right.username = "hub"
        right.password = "right-password"
        let hub = try MQTTClient(options: right, logger: log.logger(label: "hub"))
        defer { hub.stop() }
        try hub.start()
        XCTAssertTrue(hub.waitUntilConnected(timeout: .seconds(5)), "\(hub.state)\n\(broker.logText)")

        // MQTT 3.1.1: libmosquitto itself retries a refused connection after the reconnect delay.
        XCTAssertFalse(intruder.waitUntilConnected(timeout: .milliseconds(2_500)))
        guard case .reconnecting(let reason) = intruder.state else {
            return XCTFail("expected reconnecting, found \(intruder.state)")
        }
        XCTAssertTrue(reason.contains("not authorised"), reason)
        XCTAssertGreaterThanOrEqual(log.lines(containing: "error [intruder] the broker refused the connection").count, 2,
                                    "refused, then retried and refused again")
    }

    func testMQTT5RefusalKeepsRetryingAfterLibmosquittoGivesUp() throws {
        // An MQTT 5 refusal ends libmosquitto's network thread; the client must start it again.
        let broker = try MosquittoBroker(users: ["hub": "right-password"])
        var options = broker.clientOptions(clientID: "hub", protocolVersion: .v5)
        options.username = "hub"
        options.password = "wrong-password"
        let client = try MQTTClient(options: options, logger: log.logger(label: "hub"))
        defer { client.stop() }
        try client.start()

        let deadline = Date(timeIntervalSinceNow: 6)
        while log.lines(containing: "the broker refused the connection").count < 2, Date() < deadline { usleep(20_000) }
        XCTAssertGreaterThanOrEqual(log.lines(containing: "the broker refused the connection").count, 2)
        XCTAssertGreaterThanOrEqual(log.lines(containing: "libmosquitto stopped retrying").count, 1)
        guard case .reconnecting(let reason) = client.state else {
            return XCTFail("expected reconnecting, found \(client.state)")
        }
        XCTAssertTrue(reason.contains("Not authorized"), reason)
    }

    func testTLSConnectsWithTheRightAuthorityAndNeverWithAnother() throws {
        let directory = try TemporaryDirectory.make(prefix: "tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try TestCertificates.make(in: directory, name: "broker")
        let stranger = try TestCertificates.make(in: directory, name: "stranger")
        let broker = try MosquittoBroker(tls: certificates)

        var trusting = broker.clientOptions(clientID: "hub")
        trusting.tls = MQTTTLSOptions(caFile: certificates.caFile)
        let collector = MessageCollector()
        let hub = try MQTTClient(options: trusting, logger: log.logger(label: "hub"), onMessage: collector.handler)
        defer { hub.stop() }
        hub.subscribe(try TopicFilter("city/secure/#"), qos: 1)
        try hub.start()
        XCTAssertTrue(hub.waitUntilConnected(timeout: .seconds(5)), "\(hub.state)\n\(broker.logText)")

        var publisherOptions = broker.clientOptions(clientID: "publisher", cleanSession: true)
        publisherOptions.tls = MQTTTLSOptions(caFile: certificates.caFile)
        let publisher = try MQTTClient(options: publisherOptions, logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        try publisher.start()
        XCTAssertTrue(publisher.waitUntilConnected(timeout: .seconds(5)))
        try publisher.publish(topic: "city/secure/vault", payload: Data("sealed".utf8))
        XCTAssertTrue(collector.waitForCount(1, timeout: 5))
        XCTAssertEqual(collector.payloadTexts, ["sealed"])

        var suspicious = broker.clientOptions(clientID: "suspicious")
        suspicious.tls = MQTTTLSOptions(caFile: stranger.caFile)
        let refused = try MQTTClient(options: suspicious, logger: log.logger(label: "suspicious"))
        defer { refused.stop() }
        try refused.start()
        // Its first attempt ends in a refused handshake (a loaded machine may take seconds to get there).
        XCTAssertTrue(waitUntil(timeout: 15) {
            if case .connecting = refused.state { return false }
            return true
        }, "still \(refused.state)")
        XCTAssertFalse(refused.waitUntilConnected(timeout: .milliseconds(500)))
        guard case .reconnecting(let reason) = refused.state else {
            return XCTFail("expected reconnecting, found \(refused.state)")
        }
        XCTAssertTrue(reason.hasPrefix("TLS failure"), reason)
        XCTAssertTrue(reason.contains("certificate verify failed"), reason)
    }

    func testUnreadableTLSFileIsRejectedAtCreation() {
        var options = MQTTClientOptions(host: "127.0.0.1", clientID: "hub")
        options.tls = MQTTTLSOptions(caFile: "/nonexistent/ca.pem")
        XCTAssertThrowsError(try MQTTClient(options: options, logger: log.logger(label: "hub"))) { error in
            XCTAssertEqual((error as? MQTTError)?.code, .invalidOption)
            XCTAssertTrue((error as? MQTTError)?.message.contains("/nonexistent/ca.pem") == true, "\(error)")
        }
    }
}
