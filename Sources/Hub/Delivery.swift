import HubCore

/// A message handed to a route, with what to call once its outcome is committed (a webhook
/// answers then; a drop folder moves the file then).
public struct Delivery: Sendable {
    /// The message.
    public var envelope: Envelope
    /// Called after the outcome of `envelope` is committed (`nil`) or failed to commit.
    public var onCommit: (@Sendable (_ error: (any Error)?) -> Void)?

    /// Creates a delivery.
    public init(_ envelope: Envelope, onCommit: (@Sendable (_ error: (any Error)?) -> Void)? = nil) {
        self.envelope = envelope
        self.onCommit = onCommit
    }
}
