import Foundation
import HubCore
import HubServices

/// The MQTT door: one persistent-session client subscribed to every MQTT route's filter, delivering
/// each message to every route whose filter matches its topic, waiting while a route is full (the
/// broker keeps the rest for the hub's session). While the inbox's `IntakeGate` is closed the
/// client is paused (disconnected, see `MQTTClient.pause(reason:)`) and the broker keeps new
/// messages for the session; it connects again when the gate opens.
public final class MQTTIntake: Door {
    private let client: MQTTClient

    /// Subscribes, on `start()`, to the filter of each route whose source is MQTT, as the client
    /// `options` describe (the hub's: `MQTTClientOptions(persistentSession:)`).
    /// - Throws: `MQTTError` when the client cannot be set up.
    public init(options: MQTTClientOptions, routes: [Route], inbox: any Inbox, metrics: HubMetrics, logger: Logger) throws {
        var filters: [(filter: TopicFilter, qos: Int, route: String)] = []
        for route in routes {
            if case .mqtt(let filter, let qos) = route.source { filters.append((filter, qos, route.name)) }
        }
        let table = filters
        client = try MQTTClient(options: options, logger: logger, metrics: metrics) { message in
            let envelope = { (route: String) in
                Envelope(route: route, source: .mqtt, origin: message.topic, payload: message.payload,
                         receivedAt: message.receivedAt)
            }
            var routed = false
            for entry in table where entry.filter.matches(message.topic) {
                routed = true
                _ = inbox.deliver(Delivery(envelope(entry.route)), waitForRoom: true)
            }
            if !routed {
                // A subscription the broker kept for the session from an earlier configuration:
                // the message is kept as a dead letter, never dropped.
                let reason = "no route's topic filter matches topic \"\(message.topic)\""
                _ = inbox.deliver(Delivery(refusing: envelope(""), reason: reason), waitForRoom: true)
            }
        }
        for entry in filters { client.subscribe(entry.filter, qos: entry.qos) }
        // While the store cannot commit, the client disconnects and the broker keeps the messages.
        inbox.intakeGate.observe { [client] isOpen in
            if isOpen { client.resume() } else { client.pause(reason: "the hub's store cannot commit") }
        }
    }

    /// Whether the client is connected to the broker.
    public var isConnected: Bool { client.state == .connected }

    /// Waits until the client is connected, up to `timeout`; true when it is.
    public func waitUntilConnected(timeout: Duration) -> Bool { client.waitUntilConnected(timeout: timeout) }

    /// Connects and subscribes; reconnects by itself after that.
    public func start() throws { try client.start() }

    /// Disconnects; returns once no message is being delivered.
    public func stop() { client.stop() }
}

extension MQTTClientOptions {
    /// The options of the hub's own client: the configured broker, credentials and TLS, on a
    /// persistent session (clean session off) named by the configured client id, so that the broker
    /// keeps what arrives while the hub is away.
    public init(persistentSession settings: HubConfiguration.MQTT) {
        self.init(
            host: settings.host, port: settings.port, clientID: settings.clientID,
            username: settings.username, password: settings.password,
            tls: settings.caFile.map { MQTTTLSOptions(caFile: $0, certFile: settings.certFile, keyFile: settings.keyFile) },
            keepAliveSeconds: settings.keepAliveSeconds, cleanSession: false,
            reconnectDelayMinSeconds: settings.reconnectMinSeconds, reconnectDelayMaxSeconds: settings.reconnectMaxSeconds)
    }
}
