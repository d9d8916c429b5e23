import HubCore

/// A message handed to a route, with what to call once its outcome is committed (a webhook
/// answers then; a drop folder moves the file then).
public struct Delivery: Sendable {
    /// What became of a delivered message, told once it is committed.
    public enum Disposition: Sendable, Equatable {
        /// Decoded to this many events (zero when nothing was new), all committed.
        case stored(events: Int)
        /// Could not be decoded: kept as a dead letter with this reason, committed.
        case deadLettered(reason: String)
        /// The store failed to commit it.
        case failed(reason: String)
    }

    /// The message.
    public var envelope: Envelope
    /// Called once the outcome of `envelope` is committed, or failed to commit.
    public var onCommit: (@Sendable (_ disposition: Disposition) -> Void)?

    /// Creates a delivery.
    public init(_ envelope: Envelope, onCommit: (@Sendable (_ disposition: Disposition) -> Void)? = nil) {
        self.envelope = envelope
        self.onCommit = onCommit
    }

    /// The outcome's commit callback that reports `disposition` to `onCommit`.
    func commitCallback(reporting disposition: Disposition) -> (@Sendable ((any Error)?) -> Void)? {
        guard let onCommit else { return nil }
        return { error in onCommit(error.map { .failed(reason: String(describing: $0)) } ?? disposition) }
    }
}
