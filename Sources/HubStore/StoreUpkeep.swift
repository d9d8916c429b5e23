import HubCore

/// What keeps a store healthy while the hub runs: the readiness probe and retention.
public protocol StoreUpkeep: AnyObject, Sendable {
    /// Whether the store can take a write now; throws `StoreError` saying why not.
    func checkWritable() throws
    /// Deletes what the store's retention policy lets expire at `now`, without stalling commits
    /// (at most `sliceSize` rows a transaction where rows are deleted one by one).
    @discardableResult
    func sweepExpired(now: Timestamp, sliceSize: Int) throws -> RetentionSweep
}
