import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// One subscription's deliveries to its webhook, on a thread of its own: the oldest events of its
/// outbox, a batch at a time, in commit order (so in order per entity), each batch retried as it
/// is until the target answers 2xx, then removed from the outbox.
///
/// A batch is POSTed as `{"subscription": name, "events": [...]}` (each event as `hub decode`
/// prints it, its `id` included) with an `Idempotency-Key` (the same on every retry of the batch)
/// and, when the subscription has a secret, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
/// Failures are retried after the target's capped, jittered backoff; failing past
/// `retry.pauseAfter` marks the subscription paused (logged once), still tried every `retry.maxDelay`.
final class DeliveryWorker: Sendable {
    /// A batch being delivered: kept as it is across retries, so that its key and body do not change.
    private struct Batch {
        var seqs: [Int64]
        var body: Data
        var headers: [String: String]
    }

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
    private let target: Subscription.HTTPTarget
    private let store: SQLiteStore
    private let poster: WebhookPoster
    private let logger: Logger
    private let progress = Mutex(Progress())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let wakePending = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(subscription: Subscription, target: Subscription.HTTPTarget, store: SQLiteStore, logger: Logger) {
        self.subscription = subscription
        self.target = target
        self.store = store
        self.logger = logger
        poster = WebhookPoster(target: target)
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
        poster.cancel()
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
                name: subscription.name, targetKind: "http", target: SecretRedaction.url(target.url), lag: 0,
                delivered: progress.delivered, failedAttempts: progress.failedAttempts, dropped: progress.dropped,
                isPaused: progress.isPaused,
                pauseReason: progress.isPaused ? "the target has failed for more than \(Int(target.retry.pauseAfter.timeInterval)) s" : nil,
                lastError: progress.lastError, lastErrorAt: progress.lastErrorAt, lastDeliveredAt: progress.lastDeliveredAt)
        }
    }

    private func run() {
        var batch: Batch?
        while !stopping.load(ordering: .relaxed) {
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
                try poster.post(current.body, headers: current.headers)
            } catch {
                guard !stopping.load(ordering: .relaxed) else { break }
                failed(error.description)
                continue
            }
            do {
                try store.acknowledgeDeliveries(for: subscription.name, seqs: current.seqs)
            } catch {
                // Delivered but still in the outbox: sent again (same key) once the store takes the removal.
                logger.error("cannot remove delivered events from the outbox; trying again",
                             ["subscription": subscription.name, "error": "\(error)"])
                _ = stopSignal.wait(timeout: .now() + 1)
                continue
            }
            batch = nil
            let wasPaused = progress.withLock { progress in
                progress.delivered += current.seqs.count
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
    private func nextBatch() throws -> Batch? {
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
            return makeBatch(events)
        }
    }

    private func makeBatch(_ events: [StoredEvent]) -> Batch {
        var text = "{\"subscription\":" + JSONValue.string(subscription.name).jsonText + ",\"events\":["
        for (index, stored) in events.enumerated() {
            if index > 0 { text += "," }
            text += stored.event.jsonLine
        }
        text += "]}"
        let body = Data(text.utf8)
        let seqs = events.map(\.seq)
        var headers = ["Idempotency-Key": "\(subscription.name)-\(seqs[0])-\(seqs[seqs.count - 1])-\(seqs.count)",
                       "X-Hub-Subscription": subscription.name]
        if let secret = target.secret {
            headers["X-Hub-Signature-256"] = "sha256=" + HMACSHA256.authenticationCode(for: body, key: Array(secret.utf8)).hexString
        }
        return Batch(seqs: seqs, body: body, headers: headers)
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
                && Double(now.microsecondsSinceEpoch - since.microsecondsSinceEpoch) / 1e6 >= target.retry.pauseAfter.timeInterval
            if pausing { progress.isPaused = true }
            return (progress.failuresInARow, pausing)
        }
        if pausedNow {
            logger.warning("subscription paused: its target has failed past the limit; still tried every retry.maxDelayMs",
                           ["subscription": subscription.name, "error": reason])
        } else if failures == 1 {
            logger.warning("delivery failed; retrying with backoff", ["subscription": subscription.name, "error": reason])
        }
        let delay = target.retry.delay(afterFailures: failures, unit: Double.random(in: 0..<1))
        _ = stopSignal.wait(timeout: .now() + delay.timeInterval)
    }
}
