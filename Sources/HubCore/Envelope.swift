import Foundation

/// One raw message as it arrived, before anything is parsed.
public struct Envelope: Sendable {
    /// The kind of door a message came through.
    public enum Source: String, Sendable, Hashable {
        case mqtt, feed, webhook, file
    }

    /// The name of the route that accepted it.
    public var route: String
    /// The kind of door it came through.
    public var source: Source
    /// Where exactly: the MQTT topic, the feed URL, the webhook path or the file name.
    public var origin: String
    /// The bytes, untouched.
    public var payload: Data
    /// Transport metadata (HTTP headers, MQTT properties), lowercase names.
    public var headers: [String: String]
    /// When the hub received it: the only clock a connector may read.
    public var receivedAt: Timestamp

    /// Creates an envelope.
    public init(
        route: String, source: Source, origin: String, payload: Data,
        headers: [String: String] = [:], receivedAt: Timestamp
    ) {
        self.route = route
        self.source = source
        self.origin = origin
        self.payload = payload
        self.headers = headers
        self.receivedAt = receivedAt
    }
}
