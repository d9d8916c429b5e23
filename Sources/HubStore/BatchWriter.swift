import Foundation
import HubCore
import HubServices
import Synchronization

/// Takes outcomes off the bus on one dedicated thread and commits them to the store in batches.
///
/// A batch is written (one `Store.write`, one transaction) as soon as it holds `maxBatchSize`
/// events and dead letters, or `maxDelay` after its first outcome arrived, whichever comes first:
/// under load batches are large and cheap; a lone message waits at most `maxDelay`.
///
/// Nothing accepted is ever dropped. When a write fails the writer logs it, counts it in
/// `metrics.batchFailures`, closes the `IntakeGate` with the reason (every door then stops taking
/// new work) and retries the same batch (10 ms, doubling, at most 1 s apart); the first commit that
/// succeeds opens the gate again. While it retries it takes nothing off the bus, the bus fills, and
/// producers block: that is the hub's backpressure. After a commit it calls each outcome's
/// `onCommit(nil)`, then `onCommitted`.
///
/// A batch the store refuses as too big (`StoreError.Code.tooBig`) is never retried as it is: its
/// oversized records become dead letters the store can take (`PendingBatch.makeStorable`).
///
/// Stopping is bounded: once `spill(after:)` set a deadline and it has passed while the store still
/// fails, each batch gets one attempt and, failing that, is appended to a `SpillFile` beside the
/// database (durable, and committed at the next start: its outcomes' `onCommit` hear it is kept),
/// so that the stop ends.
public final class BatchWriter: Sendable {
    /// Called on the writer's thread after each commit with the events the batch stored (those
    /// already stored are left out), each with its sequence number, and the commit time (benchmarks
    /// measure publish-to-commit latency with it; the live stream publishes from it).
    public var onCommitted: (@Sendable (_ stored: [StoredEvent], _ committedAt: Timestamp) -> Void)? {
        get { state.withLock { $0.onCommitted } }
        set { state.withLock { $0.onCommitted = newValue } }
    }

    /// How long the last successful `Store.write` took (the commit itself, without retries), or nil
    /// before the first commit.
    public var lastCommitDuration: Duration? { state.withLock { $0.lastCommitDuration } }

    /// The most events and dead letters a batch accumulates before it is written.
    public let maxBatchSize: Int
    /// The longest an outcome waits on the writer before its batch is written.
    public let maxDelay: Duration

