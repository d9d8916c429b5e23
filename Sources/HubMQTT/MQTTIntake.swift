import Foundation
import HubCore
import HubServices
import Synchronization

/// The MQTT door: one persistent-session client subscribed to every MQTT route's filter, delivering
/// each message to every route whose filter matches its topic, waiting while a route is full (the
/// broker keeps the rest for the hub's session). With a `ReceiptJournal`, each message is written
/// to it before it is delivered and marked done once committed, and what a killed hub left in it
/// is delivered again at `start()`, before the client connects.
/// While the inbox's `IntakeGate` is closed the client is paused (disconnected, see
/// `MQTTClient.pause(reason:)`) and the broker keeps new messages for the session; it connects
/// again when the gate opens.
public final class MQTTIntake: Door {
    private let client: MQTTClient
    private let router: MessageRouter

    /// Subscribes, on `start()`, to the filter of each route whose source is MQTT, as the client
    /// `options` describe (the hub's: `MQTTClientOptions(persistentSession:)`); with a `shareGroup`,
    /// as `$share/<group>/<filter>`, so that the broker gives each message to one member of the group.
    /// `onConnectionLost` is called with the reason each time the connection ends other than by
    /// `stop()` (on the network thread: keep it short, never stop the intake from it); the client
    /// then reconnects by itself unless stopped.
    /// - Throws: `MQTTError` when the client cannot be set up.
    public init(options: MQTTClientOptions, routes: [Route], inbox: any Inbox, journal: ReceiptJournal? = nil,
                shareGroup: String? = nil, metrics: HubMetrics, logger: Logger,
                onConnectionLost: (@Sendable (_ reason: String) -> Void)? = nil) throws {
        var filters: [(filter: TopicFilter, qos: Int, route: String)] = []
        for route in routes {
            if case .mqtt(let filter, let qos) = route.source { filters.append((filter, qos, route.name)) }
        }
        // Shared, each distinct filter is a subscription of its own that the broker hands to any
        // member of the group: a message two routes' filters match may come to this hub through one
        // subscription and to another hub through the other. Each subscription gets an identifier
        // that the broker sends back with the message, so that it goes only to the routes of the
        // subscription(s) that brought it here.
        var shared: [(filter: TopicFilter, qos: Int, routes: Set<String>)] = []
        if let shareGroup {
            for entry in filters {
                let text = entry.filter.shareGroup == nil ? "$share/\(shareGroup)/\(entry.filter.text)" : entry.filter.text
                if let index = shared.firstIndex(where: { $0.filter.text == text }) {
                    shared[index].qos = max(shared[index].qos, entry.qos)
                    shared[index].routes.insert(entry.route)
                    continue
                }
                do {
                    shared.append((try TopicFilter(text), entry.qos, [entry.route]))
                } catch {
                    throw MQTTError(.invalidOption, "route \(entry.route) in share group \(shareGroup): \(error)")
                }
            }
        }
        let router = MessageRouter(filters: filters.map { ($0.filter, $0.route) }, inbox: inbox, journal: journal,
                                   routesBySubscription: Dictionary(uniqueKeysWithValues: shared.enumerated().map {
                                       (String($0.offset + 1), $0.element.routes)
                                   }))
        self.router = router
        var onStateChange: (@Sendable (MQTTConnectionState) -> Void)?
        if let onConnectionLost {
            onStateChange = { state in
                if case .reconnecting(let reason) = state { onConnectionLost(reason) }
            }
        }
        client = try MQTTClient(options: options, logger: logger, metrics: metrics, onMessage: { message in
            router.deliver(topic: message.topic, payload: message.payload, headers: message.properties, receivedAt: message.receivedAt)
        }, onStateChange: onStateChange)
        if shareGroup == nil {
            for entry in filters { client.subscribe(entry.filter, qos: entry.qos) }
        } else {
            for (index, entry) in shared.enumerated() { client.subscribe(entry.filter, qos: entry.qos, identifier: index + 1) }
        }
        // While the store cannot commit, the client disconnects and the broker keeps the messages.
        // Held weakly: an intake that is dropped (a rescued session let go) frees its client.
        inbox.intakeGate.observe { [weak client] isOpen in
            if isOpen { client?.resume() } else { client?.pause(reason: "the hub's store cannot commit") }
        }
    }

    /// Whether the client is connected to the broker.
    public var isConnected: Bool { client.state == .connected }

    /// Waits until the client is connected, up to `timeout`; true when it is.
    public func waitUntilConnected(timeout: Duration) -> Bool { client.waitUntilConnected(timeout: timeout) }

    /// Delivers again what the journal kept from a killed run, then connects and subscribes;
    /// reconnects by itself after that.
    public func start() throws {
        router.redeliverPending()
        try client.start()
    }

    /// Delivers again what the journal kept from a killed run, without connecting: for the journal of
    /// a session this process will not connect to again (another hub's, drained when this one was killed).
    public func redeliverPending() {
        router.redeliverPending()
    }

    /// Disconnects; returns once no message is being delivered.
    public func stop() {
        client.stop()
        router.journal?.flush()
    }
}

/// Hands one MQTT message to every route whose filter matches its topic, through the journal when
/// there is one.
final class MessageRouter: Sendable {
    let filters: [(filter: TopicFilter, route: String)]
    let inbox: any Inbox
    let journal: ReceiptJournal?
    /// With shared subscriptions: the routes of each subscription identifier (as text, as the
    /// message's `subscription-identifier` property carries it). Empty otherwise.
    let routesBySubscription: [String: Set<String>]

