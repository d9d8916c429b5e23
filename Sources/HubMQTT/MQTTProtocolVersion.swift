import HubServices

/// Which MQTT protocol version the client speaks.
public enum MQTTProtocolVersion: Sendable, Hashable, CustomStringConvertible {
    /// MQTT 5 when any subscription is a shared one (`$share/<group>/...`), MQTT 3.1.1 otherwise.
    /// Decided by `MQTTClient.start()` from the subscriptions registered before it.
    case automatic
    /// MQTT 3.1.1: understood by every broker.
    case v311
    /// MQTT 5: needed for shared subscriptions, which spread one filter's messages over several hubs.
    case v5

    /// The version as people write it: `MQTT 3.1.1`, `MQTT 5`, `automatic`.
    public var description: String {
        switch self {
        case .automatic: "automatic"
        case .v311: "MQTT 3.1.1"
        case .v5: "MQTT 5"
        }
    }
}
