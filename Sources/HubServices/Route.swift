import HubCore
/// The binding, written in config, of one source to one connector with its settings.
/// Routes are what operators see, name and monitor.
public struct Route: Sendable {
    /// Where a route's messages come from: exactly one door per route.
    public enum Source: Sendable {
        /// An MQTT subscription.
        case mqtt(filter: TopicFilter, qos: Int)
        /// A partner feed fetched over HTTP every period.
        case feed(FeedSource)
        /// Partners push to `POST /ingest/{route name}`.
        case webhook(WebhookSource)
        /// Files dropped into a watched folder.
        case folder(FolderSource)

        /// The config key that names this kind of source.
        public var kind: String {
            switch self {
            case .mqtt: "mqtt"
            case .feed: "feed"
            case .webhook: "webhook"
            case .folder: "folder"
            }
        }

        /// The config keys a route may use for its source.
        public static let kinds = ["mqtt", "feed", "webhook", "folder"]
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
    /// How often each device heard on this route is expected to report, when declared; a device
    /// silent for longer gets a `DeviceInactive` event, and `DeviceActive` when it reports again.
    public var deviceInterval: Duration?
    /// Whether its events, entities and dead letters are readable only with a `read:{route}` scope
    /// (invoices and other documents).
    public var isRestricted = false
    /// How it is published as an open dataset, when it is (`openData` in config).
    public var openData: OpenDataSettings?
    /// Days its events are kept, by observation time (`retentionDays`); nil: the store's default.
    public var retentionDays: Int?

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
        case .feed(let feed): "feed \(SecretRedaction.url(feed.url)) (every \(feed.period.timeInterval) s)"
        case .webhook: "webhook POST /ingest/\(name)"
        case .folder(let folder): "folder \(folder.path)"
        }
    }
}
