import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// Follows what every hub of a fleet commits to the shared store, in `seq` order, for the live
/// stream: a hub's own commits are only its share, so on PostgreSQL the stream is fed from the
/// store instead (its writes commit in `seq` order, so reading after the largest `seq` seen misses
/// nothing).
///
/// One thread reads the events stored after the last one it handed over, a page at a time, and
/// looks again every `period` once it has caught up; `start` begins after what is stored then.
final class StoreTail: Sendable {
    private let store: any EventReading
    private let period: Duration
    private let logger: Logger
    private let deliver: @Sendable ([StoredEvent]) -> Void
    private let stopping = Atomic<Bool>(false)
    private let stopSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

    /// A tail of `store` handing each page of new events to `deliver`, on its own thread.
    init(store: any EventReading, period: Duration = .milliseconds(100), logger: Logger,
         deliver: @escaping @Sendable ([StoredEvent]) -> Void) {
        self.store = store
        self.period = period
        self.logger = logger
        self.deliver = deliver
    }

    /// Starts the thread after the newest event stored now.
    func start() {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub store tail")
            run()
            finished.signal()
        }
        thread.start()
    }

    /// Stops the thread and waits for it (at once when it never started).
    func stop() {
        guard started.load(ordering: .relaxed), !stopping.exchange(true, ordering: .relaxed) else { return }
        stopSignal.signal()
        finished.wait()
    }

    private func run() {
        var last: Int64?
        while !stopping.load(ordering: .relaxed) {
            do {
                if last == nil { last = try store.events(matching: EventFilter(), before: nil, limit: 1).first?.seq ?? 0 }
                let page = try store.events(matching: EventFilter(), after: last ?? 0, limit: StoreLimits.maximumPageSize)
                if let newest = page.last?.seq {
                    last = newest
                    deliver(page)
                }
                if page.count == StoreLimits.maximumPageSize { continue }
            } catch {
                logger.warning("the live stream cannot read the store; trying again", ["error": "\(error)"])
            }
            _ = stopSignal.wait(timeout: .now() + period.timeInterval)
        }
    }
}
