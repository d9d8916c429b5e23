import HubCore

/// The dead letters the store keeps byte for byte: listed, shown whole, and marked once replayed.
public protocol DeadLetterKeeping: AnyObject, Sendable {
    /// Dead letters, newest first, of the given routes (all when empty) except the hidden ones,
    /// older than id `before` when given, at most `limit`.
    func deadLetters(routes: [String], hiddenRoutes: [String], before: Int64?, limit: Int) throws -> [StoredDeadLetter]
    /// The dead letter with this id, if stored (to show it whole, or to replay it).
    func deadLetter(id: Int64) throws -> StoredDeadLetter?
    /// How many dead letters are stored.
    func deadLetterCount() throws -> Int
    /// Records that the dead letter `id` was replayed at `time`. False when it does not exist or
    /// was replayed already.
    func markReplayed(deadLetter id: Int64, at time: Timestamp) throws -> Bool
}

extension DeadLetterKeeping {
    /// The most recently stored dead letters of every route, newest first.
    public func deadLetters(limit: Int) throws -> [StoredDeadLetter] {
        try deadLetters(routes: [], hiddenRoutes: [], before: nil, limit: limit)
    }
}
