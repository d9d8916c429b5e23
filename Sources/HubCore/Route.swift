/// The binding, written in config, of one source to one connector with its settings.
/// Routes are what operators see, name and monitor.
public struct Route: Sendable {
    /// Where a route's messages come from.
    public enum Source: Sendable {
        /// An MQTT subscription.
        case mqtt(filter: TopicFilter, qos: Int)
    }

    /// The operator-facing name, unique in a config.
    public var name: String
    /// Where its messages come from.
    public var source: Source
    /// The id of the connector that decodes them.
    public var connector: String
    /// The connector's settings, as written.
    public var settings: JSONValue
    /// How often a source on this route is expected to speak, when declared; used to mark it stale.
    public var expectedInterval: Duration?

    /// Creates a route.
    public init(name: String, source: Source, connector: String, settings: JSONValue = .object([:]),
                expectedInterval: Duration? = nil) {
        self.name = name
        self.source = source
        self.connector = connector
        self.settings = settings
        self.expectedInterval = expectedInterval
    }

    /// A one-line description of the source, for listings: `mqtt city/air/+ (qos 1)`.
    public var sourceDescription: String {
        switch source {
        case .mqtt(let filter, let qos): "mqtt \(filter) (qos \(qos))"
        }
    }
}
