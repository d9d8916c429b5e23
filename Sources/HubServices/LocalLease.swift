import Foundation
import Synchronization

/// Leases kept in this process's memory: the lease of a hub that shares its work with no other.
/// Its one hub is always granted what it asks (nobody else asks), so a hub on SQLite runs every
/// task as it always has. Two keepers given the same `LocalLease` compete as two hubs sharing a
/// database would, which is how tests of the keeper run without a database.
public final class LocalLease: SingletonLease {
    private struct Held {
        var holder: String
        var expires: ContinuousClock.Instant
    }

    private let leases = Mutex<[String: Held]>([:])

    /// An empty table: every task is free.
    public init() {}

    public func acquire(_ task: String, holder: String, for duration: Duration) throws -> Bool {
        let now = ContinuousClock.now
        return leases.withLock { leases in
            if let held = leases[task], held.holder != holder, held.expires > now { return false }
            leases[task] = Held(holder: holder, expires: now + duration)
            return true
        }
    }

    public func release(_ task: String, holder: String) throws {
        leases.withLock { leases in
            if leases[task]?.holder == holder { leases[task]?.expires = .now }
        }
    }

    public func tasks(withPrefix prefix: String) throws -> [String] {
        leases.withLock { $0.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    }
}
