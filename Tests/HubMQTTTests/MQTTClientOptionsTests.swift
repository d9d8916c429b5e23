import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// Options are checked before libmosquitto sees them, and never print the password.
final class MQTTClientOptionsTests: XCTestCase {
    private let log = CapturedLog()

    func testOptionsAreValidatedWithAMessageNamingTheOption() {
        let cases: [(MQTTClientOptions, String)] = [
            (MQTTClientOptions(host: "127.0.0.1", port: 0, clientID: "x"), "port"),
            (MQTTClientOptions(host: "127.0.0.1", clientID: ""), "clientID"),
            (MQTTClientOptions(host: "127.0.0.1", clientID: "x", keepAliveSeconds: 2), "keepAliveSeconds"),
            (MQTTClientOptions(host: "127.0.0.1", clientID: "x", reconnectDelayMinSeconds: 5, reconnectDelayMaxSeconds: 2),
             "reconnectDelayMaxSeconds"),
            (MQTTClientOptions(host: "127.0.0.1", clientID: "x", tls: MQTTTLSOptions(caFile: "/ca.pem", certFile: "/c.pem")),
             "tls.certFile"),
        ]
        for (options, option) in cases {
            XCTAssertThrowsError(try MQTTClient(options: options, logger: log.logger(label: "hub"))) { error in
                XCTAssertEqual((error as? MQTTError)?.code, .invalidOption)
                XCTAssertTrue((error as? MQTTError)?.message.contains(option) == true, "\(error)")
            }
        }
    }

    func testDescriptionHidesThePassword() {
        var options = MQTTClientOptions(host: "broker.city.example", port: 8883, clientID: "hub")
        options.username = "hub"
        options.password = "s3cret-Passw0rd"
        options.tls = MQTTTLSOptions(caFile: "/etc/hub/ca.pem")
        let text = String(describing: options)
        XCTAssertFalse(text.contains("s3cret-Passw0rd"), text)
        XCTAssertTrue(text.contains("broker.city.example:8883"), text)
        XCTAssertTrue(text.contains("password set"), text)
    }

    func testAutomaticProtocolPicksMQTT5OnlyForSharedSubscriptions() throws {
        let options = MQTTClientOptions(host: "127.0.0.1", clientID: "hub")
        let plain = try MQTTClient(options: options, logger: log.logger(label: "plain"))
        plain.subscribe(try TopicFilter("city/#"), qos: 1)
        XCTAssertEqual(plain.protocolVersion, .v311)
        let shared = try MQTTClient(options: options, logger: log.logger(label: "shared"))
        shared.subscribe(try TopicFilter("city/#"), qos: 1)
        shared.subscribe(try TopicFilter("$share/hubs/city/#"), qos: 1)
        XCTAssertEqual(shared.protocolVersion, .v5)
        var pinned = options
        pinned.protocolVersion = .v311
        let forced = try MQTTClient(options: pinned, logger: log.logger(label: "forced"))
        forced.subscribe(try TopicFilter("$share/hubs/city/#"), qos: 1)
        XCTAssertEqual(forced.protocolVersion, .v311)
    }
}
