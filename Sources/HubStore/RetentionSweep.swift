/// What one retention sweep deleted (`StoreUpkeep.sweepExpired(now:sliceSize:)`).
public struct RetentionSweep: Sendable, Hashable {
    /// Events deleted.
    public var events = 0
    /// Dead letters deleted.
    public var deadLetters = 0
    /// Roll-up buckets deleted.
    public var rollups = 0

    /// Counts of a sweep.
    public init(events: Int = 0, deadLetters: Int = 0, rollups: Int = 0) {
        self.events = events
        self.deadLetters = deadLetters
        self.rollups = rollups
    }
}
