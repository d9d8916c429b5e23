/// Everything an `MQTTClient` needs to know about the broker and the session, fixed before it starts.
///
/// The defaults suit the hub's intake: QoS 1 on a persistent session (`cleanSession` false and a
/// fixed `clientID`), so the broker keeps messages while the hub is away.
public struct MQTTClientOptions: Sendable, Hashable, CustomStringConvertible {
    /// Broker host name or address.
    public var host: String
    /// Broker port (1883 plain, 8883 usually for TLS).
    public var port: Int
    /// The client id. With a persistent session it names the session at the broker, so it must be
    /// fixed and unique: a second client with the same id makes the broker drop the first.
    public var clientID: String
    /// User name, when the broker asks for one.
    public var username: String?
    /// Password sent with `username`.
    public var password: String?
    /// TLS settings; nil for a plain TCP connection.
    public var tls: MQTTTLSOptions?
    /// Seconds between keep-alive pings; the broker drops the connection after 1.5 times this
    /// without hearing from the client. libmosquitto needs at least 5.
    public var keepAliveSeconds: Int
    /// True to start a fresh session on every connect (the broker forgets subscriptions and queued
    /// messages); false (the default) for a persistent session.
    public var cleanSession: Bool
    /// First reconnect delay, in seconds (at least 1)...
    public var reconnectDelayMinSeconds: Int
    /// ...growing with each failed attempt (libmosquitto's backoff: min × attempts², so 1, 4, 9, ...)
    /// up to this cap, in seconds.
    public var reconnectDelayMaxSeconds: Int
    /// The protocol version; `.automatic` picks MQTT 5 only when a shared subscription needs it.
    public var protocolVersion: MQTTProtocolVersion
    /// How many outgoing QoS 1/2 messages may wait for the broker's acknowledgement at once
    /// (libmosquitto's send maximum); further publishes queue inside libmosquitto.
    public var maxInflightMessages: Int

    /// Creates options; only the broker address and the client id have no default.
    public init(
        host: String, port: Int = 1883, clientID: String,
        username: String? = nil, password: String? = nil, tls: MQTTTLSOptions? = nil,
        keepAliveSeconds: Int = 30, cleanSession: Bool = false,
        reconnectDelayMinSeconds: Int = 1, reconnectDelayMaxSeconds: Int = 30,
        protocolVersion: MQTTProtocolVersion = .automatic, maxInflightMessages: Int = 20
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.username = username
        self.password = password
        self.tls = tls
        self.keepAliveSeconds = keepAliveSeconds
        self.cleanSession = cleanSession
        self.reconnectDelayMinSeconds = reconnectDelayMinSeconds
        self.reconnectDelayMaxSeconds = reconnectDelayMaxSeconds
        self.protocolVersion = protocolVersion
        self.maxInflightMessages = maxInflightMessages
    }

    /// Checks the values libmosquitto would reject or misuse, with a message naming the option.
    ///
    /// - Throws: `MQTTError` with code `.invalidOption`.
    public func validate() throws {
        func invalid(_ message: String) -> MQTTError { MQTTError(.invalidOption, message) }
        guard !host.isEmpty else { throw invalid("the MQTT broker host must not be empty") }
        guard (1...65_535).contains(port) else { throw invalid("the MQTT broker port must be in 1...65535, found \(port)") }
        guard cleanSession || !clientID.isEmpty else {
            throw invalid("a persistent session (cleanSession false) needs a non-empty clientID")
        }
        guard password == nil || username != nil else { throw invalid("an MQTT password needs a username") }
        guard keepAliveSeconds >= 5, keepAliveSeconds <= 65_535 else {
            throw invalid("keepAliveSeconds must be in 5...65535, found \(keepAliveSeconds)")
        }
        guard reconnectDelayMinSeconds >= 1 else {
            throw invalid("reconnectDelayMinSeconds must be at least 1, found \(reconnectDelayMinSeconds)")
        }
        guard reconnectDelayMaxSeconds >= reconnectDelayMinSeconds else {
            throw invalid("reconnectDelayMaxSeconds (\(reconnectDelayMaxSeconds)) must not be less than reconnectDelayMinSeconds (\(reconnectDelayMinSeconds))")
        }
        guard (1...65_535).contains(maxInflightMessages) else {
            throw invalid("maxInflightMessages must be in 1...65535, found \(maxInflightMessages)")
        }
        if let tls {
            guard !tls.caFile.isEmpty else { throw invalid("tls.caFile must not be empty") }
            guard (tls.certFile == nil) == (tls.keyFile == nil) else { throw invalid("tls.certFile and tls.keyFile go together") }
        }
    }

    /// The options on one line for logs, with the password hidden.
    public var description: String {
        var parts = ["\(host):\(port)", "clientID \(clientID)", cleanSession ? "clean session" : "persistent session",
                     protocolVersion.description, "keep-alive \(keepAliveSeconds) s",
                     "reconnect \(reconnectDelayMinSeconds)...\(reconnectDelayMaxSeconds) s", "inflight \(maxInflightMessages)"]
        if let username { parts.append("user \(username)" + (password == nil ? "" : " (password set)")) }
        if let tls { parts.append("TLS with CA \(tls.caFile)" + (tls.certFile.map { ", client certificate \($0)" } ?? "")) }
        return parts.joined(separator: ", ")
    }
}
