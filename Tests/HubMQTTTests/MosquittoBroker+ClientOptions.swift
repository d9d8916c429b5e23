import HubCore
import HubMQTT
import HubServices
import HubTesting

extension MosquittoBroker {
    /// Options for a client of this broker with short reconnect delays, as tests want them.
    func clientOptions(clientID: String, cleanSession: Bool = false,
                       protocolVersion: MQTTProtocolVersion = .automatic) -> MQTTClientOptions {
        MQTTClientOptions(host: host, port: port, clientID: clientID, cleanSession: cleanSession,
                          reconnectDelayMinSeconds: 1, reconnectDelayMaxSeconds: 1, protocolVersion: protocolVersion)
    }

    /// A started clean-session client named "publisher", connected (or the test fails with why not).
    func connectedPublisher(logger: Logger) throws -> MQTTClient {
        let publisher = try MQTTClient(options: clientOptions(clientID: "publisher", cleanSession: true), logger: logger)
        try publisher.start()
        guard publisher.waitUntilConnected(timeout: .seconds(5)) else {
            publisher.stop()
            throw TestSupportError(.brokerDidNotStart, "the publisher did not connect: \(publisher.state)")
        }
        return publisher
    }
}
