import Foundation
import HubCore
import HubMQTT
import HubServices
import HubStore
import Synchronization

/// Publishes batches of events on one subscription's topic template on the hub's broker: each
/// event as `hub decode` prints it, on its own topic (`territory/{type}/{entity}`), QoS 1,
/// retained when the subscription asks (so a new subscriber gets each entity's latest state).
///
/// The subscription has its own client (client id `<mqtt.clientId>-delivery-<name>`, a persistent
/// session), so "every message it published is acknowledged" is "the batch has its PUBACKs".
/// A batch whose messages are published and not yet acknowledged is not published again when the
/// worker retries it: libmosquitto resends them itself; the retry only waits again.
final class TopicPublisher: DeliveryTransport {
    private let client: MQTTClient
    private let settings: Subscription.MQTTTarget
    /// The seqs of the batch published last, while some of its messages await their PUBACK.
    private let published = Mutex<[Int64]?>(nil)
    private let cancelled = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    /// How long one `send` waits for the PUBACKs.
    static let acknowledgementTimeout = Duration.seconds(10)

    /// A publisher for `subscription`'s `target` on the broker of `options`.
    init(subscription: String, target: Subscription.MQTTTarget, options: MQTTClientOptions, logger: Logger) throws {
        settings = target
        var options = options
        options.clientID = options.clientID + "-delivery-" + subscription
        client = try MQTTClient(options: options, logger: logger)
    }

    var kind: String { "mqtt" }

    var target: String { settings.topic + (settings.retain ? " (retained)" : "") }

    func send(_ events: [StoredEvent]) throws(DeliveryFailure) {
        if !started.load(ordering: .relaxed) {
            do {
                try client.start()
            } catch {
                throw DeliveryFailure(description: "cannot start the MQTT client: \(error)")
            }
            started.store(true, ordering: .relaxed)
        }
        let seqs = events.map(\.seq)
        let alreadyPublished = published.withLock { $0 == seqs } && client.unacknowledgedPublishCount > 0
        if !alreadyPublished {
            do {
                for stored in events {
                    _ = try client.publish(topic: settings.topic(for: stored.event), payload: Data(stored.event.jsonLine.utf8),
                                           qos: 1, retain: settings.retain)
                }
            } catch {
                throw DeliveryFailure(description: "\(error)")
            }
            published.withLock { $0 = seqs }
        }
        // Waited for in short steps, so that a stop is not held for the whole timeout.
        let deadline = ContinuousClock.now + Self.acknowledgementTimeout
        while !client.waitUntilPublishesAcknowledged(leavingAtMost: 0, timeout: .milliseconds(200)) {
            guard !cancelled.load(ordering: .relaxed) else { throw DeliveryFailure(description: "cancelled: the hub is stopping") }
            guard ContinuousClock.now < deadline else {
                throw DeliveryFailure(description: "no PUBACK from the broker within \(Int(Self.acknowledgementTimeout.timeInterval)) s (\(client.state))")
            }
        }
        published.withLock { $0 = nil }
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    func close() {
        if started.load(ordering: .relaxed) { client.stop() }
    }
}