    init(filters: [(filter: TopicFilter, route: String)], inbox: any Inbox, journal: ReceiptJournal?,
         routesBySubscription: [String: Set<String>] = [:]) {
        self.filters = filters
        self.inbox = inbox
        self.journal = journal
        self.routesBySubscription = routesBySubscription
    }

    /// Whether the message goes to `route`: its filter matches the topic and, when the message
    /// names the shared subscriptions that brought it, one of them is the route's.
    private func takes(_ route: String, _ filter: TopicFilter, topic: String, subscriptions: [Set<String>]?) -> Bool {
        guard filter.matches(topic) else { return false }
        guard let subscriptions else { return true }
        return subscriptions.contains { $0.contains(route) }
    }

    func deliver(topic: String, payload: Data, headers: [String: String], receivedAt: Timestamp) {
        let sequence = journal?.append(topic: topic, payload: payload, headers: headers, receivedAt: receivedAt)
        deliver(topic: topic, payload: payload, headers: headers, receivedAt: receivedAt, sequence: sequence)
    }

    /// What the journal kept from a run that was killed, delivered as if it had just arrived.
    func redeliverPending() {
        for entry in journal?.pending ?? [] {
            deliver(topic: entry.topic, payload: entry.payload, headers: entry.headers, receivedAt: entry.receivedAt,
                    sequence: entry.sequence)
        }
    }

    private func deliver(topic: String, payload: Data, headers: [String: String], receivedAt: Timestamp, sequence: UInt64?) {
        var headers = headers
        // The identifiers of the shared subscriptions that brought it (the hub's own bookkeeping,
        // not the publisher's: removed from what connectors see). Without a known one (a
        // subscription kept from an earlier configuration), every matching route takes it.
        var subscriptions: [Set<String>]?
        if !routesBySubscription.isEmpty, let identifiers = headers.removeValue(forKey: "subscription-identifier") {
            let known = identifiers.split(separator: ",").compactMap { routesBySubscription[$0.trimmingCharacters(in: .whitespaces)] }
            if !known.isEmpty { subscriptions = known }
        }
        let envelope = { (route: String) in
            Envelope(route: route, source: .mqtt, origin: topic, payload: payload, headers: headers, receivedAt: receivedAt)
        }
        // Counted before the first delivery, since a commit may come back before the last one is
        // handed over; no array of routes is built per message.
        var matching = 0
        for entry in filters where takes(entry.route, entry.filter, topic: topic, subscriptions: subscriptions) { matching += 1 }
        // The journal's mark waits for every route's commit; a failed commit leaves it unmarked,
        // to be delivered again at the next start.
        var onCommit: (@Sendable (Disposition) -> Void)?
        if let sequence, let journal {
            if matching <= 1 {
                // One delivery (the usual case): its commit alone decides, no countdown is needed.
                onCommit = { disposition in
                    if case .failed = disposition { return }
                    journal.markDone(sequence)
                }
            } else {
                let countdown = CommitCountdown(count: matching, sequence: sequence, journal: journal)
                onCommit = { countdown.committed($0) }
            }
        }
        for entry in filters where takes(entry.route, entry.filter, topic: topic, subscriptions: subscriptions) {
            _ = inbox.deliver(Delivery(envelope(entry.route), onCommit: onCommit), waitForRoom: true)
        }
        if matching == 0 {
            // A subscription the broker kept for the session from an earlier configuration:
            // the message is kept as a dead letter, never dropped.
            let reason = "no route's topic filter matches topic \"\(topic)\""
            _ = inbox.deliver(Delivery(refusing: envelope(""), reason: reason, onCommit: onCommit), waitForRoom: true)
        }
    }
}

/// Marks a journalled message done once each of its deliveries (several routes matched) is committed.
private final class CommitCountdown: Sendable {
    private let left: Mutex<Int>
    private let failed = Atomic<Bool>(false)
    private let sequence: UInt64
    private let journal: ReceiptJournal

    init(count: Int, sequence: UInt64, journal: ReceiptJournal) {
        left = Mutex(count)
        self.sequence = sequence
        self.journal = journal
    }

    func committed(_ disposition: Disposition) {
        if case .failed = disposition { failed.store(true, ordering: .relaxed) }
        let remaining = left.withLock { value -> Int in
            value -= 1
            return value
        }
        if remaining == 0, !failed.load(ordering: .relaxed) { journal.markDone(sequence) }
    }
}

extension MQTTClientOptions {
    /// The options of the hub's own client: the configured broker, credentials, TLS and protocol
    /// version (MQTT 5 unless configured otherwise), on a persistent session (clean session off)
    /// named by the configured client id, so that the broker keeps what arrives while the hub is away.
    public init(persistentSession settings: HubConfiguration.MQTT) {
        self.init(
            host: settings.host, port: settings.port, clientID: settings.clientID,
            username: settings.username, password: settings.password,
            tls: settings.caFile.map { MQTTTLSOptions(caFile: $0, certFile: settings.certFile, keyFile: settings.keyFile) },
            keepAliveSeconds: settings.keepAliveSeconds, cleanSession: false,
            reconnectDelayMinSeconds: settings.reconnectMinSeconds, reconnectDelayMaxSeconds: settings.reconnectMaxSeconds,
            protocolVersion: settings.protocolVersion == .v5 ? .v5 : .v311)
    }
}
