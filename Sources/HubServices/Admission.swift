/// Whether a route took a message a door delivered to it.
public enum Admission: Sendable, Equatable {
    /// Queued: its `onCommit` will be called.
    case accepted
    /// The route's queue is full: the sender should try again later (a webhook answers 503 with
    /// Retry-After, a feed skips a turn).
    case saturated
    /// No route has the envelope's name (a webhook answers 404).
    case unknownRoute
    /// The hub is stopping and takes nothing more.
    case stopping
}
