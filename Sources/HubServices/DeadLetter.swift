import Foundation
import HubCore

/// A message that could not be turned into events, kept whole with the reason so that an
/// operator can fix the route or connector and replay it.
public struct DeadLetter: Sendable, Hashable {
    /// The route it arrived on.
    public var route: String
    /// The kind of door it came through.
    public var source: Envelope.Source
    /// The MQTT topic, feed URL, webhook path or file name.
    public var origin: String
    /// The raw payload, byte for byte.
    public var payload: Data
    /// Why it was refused, in words a person can act on.
    public var reason: String
    /// When the hub received it.
    public var receivedAt: Timestamp

    /// A dead letter for an envelope and the reason it was refused.
    public init(envelope: Envelope, reason: String) {
        self.route = envelope.route
        self.source = envelope.source
        self.origin = envelope.origin
        self.payload = envelope.payload
        self.reason = reason
        self.receivedAt = envelope.receivedAt
    }
}
