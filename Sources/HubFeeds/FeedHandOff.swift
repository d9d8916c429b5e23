/// What became of a fetched body handed to a route.
public enum FeedHandOff: Sendable, Equatable {
    /// Queued; the commit callback will be called.
    case accepted
    /// The route's queue is full: the poller skips this turn and fetches again next period
    /// (without validators, so the body comes again).
    case saturated
    /// The hub is stopping.
    case stopping
}

/// What the route made of a delivered body, once committed: events, or a dead letter.
public enum FeedDisposition: Sendable, Equatable {
    /// Decoded into this many events.
    case events(Int)
    /// Kept as a dead letter.
    case deadLetter
    /// The store did not commit it.
    case failed
}
