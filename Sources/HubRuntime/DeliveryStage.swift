import Foundation
import HubCore
import HubMQTT
import HubServices
import HubStore
import Synchronization

/// The stage after the commit that delivers committed events to the subscriptions (`subscriptions[]`
/// and those made with `POST /api/v1/subscriptions`), from the store's outbox.
///
/// The writer records each delivery in the outbox in the same transaction as its event
/// (`DeliveryOutbox.deliver(to:)`), so that nothing committed is lost to a stop or a crash; this
/// stage only reads the outbox and removes what targets acknowledged. Each subscription has its
/// own thread (`DeliveryWorker`), so that a slow or failing target never delays another, and the
/// writer only wakes them after a commit (`committed(_:)`): intake never waits for a target.
final class DeliveryStage: MetricFamilyProvider {
    /// The most subscriptions a hub runs (each has a thread), configured and made through the API.
    static let maxSubscriptions = 64

    private struct Entry {
        let subscription: Subscription
        let worker: DeliveryWorker
        let isConfigured: Bool
    }

    private let entries = Mutex<[Entry]>([])
    /// Held for the whole of an addition or removal, so that two never interleave.
    private let changes = Mutex(())
    private let started = Atomic<Bool>(false)
    private let store: any HubDatabase
    private let mqtt: HubConfiguration.MQTT?
    private let routeNames: Set<String>
    private let gate: (any SingletonGate)?
    private let logger: Logger

    /// A stage for the configured `subscriptions` and those saved through the API, over `store`,
    /// MQTT targets on the broker of `mqtt`; throws when the store cannot read its outbox or an
    /// MQTT client cannot be set up. A saved subscription that no longer reads (a route or an
    /// environment variable gone) is logged and left out, kept in the store.
    init(subscriptions: [Subscription], store: any HubDatabase, mqtt: HubConfiguration.MQTT?, routeNames: Set<String>,
         environment: [String: String], gate: (any SingletonGate)? = nil, logger: Logger) throws {
        self.store = store
        self.mqtt = mqtt
        self.routeNames = routeNames
        self.gate = gate
        self.logger = logger.withLabel("hub.deliveries")
        var entries = try subscriptions.map { Entry(subscription: $0, worker: try makeWorker($0), isConfigured: true) }
        for (name, definition) in try store.savedSubscriptions() {
            do {
                let subscription = try Self.read(definition, environment: environment, routeNames: routeNames)
                guard !entries.contains(where: { $0.subscription.name == subscription.name }) else {
                    self.logger.warning("a subscription made through the API has the name of a configured one: left out",
                                        ["subscription": name])
                    continue
                }
                guard entries.count < Self.maxSubscriptions else {
                    self.logger.warning("too many subscriptions: one made through the API is left out", ["subscription": name])
                    continue
                }
                entries.append(Entry(subscription: subscription, worker: try makeWorker(subscription), isConfigured: false))
            } catch {
                self.logger.error("a subscription made through the API no longer reads: left out (kept in the store)",
                                  ["subscription": name, "error": "\(error)"])
            }
        }
        try store.deliver(to: entries.map(\.subscription))
        self.entries.withLock { $0 = entries }
    }

    /// Reads a subscription's JSON definition text, its `${VAR}` references from `environment`.
    private static func read(_ definition: String, environment: [String: String], routeNames: Set<String>) throws -> Subscription {
        let json = try JSONValue(parsing: Data(definition.utf8))
        return try read(json, environment: environment, routeNames: routeNames)
    }

    private static func read(_ definition: JSONValue, environment: [String: String], routeNames: Set<String>) throws -> Subscription {
        let settings = try Settings(EnvironmentSubstitution.apply(to: definition, environment: environment), path: "")
        return try Subscription(settings: settings, routeNames: routeNames)
    }

    private func makeWorker(_ subscription: Subscription) throws -> DeliveryWorker {
        let transport: any DeliveryTransport
        switch subscription.target {
        case .http(let target):
            transport = WebhookPoster(subscription: subscription.name, target: target)
        case .mqtt(let target):
            guard let mqtt else { throw SettingsError(path: "mqtt", message: "an MQTT target publishes on the hub's broker, but no broker is configured (mqtt)") }
            transport = try TopicPublisher(subscription: subscription.name, target: target,
                                           options: MQTTClientOptions(persistentSession: mqtt), logger: logger)
        }
        return DeliveryWorker(subscription: subscription, transport: transport, store: store, gate: gate, logger: logger)
    }

    /// Starts each subscription's thread; each begins with what its outbox holds.
    func start() {
        changes.withLock { _ in
            started.store(true, ordering: .relaxed)
            for entry in entries.withLock({ $0 }) { entry.worker.start() }
        }
    }