    private let bus: Bus
    private let store: any Store
    private let metrics: HubMetrics
    private let logger: Logger
    private let retryInitialDelay: Duration
    private let retryMaximumDelay: Duration
    private let state = Mutex(State())
    private let gate: IntakeGate?
    private let spillFile: SpillFile?
    /// Signalled once when the writing loop has ended; every `stop()` waits for it and passes it on.
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var phase = Phase.idle
        var onCommitted: (@Sendable ([StoredEvent], Timestamp) -> Void)?
        var lastCommitDuration: Duration?
        var spillDeadline: ContinuousClock.Instant?
    }

    private enum Phase { case idle, running, stopping }

    /// A writer from `bus` to `store`; nothing runs until `start()`.
    ///
    /// - Parameters:
    ///   - maxBatchSize: events plus dead letters that make a batch full (at least 1).
    ///   - maxDelay: how long after its first outcome a batch is written even if not full.
    ///   - gate: closed while writes fail, opened after the next commit.
    ///   - spillFile: where a stop that cannot commit leaves what it holds; nil keeps retrying until the store takes it.
    public convenience init(bus: Bus, store: any Store, maxBatchSize: Int, maxDelay: Duration, metrics: HubMetrics, logger: Logger,
                            gate: IntakeGate? = nil, spillFile: SpillFile? = nil) {
        self.init(bus: bus, store: store, maxBatchSize: maxBatchSize, maxDelay: maxDelay, metrics: metrics,
                  logger: logger, retryDelays: .milliseconds(10) ... .seconds(1), gate: gate, spillFile: spillFile)
    }

    /// The same, with the range of waits between retries of a failed write (for tests).
    init(bus: Bus, store: any Store, maxBatchSize: Int, maxDelay: Duration, metrics: HubMetrics, logger: Logger,
         retryDelays: ClosedRange<Duration>, gate: IntakeGate? = nil, spillFile: SpillFile? = nil) {
        self.gate = gate
        self.spillFile = spillFile
        precondition(maxBatchSize > 0, "a batch writer needs a positive maxBatchSize")
        self.bus = bus
        self.store = store
        self.maxBatchSize = maxBatchSize
        self.maxDelay = maxDelay
        self.metrics = metrics
        self.logger = logger
        self.retryInitialDelay = retryDelays.lowerBound
        self.retryMaximumDelay = retryDelays.upperBound
    }

    /// Starts the writer's thread. Calling it again, or after `stop()`, does nothing.
    public func start() {
        let shouldStart = state.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
        guard shouldStart else { return }
        metrics.storeWritable.set(1)
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub writer")
            run()
            finished.signal()
        }
        thread.start()
    }

    /// From `timeout` from now on, a batch the store refuses is spilled to the spill file instead of
    /// retried (each later one gets one attempt first). Without a spill file this does nothing.
    /// The hub calls it when it begins to stop, so that the stop is bounded.
    public func spill(after timeout: Duration) {
        guard spillFile != nil else { return }
        state.withLock { $0.spillDeadline = ContinuousClock.now + timeout }
    }

    /// Commits everything still on the bus and returns once it is committed and the thread has ended.
    ///
    /// Meant to be called after the producers closed the bus; it closes the bus itself if they did
    /// not. A writer that was never started drains the bus on the calling thread. Calling it again
    /// (from any thread) waits for the same end and returns. While the store keeps failing this
    /// keeps retrying until the deadline `spill(after:)` set, then spills what remains.
    public func stop() {
        let previous = state.withLock { state in
            let previous = state.phase
            state.phase = .stopping
            return previous
        }
        bus.close()
        if previous == .idle {
            run()
            finished.signal()
        }
        finished.wait()
        finished.signal()
    }

    /// The writing loop: accumulate, flush when full or due, until the bus is closed and empty.
    private func run() {
        var batch = PendingBatch(maxDelay: maxDelay)
        while true {
            // With nothing pending there is no deadline: wait for the next outcome or the close.
            // Take everything already queued (up to a full batch) in one go: one wake-up, not one per outcome.
            // Once a batch is open, sleep until it would be full or is due, not once per outcome.
            let room = max(1, maxBatchSize - batch.size)
            let outcomes = bus.pop(upTo: room, until: batch.deadline, gathering: batch.isEmpty ? 1 : room)
            if !outcomes.isEmpty {
                let now = Date()
                for outcome in outcomes { batch.append(outcome, at: now) }
                if batch.size >= maxBatchSize || batch.isDue(at: now) { commit(&batch) }
            } else if !batch.isEmpty {
                commit(&batch)  // the deadline passed, or the bus was closed with this batch pending
            } else if bus.isClosed {
                break
            }
        }
        metrics.busDepth.set(bus.depth)
    }

    /// Writes the batch, retrying until the store accepts it (or, past the spill deadline, spilling
    /// it), then reports the commit and empties it.
    private func commit(_ batch: inout PendingBatch) {
        let clock = ContinuousClock()
        var backoff = RetryBackoff(initial: retryInitialDelay, maximum: retryMaximumDelay)
        var attempt = 1
        var paused = false
        var duration: Duration
        var stored: [StoredEvent]
        while true {
            let started = clock.now
            do {
                stored = try store.write(events: batch.events, deadLetters: batch.deadLetters, documents: batch.documents)
                duration = started.duration(to: clock.now)
                break
            } catch let error as StoreError where error.code == .tooBig
                && batch.makeStorable(largest: store.largestValueBytes) > 0 {
                metrics.batchFailures.increment()
                logger.warning("a record is larger than the store takes; it is kept as a shortened dead letter", [
                    "error": "\(error)", "largest": String(store.largestValueBytes)])
                attempt += 1
                continue
            } catch {
                metrics.batchFailures.increment()
                metrics.storeWritable.set(0)
                gate?.close(reason: "the store cannot commit: \(error)")
                paused = true
                let delay = backoff.nextDelay()
                let deadline = state.withLock { $0.spillDeadline }
                if let deadline, clock.now >= deadline, let spillFile {
                    spill(&batch, to: spillFile, because: error)
                    return
                }
                // The first failure, then about once a minute (retries are at most 1 s apart).
                if attempt == 1 || attempt % 60 == 0 {
                    logger.error("writing a batch failed; intake paused, retrying the same batch", [
                        "error": "\(error)", "attempt": String(attempt), "events": String(batch.events.count),
                        "dead_letters": String(batch.deadLetters.count), "retry_in": "\(delay)",
                    ])
                }
                let wait = deadline.map { min(delay, max(.zero, clock.now.duration(to: $0))) } ?? delay
                Thread.sleep(forTimeInterval: wait.timeInterval)
                attempt += 1
            }
        }
        let committedAt = Timestamp.now()
        metrics.storeWritable.set(1)
        if paused {
            logger.info("batch committed after retrying; intake resumes", ["attempts": String(attempt)])
        } else if attempt > 1 {
            logger.info("batch committed after retrying", ["attempts": String(attempt)])
        }
        gate?.open()

        metrics.batchesCommitted.increment()
        metrics.commitLatency.observe(duration.timeInterval)
        // Counted by runs of one route (a batch is mostly a few long runs), not by hashing every event's route.
        var storedByRoute: [String: Int] = [:]
        var run: (route: String, count: Int)?
        for event in batch.events {
            if run?.route == event.route {
                run?.count += 1
            } else {
                if let run { storedByRoute[run.route, default: 0] += run.count }
                run = (event.route, 1)
            }
        }
        if let run { storedByRoute[run.route, default: 0] += run.count }
        for (route, count) in storedByRoute { metrics.route(route).eventsStored.increment(by: count) }
        metrics.busDepth.set(bus.depth)
        let observer = state.withLock { state in
            state.lastCommitDuration = duration
            return state.onCommitted
        }

        for callback in batch.callbacks { callback(nil) }
        observer?(stored, committedAt)
        batch.removeAll()
    }

    /// Appends the batch to the spill file. A spill is flushed to disk and committed first thing at
    /// the next start, so its outcomes are told they are kept (a drop folder moves its file aside);
    /// when the spill itself fails they are told the store failed them (a file stays in its folder).
    private func spill(_ batch: inout PendingBatch, to spillFile: SpillFile, because error: any Error) {
        let records = batch.events.count + batch.deadLetters.count + batch.documents.count
        var outcome: (any Error)? = nil
        do {
            try spillFile.append(events: batch.events, deadLetters: batch.deadLetters, documents: batch.documents)
            metrics.spilledRecords.increment(by: records)
            logger.warning("the store still fails while the hub stops; the batch is spilled and committed at the next start", [
                "file": spillFile.path, "records": String(records), "error": "\(error)"])
        } catch let spillError {
            outcome = error
            logger.error("the store fails and the spill file cannot be written: these records are lost", [
                "file": spillFile.path, "records": String(records), "error": "\(error)", "spill_error": "\(spillError)"])
        }
        for callback in batch.callbacks { callback(outcome) }
        batch.removeAll()
    }
}
