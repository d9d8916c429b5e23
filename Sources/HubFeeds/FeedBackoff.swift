import HubServices

/// How long a failing feed waits before its next attempt: the period doubled per consecutive
/// failure, capped, then spread by jitter so that many feeds failing together do not retry together.
public struct FeedBackoff: Sendable {
    /// The wait after the first failure (the feed's period).
    public var base: Duration
    /// The longest wait.
    public var cap: Duration

    /// Creates a backoff policy.
    public init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = max(cap, base)
    }

    /// The wait after `failures` consecutive failures (1 or more). `unitRandom` in 0..<1 picks the
    /// jitter: the wait lies between half and all of the capped exponential value.
    public func delay(afterFailures failures: Int, unitRandom: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let full = min(base.timeInterval * Double(1 << exponent), cap.timeInterval)
        let jittered = full * (0.5 + 0.5 * min(max(unitRandom, 0), 1))
        return .microseconds(Int64(jittered * 1_000_000))
    }
}
