import HubCore

/// A message a door delivers to a route, with what to call once its outcome is committed (a webhook
/// answers then, a drop folder moves the file then, a feed counts what its body became).
public struct Delivery: Sendable {
    /// The message.
    public var envelope: Envelope
    /// Why the message cannot be read at all, when the door already knows (a dropped file too
    /// large to read): the route keeps it as a dead letter with this reason, without decoding it.
    public var refusal: String?
    /// Called once the outcome of `envelope` is committed, or failed to commit.
    public var onCommit: (@Sendable (_ disposition: Disposition) -> Void)?

    /// A message for its route to decode.
    public init(_ envelope: Envelope, onCommit: (@Sendable (_ disposition: Disposition) -> Void)? = nil) {
        self.envelope = envelope
        self.onCommit = onCommit
    }

    /// A message the door could not read, to be kept as a dead letter with `reason`. It is kept
    /// even when no route has the envelope's name (an MQTT message no route's filter matches).
    public init(refusing envelope: Envelope, reason: String, onCommit: (@Sendable (_ disposition: Disposition) -> Void)? = nil) {
        self.envelope = envelope
        self.refusal = reason
        self.onCommit = onCommit
    }
}
