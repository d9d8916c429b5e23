import HubCore
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
    /// Arrivals over the last 15 minutes, for rates over 1 and 15 minutes.
    public let arrivals = RateWindow()
    /// The reason of the latest dead letter and when it happened.
    public let lastError = LatestValue<(reason: String, at: Timestamp)>()

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
    /// 1 while the store commits, 0 from a failed commit until the next one succeeds (intake paused).
    public let storeWritable = Gauge()
    /// Records the store could not commit before a stop, spilled beside the database for the next start.
    public let spilledRecords = Counter()
    /// Outcomes waiting on the bus for the store.
    public let busDepth = Gauge()
    /// 1 while the MQTT connection is up, 0 otherwise.
    public let mqttConnected = Gauge()
    /// Times the MQTT connection was (re)established.
    public let mqttConnects = Counter()
    /// How long each batch commit took, in seconds.
    public let commitLatency = Histogram(bounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    private let providers = Mutex<[any MetricFamilyProvider]>([])

    /// Adds metric families from another part of the hub (feed pollers, intakes) to `/metrics`.
    public func addProvider(_ provider: any MetricFamilyProvider) {
        providers.withLock { $0.append(provider) }
    }

    /// The families every added provider reports now.
    public func providedFamilies() -> [MetricFamily] {
        providers.withLock { $0 }.flatMap { $0.metricFamilies() }
    }

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

/// A distribution of observed values in fixed buckets (Prometheus histogram semantics:
/// cumulative counts of observations at most each bound).
public final class Histogram: Sendable {
    /// The upper bounds of the buckets, ascending; `+Inf` is implied.
    public let bounds: [Double]
    private let state: Mutex<(counts: [Int], sum: Double, count: Int)>

    /// Creates an empty histogram with these bucket bounds.
    public init(bounds: [Double]) {
        self.bounds = bounds.sorted()
        state = Mutex((Array(repeating: 0, count: bounds.count), 0, 0))
    }

    /// Records one value.
    public func observe(_ value: Double) {
        let index = bounds.firstIndex { value <= $0 }
        state.withLock { state in
            if let index { state.counts[index] += 1 }
            state.sum += value
            state.count += 1
        }
    }

    /// Cumulative counts per bound, then the sum and count of every observation.
    public var snapshot: (cumulative: [Int], sum: Double, count: Int) {
        state.withLock { state in
            var running = 0
            return (state.counts.map { running += $0; return running }, state.sum, state.count)
        }
    }
}

/// Counts of events per second over the last 15 minutes, to report rates over 1 and 15 minutes.
public final class RateWindow: Sendable {
    private static let seconds = 900
    private let state = Mutex<(buckets: [Int], second: Int64)>((Array(repeating: 0, count: 900), 0))

    /// Creates an empty window.
    public init() {}

    /// Counts one occurrence at `time`.
    public func record(at time: Timestamp = .now()) {
        let second = time.microsecondsSinceEpoch / 1_000_000
        state.withLock { state in
            advance(&state, to: second)
            state.buckets[Int(second % Int64(Self.seconds))] += 1
        }
    }

    /// Occurrences per second over the last `window` seconds (at most 900), as of `time`.
    public func rate(over window: Int, at time: Timestamp = .now()) -> Double {
        let second = time.microsecondsSinceEpoch / 1_000_000
        let span = min(max(window, 1), Self.seconds)
        let total = state.withLock { state -> Int in
            advance(&state, to: second)
            return (0..<span).reduce(0) { sum, back in
                sum + state.buckets[Int((second - Int64(back)) % Int64(Self.seconds) + Int64(Self.seconds)) % Self.seconds]
            }
        }
        return Double(total) / Double(span)
    }

    /// Clears the buckets of the seconds between the last recorded one and `second`.
    private func advance(_ state: inout (buckets: [Int], second: Int64), to second: Int64) {
        guard second > state.second else { return }
        let gap = min(second - state.second, Int64(Self.seconds))
        for step in 1...gap { state.buckets[Int((state.second + step) % Int64(Self.seconds))] = 0 }
        state.second = second
    }
}

/// The latest of some value (a last error), safe to set and read from any thread.
public final class LatestValue<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// Creates an empty holder.
    public init() {}

    /// Replaces the value.
    public func set(_ value: Value) { storage.withLock { $0 = value } }

    /// The value now, nil before the first `set`.
    public var value: Value? { storage.withLock { $0 } }
}

/// One metric family in Prometheus terms: a name, help, a type, and samples with labels.
public struct MetricFamily: Sendable {
    /// One sample: labels and a value.
    public struct Sample: Sendable {
        /// Label names and values, e.g. `["route": "air-quality"]`.
        public var labels: [String: String]
        /// The value.
        public var value: Double

        /// Creates a sample.
        public init(labels: [String: String] = [:], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// The family's name, e.g. `hub_feed_polls_total`.
    public var name: String
    /// One line saying what it measures.
    public var help: String
    /// `counter` or `gauge`.
    public var type: String
    /// The samples.
    public var samples: [Sample]

    /// Creates a family.
    public init(name: String, help: String, type: String, samples: [Sample]) {
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
    }
}

/// Something that reports metric families for `/metrics` (a feed poller reports its poll results).
public protocol MetricFamilyProvider: Sendable {
    /// The families as they are now.
    func metricFamilies() -> [MetricFamily]
}
