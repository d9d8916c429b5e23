import HubCore
import HubServices

/// A topic filter and the QoS asked for it: what `MQTTClient` sends in SUBSCRIBE on every connect.
struct MQTTSubscription: Sendable, Hashable {
    /// The filter; its `text` (with any `$share/<group>/` prefix) is what the broker receives.
    var filter: TopicFilter
    /// The maximum QoS asked for (0, 1 or 2).
    var qos: Int
}
