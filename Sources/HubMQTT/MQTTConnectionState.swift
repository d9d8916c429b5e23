/// Where an `MQTTClient`'s connection stands.
public enum MQTTConnectionState: Sendable, Hashable, CustomStringConvertible {
    /// Not started yet, or stopped.
    case disconnected
    /// `start()` was called and the first connection attempt is under way.
    case connecting
    /// Connected, with the subscriptions sent: messages flow.
    case connected
    /// Not connected and retrying in the background with growing delays; `reason` says why the last
    /// connection or attempt ended (connection lost, refused by the broker, TLS failure, ...).
    case reconnecting(reason: String)

    /// True only in `.connected`.
    public var isConnected: Bool { self == .connected }

    /// The state in words, for logs: `connected`, `reconnecting (connection lost: ...)`.
    public var description: String {
        switch self {
        case .disconnected: "disconnected"
        case .connecting: "connecting"
        case .connected: "connected"
        case .reconnecting(let reason): "reconnecting (\(reason))"
        }
    }
}
