import Foundation
import HubServices
import Synchronization

/// Runs the store's retention sweep on a thread of its own every period, so that deleting
/// expired rows never runs on the thread that commits batches (each slice takes the write
/// connection only for its own short transaction).
package final class RetentionTask: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let stopRequested = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread: a first sweep soon after start-up (`firstDelay`), then one every `period`.
    /// `sweep` is given a function that says when to give up early: a stop was asked for.
    package init(period: Duration, firstDelay: Duration, logger: Logger,
         sweep: @escaping @Sendable (_ isStopping: () -> Bool) throws -> Void) {
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub retention")
            var delay = firstDelay
            while stopRequested.wait(timeout: .now() + delay.timeInterval) == .timedOut {
                do {
                    try sweep { stopping.load(ordering: .relaxed) }
                } catch {
                    logger.warning("retention sweep failed; expired records stay until the next one succeeds", ["error": "\(error)"])
                }
                delay = period
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops the thread, waiting for a sweep under way to finish its current slice and return.
    package func stop() {
        stopping.store(true, ordering: .relaxed)
        stopRequested.signal()
        finished.wait()
    }
}
