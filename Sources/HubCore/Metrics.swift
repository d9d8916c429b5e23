import Synchronization

/// A monotonically increasing count, safe to bump from any thread.
public final class Counter: Sendable {
    private let storage = Atomic<Int>(0)

    /// Creates a counter at zero.
    public init() {}

    /// Adds `amount`.
    public func increment(by amount: Int = 1) {
        storage.add(amount, ordering: .relaxed)
    }

    /// The count now.
    public var value: Int { storage.load(ordering: .relaxed) }
}

/// A value that goes up and down (a queue depth, a connection state), safe to set from any thread.
public final class Gauge: Sendable {
    private let storage = Atomic<Int>(0)

    /// Creates a gauge at zero.
    public init() {}

    /// Sets the value.
    public func set(_ value: Int) { storage.store(value, ordering: .relaxed) }

    /// The value now.
    public var value: Int { storage.load(ordering: .relaxed) }
}

/// The counters of one route, as operators see them.
public final class RouteMetrics: Sendable {
    /// Messages that arrived on the route.
    public let received = Counter()
    /// Events the connector produced.
    public let eventsDecoded = Counter()
    /// Events the store committed (new or already known: re-deliveries count too).
    public let eventsStored = Counter()
    /// Messages kept as dead letters.
    public let deadLetters = Counter()
    /// Messages waiting for the route's worker.
    public let queueDepth = Gauge()
    /// Microseconds since the epoch of the last message, 0 before the first.
    public let lastMessageAt = Gauge()
    /// 1 while the route has been silent for longer than its expected interval, 0 otherwise.
    public let silent = Gauge()

    /// Creates a route's counters at zero.
    public init() {}
}

/// Every counter of a running hub, by route and for the store and the broker connection.
public final class HubMetrics: Sendable {
    private let routes = Mutex<[String: RouteMetrics]>([:])
    /// Transactions the store committed.
    public let batchesCommitted = Counter()
    /// Transactions that failed and were retried.
    public let batchFailures = Counter()
    /// Outcomes waiting on the bus for the store.
    public let busDepth = Gauge()
    /// 1 while the MQTT connection is up, 0 otherwise.
    public let mqttConnected = Gauge()
    /// Times the MQTT connection was (re)established.
    public let mqttConnects = Counter()

    /// Creates an empty registry.
    public init() {}

    /// The counters of a route, created on first use.
    public func route(_ name: String) -> RouteMetrics {
        routes.withLock { table in
            if let existing = table[name] { return existing }
            let created = RouteMetrics()
            table[name] = created
            return created
        }
    }

    /// The routes that have counters, by name.
    public var routeNames: [String] { routes.withLock { $0.keys.sorted() } }
}
