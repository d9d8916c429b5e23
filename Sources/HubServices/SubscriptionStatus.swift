import HubCore

/// How one subscription's deliveries stand, for `GET /api/v1/subscriptions` and `/metrics`.
public struct SubscriptionStatus: Sendable {
    /// The subscription's name.
    public var name: String
    /// `http` or `mqtt`.
    public var targetKind: String
    /// The target, a URL with no credentials, or a topic template.
    public var target: String
    /// Events waiting in its outbox.
    public var lag: Int
    /// Events acknowledged by the target since the hub started.
    public var delivered: Int
    /// Delivery attempts that failed since the hub started.
    public var failedAttempts: Int
    /// Events dropped at the lag limit (or whose event expired before delivery) since the hub started.
    public var dropped: Int
    /// Whether the subscription is paused: its target has failed past `retry.pauseAfterSeconds`
    /// (still tried every `retry.maxDelayMs`), or its lag limit is reached under the `pause` policy.
    public var isPaused: Bool
    /// Why it is paused, when it is.
    public var pauseReason: String?
    /// The last failure, while the target has not succeeded since.
    public var lastError: String?
    /// When that failure happened.
    public var lastErrorAt: Timestamp?
    /// When the target last acknowledged a delivery.
    public var lastDeliveredAt: Timestamp?
    /// Whether it comes from the configuration (`subscriptions[]`) rather than the API.
    public var isConfigured = true

    /// A status; see each property.
    public init(name: String, targetKind: String, target: String, lag: Int, delivered: Int, failedAttempts: Int, dropped: Int,
                isPaused: Bool, pauseReason: String?, lastError: String?, lastErrorAt: Timestamp?, lastDeliveredAt: Timestamp?) {
        self.name = name
        self.targetKind = targetKind
        self.target = target
        self.lag = lag
        self.delivered = delivered
        self.failedAttempts = failedAttempts
        self.dropped = dropped
        self.isPaused = isPaused
        self.pauseReason = pauseReason
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.lastDeliveredAt = lastDeliveredAt
    }
}
