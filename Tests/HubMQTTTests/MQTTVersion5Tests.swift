import Foundation
import HubCore
@testable import HubMQTT
import HubServices
import HubTesting
import XCTest

/// What MQTT 5 adds, on a real Mosquitto broker: the broker's reason when it ends a connection
/// (a session taken over by a client with the same id), and PUBLISH properties handed to connectors.
final class MQTTVersion5Tests: XCTestCase {
    private let log = CapturedLog()

    override func tearDown() {
        if (testRun?.totalFailureCount ?? 0) > 0 { print(log.text.joined(separator: "\n")) }
        super.tearDown()
    }

    func testTwoClientsWithOneIDTakingTheSessionFromEachOtherAreToldSoWithTheFix() throws {
        // Mosquitto 2.0.11 closes the old connection without a DISCONNECT reason: the pattern tells.
        let broker = try MosquittoBroker()
        var clients: [MQTTClient] = []
        defer { clients.forEach { $0.stop() } }
        for label in ["first", "twin"] {
            let client = try MQTTClient(options: broker.clientOptions(clientID: "hub-twin", protocolVersion: .v5),
                                        logger: log.logger(label: label))
            client.subscribe(try TopicFilter("city/#"), qos: 1)
            try client.start()
            XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)), "\(client.state)\n\(broker.logText)")
            clients.append(client)
        }
        let alarm = "the broker keeps closing the connection soon after accepting it"
        XCTAssertTrue(waitUntil(timeout: 20) { !log.lines(containing: alarm).isEmpty }, log.text.joined(separator: "\n"))
        let line = try XCTUnwrap(log.lines(containing: alarm).first)
        XCTAssertTrue(line.hasPrefix("error "), line)
        XCTAssertTrue(line.contains(#"another client connects with the same client id "hub-twin""#), line)
        XCTAssertTrue(line.contains("fix=give each hub its own mqtt.clientId"), line)
        XCTAssertTrue(line.contains("times=3 within 60 s"), line)
        clients.forEach { $0.stop() }
        XCTAssertEqual(log.lines(containing: alarm).count, Set(log.lines(containing: alarm).map { $0.prefix(13) }).count,
                       "once per client and episode, not at every loss")
    }

    func testABrokerThatSaysTheSessionWasTakenOverIsQuotedWithTheFix() throws {
        // Brokers that implement it (newer Mosquitto, EMQX, HiveMQ) send DISCONNECT 0x8E to the
        // client whose session another one took; Mosquitto 2.0.11 does not, so the callback is
        // driven here as libmosquitto drives it, on a client connected to a real broker.
        let broker = try MosquittoBroker()
        let client = try MQTTClient(options: broker.clientOptions(clientID: "hub-taken", protocolVersion: .v5),
                                    logger: log.logger(label: "hub"))
        defer { client.stop() }
        try client.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)))
        client.handleDisconnect(code: 0x8E, brokerReason: nil)
        let line = try XCTUnwrap(log.lines(containing: "[hub] the broker took the session over").first, log.text.joined(separator: "\n"))
        XCTAssertTrue(line.hasPrefix("error ") && line.contains("code=0x8E"), line)
        XCTAssertTrue(line.contains(#"another client connected with the same client id "hub-taken""#), line)
        XCTAssertTrue(line.contains("fix=give each hub its own mqtt.clientId"), line)
        guard case .reconnecting(let reason) = client.state else { return XCTFail("\(client.state)") }
        XCTAssertTrue(reason.hasPrefix("session taken over"), reason)
    }

    func testOtherDisconnectReasonsAreLoggedWithTheirCodeAndTheBrokersText() throws {
        let broker = try MosquittoBroker()
        let client = try MQTTClient(options: broker.clientOptions(clientID: "hub-kicked", protocolVersion: .v5),
                                    logger: log.logger(label: "hub"))
        defer { client.stop() }
        try client.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)))
        client.handleDisconnect(code: 0x98, brokerReason: "disabled by the operator")
        let line = try XCTUnwrap(log.lines(containing: "[hub] connection lost").first, log.text.joined(separator: "\n"))
        XCTAssertTrue(line.contains("code=0x98"), line)
        XCTAssertTrue(line.contains("reason=Administrative action: disabled by the operator"), line)
    }

    func testPublishPropertiesReachTheEnvelope() throws {
        let broker = try MosquittoBroker()
        let inbox = RecordingInbox()
        let route = Route(name: "air", source: .mqtt(filter: try TopicFilter("city/air/+"), qos: 1), connector: "test.none")
        let intake = try MQTTIntake(options: broker.clientOptions(clientID: "hub-properties", protocolVersion: .v5), routes: [route],
                                    inbox: inbox, metrics: HubMetrics(), logger: log.logger(label: "hub"))
        try intake.start()
        defer { intake.stop() }
        XCTAssertTrue(intake.waitUntilConnected(timeout: .seconds(10)))
        let published = try ExternalProgram.run(try ExternalProgram.locate("mosquitto_pub"), [
            "-h", broker.host, "-p", String(broker.port), "-V", "mqttv5", "-q", "1", "-t", "city/air/aq-7", "-m", #"{"no2":41}"#,
            "-D", "publish", "content-type", "application/json",
            "-D", "publish", "response-topic", "city/air/aq-7/ack",
            "-D", "publish", "correlation-data", "req-42",
            "-D", "publish", "payload-format-indicator", "1",
            "-D", "publish", "message-expiry-interval", "3600",
            "-D", "publish", "user-property", "Gateway", "gw-12",
            "-D", "publish", "user-property", "firmware", "2.4.1",
            "-D", "publish", "user-property", "firmware", "2.4.2",
        ])
        XCTAssertEqual(published.status, 0, published.errors)
        XCTAssertTrue(waitUntil(timeout: 10) { inbox.count == 1 }, "\(inbox.envelopes)")
        let headers = try XCTUnwrap(inbox.envelopes.first?.headers)
        XCTAssertEqual(headers["content-type"], "application/json")
        XCTAssertEqual(headers["response-topic"], "city/air/aq-7/ack")
        XCTAssertEqual(headers["correlation-data"], Data("req-42".utf8).base64EncodedString())
        XCTAssertEqual(headers["payload-format-indicator"], "1")
        XCTAssertEqual(headers["gateway"], "gw-12", "user properties by their lowercased names")
        XCTAssertEqual(headers["firmware"], "2.4.1, 2.4.2", "a repeated user property keeps every value, in order")
        let expiry = try XCTUnwrap(headers["message-expiry-interval"].flatMap(Int.init))
        XCTAssertTrue((3590...3600).contains(expiry), "the broker sends what is left of the expiry: \(expiry)")
        XCTAssertEqual(inbox.payloads, [#"{"no2":41}"#])
    }
}
