import Foundation
import HubCore

/// One message the broker delivered, copied out of libmosquitto's buffers so it outlives the callback.
public struct MQTTMessage: Sendable, Hashable {
    /// The concrete topic it was published to (never a filter).
    public var topic: String
    /// The payload bytes, as published.
    public var payload: Data
    /// The QoS it was delivered with: the lower of the publisher's and the subscription's.
    public var qos: Int
    /// True when the broker sent it from its retained store rather than live.
    public var retained: Bool
    /// When the client copied it out of libmosquitto (after libmosquitto acknowledged it to the broker).
    public var receivedAt: Timestamp
    /// Its MQTT 5 PUBLISH properties (`content-type`, `response-topic`, user properties, ...) as
    /// `MQTTProperties` names them; empty over MQTT 3.1.1.
    public var properties: [String: String]

    /// Creates a message; the client does this, tests may too.
    public init(topic: String, payload: Data, qos: Int, retained: Bool, receivedAt: Timestamp,
                properties: [String: String] = [:]) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retained = retained
        self.receivedAt = receivedAt
        self.properties = properties
    }
}
