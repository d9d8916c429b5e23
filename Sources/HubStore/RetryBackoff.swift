/// Waits between retries of a failed write: `initial`, then doubling, never more than `maximum`.
struct RetryBackoff {
    /// The first wait.
    let initial: Duration
    /// The longest wait.
    let maximum: Duration
    private var next: Duration

    /// A backoff starting at `initial` and capped at `maximum`.
    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// The wait before the next attempt; each call doubles the following one, up to `maximum`.
    mutating func nextDelay() -> Duration {
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }
}
