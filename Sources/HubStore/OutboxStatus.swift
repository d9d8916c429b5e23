/// A subscription's outbox as the store counts it.
public struct OutboxStatus: Sendable, Hashable {
    /// Events waiting for delivery.
    public var lag: Int
    /// Events dropped at the lag limit since the store opened.
    public var dropped: Int
    /// Whether the lag limit is reached under the `pause` policy: new events are not recorded.
    public var isPausedAtLimit: Bool

    /// A status with these counts.
    public init(lag: Int, dropped: Int, isPausedAtLimit: Bool) {
        self.lag = lag
        self.dropped = dropped
        self.isPausedAtLimit = isPausedAtLimit
    }
}
