import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// One subscription's deliveries, on a thread of its own: the oldest events of its outbox, a batch
/// at a time, in commit order (so in order per entity), each batch retried as it is until the
/// target acknowledged it (`DeliveryTransport`), then removed from the outbox.
///
/// Failures are retried after the subscription's capped, jittered backoff; failing past
/// `retry.pauseAfter` marks the subscription paused (logged once), still tried every `retry.maxDelay`.
///
/// With a `gate`, it sends only while this hub holds the `deliveries` lease: on a store shared by
/// a fleet, one hub sends every outbox (a batch in hand when the lease moves is sent again by the
/// next holder, under the same idempotency key).
final class DeliveryWorker: Sendable {
    private struct Progress {
        var delivered = 0
        var failedAttempts = 0
        var dropped = 0
        var failuresInARow = 0
        var failingSince: Timestamp?
        var isPaused = false
        var lastError: String?
        var lastErrorAt: Timestamp?
        var lastDeliveredAt: Timestamp?
    }

    private let subscription: Subscription
    private let retry: Subscription.RetryPolicy
    private let store: any HubDatabase
    private let transport: any DeliveryTransport
    private let gate: (any SingletonGate)?
    private let logger: Logger
    private let progress = Mutex(Progress())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let wakePending = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// A worker delivering `subscription`'s outbox in `store` through `transport`.
    init(subscription: Subscription, transport: any DeliveryTransport, store: any HubDatabase, gate: (any SingletonGate)? = nil,
         logger: Logger) {
        self.gate = gate
        self.subscription = subscription
        if case .http(let target) = subscription.target { retry = target.retry } else { retry = Subscription.RetryPolicy() }
        self.transport = transport
        self.store = store
        self.logger = logger
    }

    /// Starts the thread.
    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub deliveries")
            run()
            finished.signal()
        }
        thread.start()
    }

    /// Asks the thread to stop: a request in progress is cancelled, a backoff cut short.
    func beginStopping() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        transport.cancel()
        wakeSignal.signal()
        stopSignal.signal()
    }

    /// Returns once the thread has stopped (at once when it never started).
    func waitUntilStopped() {
        guard started.exchange(false, ordering: .relaxed) else { return }
        finished.wait()
    }

    /// New events may be in the outbox: never waits.
    func wake() {
        if !wakePending.exchange(true, ordering: .relaxed) { wakeSignal.signal() }
    }

    /// The subscription's counters and state (its lag comes from the store).
    var status: SubscriptionStatus {
        progress.withLock { progress in
            SubscriptionStatus(
                name: subscription.name, targetKind: transport.kind, target: transport.target, lag: 0,
                delivered: progress.delivered, failedAttempts: progress.failedAttempts, dropped: progress.dropped,
                isPaused: progress.isPaused,
                pauseReason: progress.isPaused ? "the target has failed for more than \(Int(retry.pauseAfter.timeInterval)) s" : nil,
                lastError: progress.lastError, lastErrorAt: progress.lastErrorAt, lastDeliveredAt: progress.lastDeliveredAt)
        }
    }

    private func run() {
        var batch: [StoredEvent]?
        defer { transport.close() }
        while !stopping.load(ordering: .relaxed) {
            guard gate?.holds(.deliveries) ?? true else {
                // Another hub of the fleet sends the outbox; this one looks again within a second.
                batch = nil
                _ = stopSignal.wait(timeout: .now() + 1)
                continue
            }
            if batch == nil {
                wakePending.store(false, ordering: .relaxed)
                do {
                    batch = try nextBatch()
                } catch {
                    logger.error("cannot read the outbox; trying again", ["subscription": subscription.name, "error": "\(error)"])
                    _ = stopSignal.wait(timeout: .now() + 1)
                    continue
                }
                guard batch != nil else {
                    // Nothing to deliver: wait for a commit (or check again within a second).
                    _ = wakeSignal.wait(timeout: .now() + 1)
                    continue
                }
            }
            guard let current = batch else { continue }
            do {
                try transport.send(current)
            } catch {
                guard !stopping.load(ordering: .relaxed) else { break }
                failed(error.description)
                continue
            }
            do {
                try store.acknowledgeDeliveries(for: subscription.name, seqs: current.map(\.seq))
            } catch {
                // Delivered but still in the outbox: sent again (same key) once the store takes the removal.
                logger.error("cannot remove delivered events from the outbox; trying again",
                             ["subscription": subscription.name, "error": "\(error)"])
                _ = stopSignal.wait(timeout: .now() + 1)
                continue
            }
            batch = nil
            let wasPaused = progress.withLock { progress in
                progress.delivered += current.count
                progress.failuresInARow = 0
                progress.failingSince = nil
                progress.lastError = nil
                progress.lastDeliveredAt = .now()
                defer { progress.isPaused = false }
                return progress.isPaused
            }
            if wasPaused { logger.info("subscription resumed: its target acknowledged a delivery", ["subscription": subscription.name]) }
        }
    }

    /// The oldest events of the outbox as one batch, nil when it is empty; rows whose event is gone
    /// are removed as dropped.
    private func nextBatch() throws -> [StoredEvent]? {
        while true {
            let (events, missing) = try store.pendingDeliveries(for: subscription.name, limit: subscription.batchSize)
            if !missing.isEmpty {
                let removed = try store.acknowledgeDeliveries(for: subscription.name, seqs: missing, dropped: true)
                logger.warning("events expired from the store before their delivery", ["subscription": subscription.name,
                                                                                      "events": String(removed)])
            }
            if events.isEmpty {
                if missing.isEmpty { return nil }
                continue
            }
            // Held before it is sent: after a crash the same batch goes again, under the same key.
            if let last = events.last?.seq { try store.holdDeliveryBatch(for: subscription.name, through: last) }
            return events
        }
    }

    /// Records a failed attempt and waits for the backoff (cut short by a stop).
    private func failed(_ reason: String) {
        let now = Timestamp.now()
        let (failures, pausedNow) = progress.withLock { progress -> (Int, Bool) in
            progress.failedAttempts += 1
            progress.failuresInARow += 1
            progress.lastError = reason
            progress.lastErrorAt = now
            let since = progress.failingSince ?? now
            progress.failingSince = since
            let pausing = !progress.isPaused
                && Double(now.microsecondsSinceEpoch - since.microsecondsSinceEpoch) / 1e6 >= retry.pauseAfter.timeInterval
            if pausing { progress.isPaused = true }
            return (progress.failuresInARow, pausing)
        }
        if pausedNow {
            logger.warning("subscription paused: its target has failed past the limit; still tried every retry.maxDelayMs",
                           ["subscription": subscription.name, "error": reason])
        } else if failures == 1 {
            logger.warning("delivery failed; retrying with backoff", ["subscription": subscription.name, "error": reason])
        }
        let delay = retry.delay(afterFailures: failures, unit: Double.random(in: 0..<1))
        _ = stopSignal.wait(timeout: .now() + delay.timeInterval)
    }
}
