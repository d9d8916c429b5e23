import HubCore
import HubServices

/// A topic filter and the QoS asked for it: what `MQTTClient` sends in SUBSCRIBE on every connect.
struct MQTTSubscription: Sendable, Hashable {
    /// The filter; its `text` (with any `$share/<group>/` prefix) is what the broker receives.
    var filter: TopicFilter
    /// The maximum QoS asked for (0, 1 or 2).
    var qos: Int
    /// The MQTT 5 subscription identifier (1...268,435,455) the broker sends back with each message
    /// the subscription brings (`subscription-identifier` in the message's properties); nil for none.
    var identifier: Int? = nil
}
