/// What became of an accepted message, told once it is committed.
public enum Disposition: Sendable, Equatable {
    /// Decoded to this many events (zero when nothing was new), all committed.
    case stored(events: Int)
    /// Could not be decoded: kept as a dead letter with this reason, committed.
    case deadLettered(reason: String)
    /// The store failed to commit it.
    case failed(reason: String)
}
