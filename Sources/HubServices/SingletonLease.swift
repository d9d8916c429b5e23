/// Where the hubs of a fleet agree on which one of them runs each task that must run once (the
/// device inactivity watch, retention, deliveries, alarm rules, each feed's polling, each drop
/// folder): a lease per task,
/// held by one hub for a bounded time and renewed while it lives.
///
/// One hub on SQLite uses `LocalLease` (always granted, nothing changes); hubs sharing a
/// PostgreSQL database use its lease table, so that the leases live where the data does. A
/// `LeaseKeeper` renews the leases and answers whether this hub may run a task now.
public protocol SingletonLease: Sendable {
    /// Takes `task` for `holder` until `duration` from now when nobody holds it or its lease has
    /// expired, or extends it when `holder` already holds it.
    ///
    /// - Returns: whether `holder` holds the lease now; false when another holder's lease runs.
    /// - Throws: when the lease cannot be read or written (the database is unreachable): the
    ///   caller must then behave as if the lease were lost once its own deadline passes.
    func acquire(_ task: String, holder: String, for duration: Duration) throws -> Bool

    /// Gives `task` up when `holder` holds it, so that another hub takes it at its next try
    /// instead of after the lease expires; does nothing otherwise.
    func release(_ task: String, holder: String) throws

    /// The names of the tasks that have (or had) a lease and begin with `prefix`, held or not: how
    /// a hub learns the other members of its fleet (`SessionRescue` lists `mqtt-session/`).
    func tasks(withPrefix prefix: String) throws -> [String]
}

/// A task that must run on one hub of a fleet at a time, named as its lease is.
public struct SingletonTask: Sendable, Hashable, CustomStringConvertible {
    /// The lease's name: `device-watch`, `retention`, `deliveries`, `alarms`, `feed/<route>`,
    /// `folder/<route>`, `mqtt-session/<client id>`.
    public let name: String

    /// A task named `name`.
    public init(_ name: String) { self.name = name }

    /// The device inactivity watch (`DeviceInactive` / `DeviceActive` events).
    public static let deviceWatch = SingletonTask("device-watch")
    /// The store's retention sweep.
    public static let retention = SingletonTask("retention")
    /// The polling of one feed route.
    public static func feed(_ route: String) -> SingletonTask { SingletonTask("feed/\(route)") }
    /// The outbound deliveries of every subscription: their outbox is in the shared store, and one
    /// hub at a time sends it, so that a target gets each batch from one hub.
    public static let deliveries = SingletonTask("deliveries")
    /// The evaluation of the alarm rules: on a shared store, one hub evaluates every hub's events.
    public static let alarms = SingletonTask("alarms")
    /// The scanning of one drop-folder route's folder.
    public static func folder(_ route: String) -> SingletonTask { SingletonTask("folder/\(route)") }
    /// The prefix of the MQTT sessions' leases.
    public static let sessionPrefix = "mqtt-session/"
    /// The persistent MQTT session named `clientID`: held by its own hub while it lives, by the
    /// hub that drains it while its own hub is away (see `SessionRescue`).
    public static func session(_ clientID: String) -> SingletonTask { SingletonTask(sessionPrefix + clientID) }

    public var description: String { name }
}

/// Answers whether this hub may run a task now: the doors and watches that must run once in a
/// fleet ask it before each turn, and skip the turn when it says no.
public protocol SingletonGate: Sendable {
    /// Whether this hub holds `task`'s lease now (always true for a lone hub).
    func holds(_ task: SingletonTask) -> Bool
}
