import HubMQTT
import HubTesting

extension MosquittoBroker {
    /// Options for a client of this broker with short reconnect delays, as tests want them.
    func clientOptions(clientID: String, cleanSession: Bool = false,
                       protocolVersion: MQTTProtocolVersion = .automatic) -> MQTTClientOptions {
        MQTTClientOptions(host: host, port: port, clientID: clientID, cleanSession: cleanSession,
                          reconnectDelayMinSeconds: 1, reconnectDelayMaxSeconds: 1, protocolVersion: protocolVersion)
    }
}