    /// Stops every thread: a request in progress is cancelled, its events stay in the outbox.
    func stop() {
        changes.withLock { _ in
            started.store(false, ordering: .relaxed)
            let workers = entries.withLock { $0.map(\.worker) }
            for worker in workers { worker.beginStopping() }
            for worker in workers { worker.waitUntilStopped() }
        }
    }

    /// Called by the writer after each commit: wakes the threads, never waits.
    func committed(_ stored: [StoredEvent]) {
        guard !stored.isEmpty else { return }
        for worker in entries.withLock({ $0.map(\.worker) }) { worker.wake() }
    }

    /// Adds a subscription made through the API: `definition` is read as an entry of
    /// `subscriptions[]` (its `${VAR}` references from `environment`), kept in the store as written,
    /// and delivered from the next commit on. Throws `SettingsError` when it does not read,
    /// `SubscriptionConflict` when the name is taken or the hub runs the most subscriptions.
    func add(_ definition: JSONValue, environment: [String: String]) throws -> SubscriptionStatus {
        let subscription = try Self.read(definition, environment: environment, routeNames: routeNames)
        return try changes.withLock { _ in
            let current = entries.withLock { $0 }
            guard !current.contains(where: { $0.subscription.name == subscription.name }) else {
                throw SubscriptionConflict("a subscription is already named \(subscription.name)")
            }
            guard current.count < Self.maxSubscriptions else {
                throw SubscriptionConflict("the hub runs \(Self.maxSubscriptions) subscriptions already, the most it takes")
            }
            let worker = try makeWorker(subscription)
            guard try store.saveSubscription(name: subscription.name, definition: definition.jsonText, at: .now()) else {
                throw SubscriptionConflict("a subscription is already named \(subscription.name)")
            }
            let entry = Entry(subscription: subscription, worker: worker, isConfigured: false)
            do {
                try store.deliver(to: (current + [entry]).map(\.subscription))
            } catch {
                _ = try? store.deleteSavedSubscription(name: subscription.name)
                throw error
            }
            entries.withLock { $0.append(entry) }
            if started.load(ordering: .relaxed) { worker.start() }
            logger.info("subscription added through the API", ["subscription": subscription.name])
            return status(of: entry, outbox: store.outboxStatus())
        }
    }

    /// Removes a subscription made through the API, with the events waiting for it; false when
    /// none has that name. Throws `SubscriptionConflict` for a configured one.
    func remove(named name: String) throws -> Bool {
        try changes.withLock { _ in
            let current = entries.withLock { $0 }
            guard let entry = current.first(where: { $0.subscription.name == name }) else { return false }
            guard !entry.isConfigured else {
                throw SubscriptionConflict("\(name) comes from the configuration (subscriptions[]): remove it there")
            }
            let remaining = current.filter { $0.subscription.name != name }
            try store.deliver(to: remaining.map(\.subscription))
            entries.withLock { $0 = remaining }
            entry.worker.beginStopping()
            entry.worker.waitUntilStopped()
            _ = try store.deleteSavedSubscription(name: name)
            logger.info("subscription removed through the API", ["subscription": name])
            return true
        }
    }

    /// Every subscription's status: the configured ones in configuration order, then those made
    /// through the API, oldest first.
    var statuses: [SubscriptionStatus] {
        let outbox = store.outboxStatus()
        return entries.withLock { $0 }.map { status(of: $0, outbox: outbox) }
    }

    private func status(of entry: Entry, outbox: [String: OutboxStatus]) -> SubscriptionStatus {
        var status = entry.worker.status
        status.isConfigured = entry.isConfigured
        if let counted = outbox[status.name] {
            status.lag = counted.lag
            status.dropped += counted.dropped
            if counted.isPausedAtLimit, !status.isPaused {
                status.isPaused = true
                status.pauseReason = "lag limit reached: new events are not recorded until the target catches up"
            }
        }
        return status
    }

    /// Per subscription: delivered, failed, dropped, lag and paused.
    func metricFamilies() -> [MetricFamily] {
        let statuses = self.statuses
        func family(_ name: String, _ help: String, _ type: String, _ value: (SubscriptionStatus) -> Int) -> MetricFamily {
            MetricFamily(name: name, help: help, type: type, samples: statuses.map {
                .init(labels: ["subscription": $0.name], value: Double(value($0)))
            })
        }
        return [
            family("hub_subscription_delivered_total", "Events acknowledged by the subscription's target.", "counter", \.delivered),
            family("hub_subscription_failed_total", "Delivery attempts that failed (HTTP status, timeout, network).", "counter",
                   \.failedAttempts),
            family("hub_subscription_dropped_total",
                   "Events dropped at the subscription's lag limit, or expired from the store before delivery.", "counter", \.dropped),
            family("hub_subscription_lag", "Events waiting in the subscription's outbox.", "gauge", \.lag),
            family("hub_subscription_paused", "1 while the subscription is paused (target down past its limit, or lag limit).",
                   "gauge") { $0.isPaused ? 1 : 0 },
        ]
    }
}
