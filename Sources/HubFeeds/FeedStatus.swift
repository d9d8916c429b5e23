import HubCore

/// What the operations API shows for one feed: how its last fetches went.
public struct FeedStatus: Sendable, Equatable {
    /// The route that polls the feed.
    public var route: String
    /// The feed's URL.
    public var url: String
    /// When the last fetch began.
    public var lastAttemptAt: Timestamp?
    /// When a fetch last succeeded (200 or 304).
    public var lastSuccessAt: Timestamp?
    /// When a fetch last failed, and why.
    public var lastErrorAt: Timestamp?
    /// Why the last failed fetch failed, for a person.
    public var lastError: String?
    /// The HTTP status of the last response, when one came.
    public var lastHTTPStatus: Int?
    /// The size of the last body received.
    public var lastBytes: Int = 0
    /// How long the last fetch took.
    public var lastDuration: Duration?
    /// Fetches made.
    public var fetches: Int = 0
    /// Fetches answered 304 Not Modified.
    public var notModified: Int = 0
    /// Fetches that failed (network, timeout, size, HTTP error).
    public var failures: Int = 0
    /// Failures since the last success; the backoff grows with it.
    public var consecutiveFailures: Int = 0
    /// Bodies delivered to the route.
    public var delivered: Int = 0
    /// Turns skipped because the route's queue was full.
    public var skippedTurns: Int = 0
    /// Events the route made of the delivered bodies, once committed.
    public var eventsProduced: Int = 0
    /// Delivered bodies the route kept as dead letters.
    public var deadLetters: Int = 0
    /// When the next fetch is due.
    public var nextFetchAt: Timestamp?

    /// A status with nothing fetched yet.
    public init(route: String, url: String) {
        self.route = route
        self.url = url
    }
}
