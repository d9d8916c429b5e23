import Dispatch
import HubCore
import HubServices
import Synchronization

/// Runs a task at a fixed period on its own serial queue, from `start` until `stop`.
final class PeriodicTimer: @unchecked Sendable {
    // @unchecked Sendable: `source` is a DispatchSource and `queue` a DispatchQueue (thread-safe,
    // not marked Sendable), both created once in init; whether it runs is kept behind the Mutex.
    private enum Phase { case idle, running, stopped }

    private let queue: DispatchQueue
    /// Set on `queue` only: tells `stop` it is called from the task itself.
    private let onOwnQueue = DispatchSpecificKey<Bool>()
    private let source: DispatchSourceTimer
    private let period: Duration
    private let phase = Mutex(Phase.idle)

    /// A timer whose task will run on a queue named `label`, every `period`.
    init(label: String, period: Duration) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: onOwnQueue, value: true)
        source = DispatchSource.makeTimerSource(queue: queue)
        self.period = period
    }

    /// Runs `task` every period from now on; does nothing once started or stopped.
    func start(_ task: @escaping @Sendable () -> Void) {
        phase.withLock { phase in
            guard phase == .idle else { return }
            phase = .running
            let nanoseconds = Int(period.timeInterval * 1e9)
            source.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
            source.setEventHandler(handler: task)
            source.resume()
        }
    }

    /// Stops the task for good, and returns once a run in progress has finished (at once when
    /// called from the task itself), so that what the task uses can be closed next. Calling it
    /// again does nothing more than that wait. The task must therefore never wait for a lock the
    /// caller of `stop` holds (the hub's own state lock, during its stop).
    func stop() {
        phase.withLock { phase in
            guard phase != .stopped else { return }
            source.cancel()
            // libdispatch refuses to release a source that was never resumed.
            if phase == .idle { source.resume() }
            phase = .stopped
        }
        if DispatchQueue.getSpecific(key: onOwnQueue) == nil { queue.sync {} }
    }
}
