import Foundation
import Synchronization

/// Keeps this hub's leases on the tasks that must run once in a fleet (see `SingletonLease`): it
/// takes or renews each one every `renewal` on a thread of its own, and answers `holds(_:)` for
/// the doors and watches that ask before each turn.
///
/// A lease is held until `duration` after the request that took or renewed it was sent, counted
/// on this hub's monotonic clock: the lease store counts its own expiry from the moment it wrote
/// it, later, so this hub stops a task before another can take it (clocks of the hosts need not
/// agree; only their rates). A renewal that fails (the database unreachable) keeps nothing: the
/// hub stops the task when its deadline passes. When the holder dies, another hub takes each task
/// at most `duration + renewal` later. A task's turn begun before its deadline may end after it,
/// which is harmless: events are idempotent by id and files move only once committed.
///
/// `stop()` releases what it holds, so that a hub stopped gracefully hands its tasks over at once.
public final class LeaseKeeper: SingletonGate, MetricFamilyProvider {
    /// This hub's name: the holder of its leases.
    public let holder: String
    /// The tasks it keeps leases on, in the order they are renewed.
    public let tasks: [SingletonTask]
    /// How long a lease lasts without renewal.
    public let duration: Duration
    /// How often the leases are renewed and the free ones tried.
    public let renewal: Duration

    private let lease: any SingletonLease
    private let logger: Logger
    /// Each task held, with the instant its lease runs out for this hub.
    private let deadlines = Mutex<[SingletonTask: ContinuousClock.Instant]>([:])
    private let phase = Mutex<Phase>(.idle)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private enum Phase { case idle, running, stopped }

    /// A keeper of `tasks`' leases for `holder` in `lease`; nothing is taken until `start()`.
    /// `renewal` must be well within `duration` (the configuration asks for at most half).
    public init(lease: any SingletonLease, holder: String, tasks: [SingletonTask], duration: Duration, renewal: Duration,
                logger: Logger) {
        precondition(renewal < duration, "a lease must be renewed before it runs out")
        self.lease = lease
        self.holder = holder
        self.tasks = tasks
        self.duration = duration
        self.renewal = renewal
        self.logger = logger
    }

    /// Whether this hub holds `task`'s lease now.
    public func holds(_ task: SingletonTask) -> Bool {
        guard let deadline = deadlines.withLock({ $0[task] }) else { return false }
        return ContinuousClock.now < deadline
    }

    /// The tasks this hub holds now, in `tasks` order.
    public var held: [SingletonTask] { tasks.filter(holds) }

    /// Tries every lease once, before returning (so that a lone hub holds its tasks before its
    /// doors start), then every `renewal` until `stop()`. Does nothing when there is no task, or
    /// once started or stopped.
    public func start() {
        let starting = phase.withLock { phase in
            guard phase == .idle, !tasks.isEmpty else { return false }
            phase = .running
            return true
        }
        guard starting else { return }
        renewAll()
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub leases")
            while wake.wait(timeout: .now() + renewal.timeInterval) == .timedOut {
                renewAll()
            }
            finished.signal()
        }
        thread.start()
    }

    /// Takes or renews each lease once, now.
    func renewAll() {
        for task in tasks {
            let asked = ContinuousClock.now
            let wasHeld = holds(task)
            do {
                if try lease.acquire(task.name, holder: holder, for: duration) {
                    deadlines.withLock { $0[task] = asked + duration }
                    if !wasHeld { logger.info("took the lease: this hub runs the task", ["task": task.name, "hub": holder]) }
                } else {
                    deadlines.withLock { $0[task] = nil }
                    if wasHeld { logger.warning("lost the lease: another hub runs the task", ["task": task.name, "hub": holder]) }
                }
            } catch {
                // The deadline stays: the task runs until it passes, unless a renewal succeeds first.
                logger.warning("cannot take or renew the lease; a task held stops when its lease runs out unless a renewal succeeds", [
                    "task": task.name, "hub": holder, "held": String(wasHeld), "error": "\(error)"])
            }
        }
    }

    /// Stops renewing and releases every lease held, so that another hub takes the tasks at its
    /// next try; from then on `holds(_:)` is false. Calling it again does nothing.
    public func stop() {
        let wasRunning = phase.withLock { phase in
            defer { phase = .stopped }
            return phase == .running
        }
        guard wasRunning else { return }
        wake.signal()
        finished.wait()
        let held = deadlines.withLock { deadlines in
            defer { deadlines = [:] }
            return Array(deadlines.keys)
        }
        for task in held {
            do {
                try lease.release(task.name, holder: holder)
            } catch {
                logger.warning("cannot release the lease; another hub takes the task when it runs out", [
                    "task": task.name, "hub": holder, "error": "\(error)"])
            }
        }
    }

    /// `hub_lease_held{task}`: 1 while this hub holds the task's lease.
    public func metricFamilies() -> [MetricFamily] {
        [MetricFamily(name: "hub_lease_held", help: "1 while this hub holds the task's lease and runs it (a task runs on one hub of a fleet).",
                      type: "gauge", samples: tasks.map { .init(labels: ["task": $0.name], value: holds($0) ? 1 : 0) })]
    }
}
