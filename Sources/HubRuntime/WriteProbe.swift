import HubStore
import Synchronization

/// The readiness probe's write: a real one-page commit that also checks the database file is still
/// the one the store opened (`StoreUpkeep.checkWritable`), run at most once per `interval` however
/// often `/readyz` is asked; in between, the last answer is given again.
final class WriteProbe: Sendable {
    private let interval: Duration
    private let last = Mutex<(at: ContinuousClock.Instant, failure: String?)?>(nil)

    /// A probe that commits at most once per `interval`.
    init(interval: Duration) {
        self.interval = interval
    }

    /// Why `store` cannot commit now, nil when it can.
    func check(_ store: any StoreUpkeep) -> String? {
        let now = ContinuousClock.now
        if let last = last.withLock({ $0 }), last.at.duration(to: now) < interval { return last.failure }
        var failure: String?
        do {
            try store.checkWritable()
        } catch {
            failure = "\(error)"
        }
        last.withLock { $0 = (now, failure) }
        return failure
    }
}
