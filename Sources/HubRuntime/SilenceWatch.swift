import HubCore
import HubServices
import Synchronization

/// Watches the routes that declare an expected interval and says, once, when one falls silent for
/// longer than that, and again when it speaks: the operations centre learns that a gateway or a
/// partner has gone quiet without waiting for someone to notice missing data.
///
/// The silent/speaking state lives in each route's `silent` gauge, written only by `check()` on the
/// timer's queue.
final class SilenceWatch: Sendable {
    private let routes: [(name: String, interval: Duration, metrics: RouteMetrics)]
    private let startedAt: Timestamp
    private let logger: Logger
    private let timer: PeriodicTimer
    /// Each route's `lastMessageAt` at the previous check: a message since then is the route
    /// speaking, even when a late check finds it already older than the interval.
    private let lastSeen = Mutex<[String: Int]>([:])

    init(routes: [Route], metrics: HubMetrics, logger: Logger, period: Duration = .seconds(1)) {
        self.routes = routes.compactMap { route in
            route.expectedInterval.map { (route.name, $0, metrics.route(route.name)) }
        }
        startedAt = .now()
        self.logger = logger
        timer = PeriodicTimer(label: "hub.silence-watch", period: period)
    }

    /// Starts watching, if any route declares an expected interval.
    func start() {
        if !routes.isEmpty { timer.start { [weak self] in self?.check() } }
    }

    private func check() {
        let now = Timestamp.now()
        for route in routes {
            let last = route.metrics.lastMessageAt.value
            // A route that never spoke is measured from the hub's start.
            let since = last == 0 ? startedAt : Timestamp(microsecondsSinceEpoch: Int64(last))
            let limit = Int64(route.interval.timeInterval * 1e6)
            let spokeSinceLastCheck = lastSeen.withLock { seen in
                defer { seen[route.name] = last }
                return last != (seen[route.name] ?? 0)
            }
            let wasSilent = route.metrics.silent.value == 1
            let isSilent = now.microsecondsSinceEpoch - since.microsecondsSinceEpoch > limit && !(wasSilent && spokeSinceLastCheck)
            guard isSilent != wasSilent else { continue }
            route.metrics.silent.set(isSilent ? 1 : 0)
            if isSilent {
                logger.warning("route silent for longer than expected", [
                    "route": route.name, "expected_interval": "\(route.interval)",
                    "last_message": last == 0 ? "none since start" : since.iso8601,
                ])
            } else {
                logger.info("route speaking again", ["route": route.name])
            }
        }
    }

    /// Stops watching.
    func stop() {
        timer.stop()
    }
}
