import HubCore
import HubServices

/// A dead letter as the store keeps it: with the id an operator uses to look at it or replay it.
public struct StoredDeadLetter: Sendable, Hashable {
    /// The store's id for it; ids grow in the order dead letters were written.
    public var id: Int64
    /// The message, its route, origin, raw payload and the reason it was refused.
    public var deadLetter: DeadLetter
    /// When an operator replayed it successfully, nil until then.
    public var replayedAt: Timestamp?

    /// Pairs a dead letter with its stored id.
    public init(id: Int64, deadLetter: DeadLetter, replayedAt: Timestamp? = nil) {
        self.id = id
        self.deadLetter = deadLetter
        self.replayedAt = replayedAt
    }
}
