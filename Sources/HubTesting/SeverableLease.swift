import HubServices
import Synchronization

/// A lease reached through a link a test can cut: a hub that can no longer reach the database
/// (or is dead), whose leases then run out instead of being released.
public final class SeverableLease: SingletonLease {
    /// The lease behind the link.
    public let lease: any SingletonLease
    private let severed = Atomic<Bool>(false)

    /// Why a call failed: the link is cut.
    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String { "the lease store is unreachable (cut by the test)" }
    }

    /// A link to `lease`, open.
    public init(_ lease: any SingletonLease) { self.lease = lease }

    /// Whether the link is cut: every call then throws `Unreachable`.
    public var isSevered: Bool {
        get { severed.load(ordering: .relaxed) }
        set { severed.store(newValue, ordering: .relaxed) }
    }

    public func acquire(_ task: String, holder: String, for duration: Duration) throws -> Bool {
        if isSevered { throw Unreachable() }
        return try lease.acquire(task, holder: holder, for: duration)
    }

    public func release(_ task: String, holder: String) throws {
        if isSevered { throw Unreachable() }
        try lease.release(task, holder: holder)
    }

    public func tasks(withPrefix prefix: String) throws -> [String] {
        if isSevered { throw Unreachable() }
        return try lease.tasks(withPrefix: prefix)
    }
}
