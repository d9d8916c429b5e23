import Foundation
import HubCore
import HubMQTT
import HubServices
import HubStore
import Synchronization

/// The stage after the commit that delivers committed events to the configured subscriptions
/// (`subscriptions[]`), from the store's outbox.
///
/// The writer records each delivery in the outbox in the same transaction as its event
/// (`SQLiteStore.deliver(to:)`), so that nothing committed is lost to a stop or a crash; this
/// stage only reads the outbox and removes what targets acknowledged. Each subscription has its
/// own thread (`DeliveryWorker`), so that a slow or failing target never delays another, and the
/// writer only wakes them after a commit (`committed(_:)`): intake never waits for a target.
final class DeliveryStage: MetricFamilyProvider {
    private let workers: [DeliveryWorker]
    private let store: SQLiteStore

    /// A stage for `subscriptions` over `store`, MQTT targets on the broker of `mqtt`; throws when
    /// the store cannot read its outbox or an MQTT client cannot be set up.
    init(subscriptions: [Subscription], store: SQLiteStore, mqtt: HubConfiguration.MQTT?, logger: Logger) throws {
        self.store = store
        let logger = logger.withLabel("hub.deliveries")
        workers = try subscriptions.map { subscription in
            let transport: any DeliveryTransport
            switch subscription.target {
            case .http(let target):
                transport = WebhookPoster(subscription: subscription.name, target: target)
            case .mqtt(let target):
                guard let mqtt else { throw SettingsError(path: "mqtt", message: "an MQTT delivery target needs the broker's settings") }
                transport = try TopicPublisher(subscription: subscription.name, target: target,
                                               options: MQTTClientOptions(persistentSession: mqtt), logger: logger)
            }
            return DeliveryWorker(subscription: subscription, transport: transport, store: store, logger: logger)
        }
        try store.deliver(to: subscriptions)
    }

    /// Starts each subscription's thread; each begins with what its outbox holds.
    func start() {
        for worker in workers { worker.start() }
    }

    /// Stops every thread: a request in progress is cancelled, its events stay in the outbox.
    func stop() {
        for worker in workers { worker.beginStopping() }
        for worker in workers { worker.waitUntilStopped() }
    }

    /// Called by the writer after each commit: wakes the threads, never waits.
    func committed(_ stored: [StoredEvent]) {
        guard !stored.isEmpty else { return }
        for worker in workers { worker.wake() }
    }

    /// Every subscription's status, in configuration order.
    var statuses: [SubscriptionStatus] {
        let outbox = store.outboxStatus()
        return workers.map { worker in
            var status = worker.status
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
