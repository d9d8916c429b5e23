import HubCore
import HubServices
import Synchronization

/// Logs dead letters in aggregate: one line per route and period, with the count and the latest
/// reason, so that a flood of bad messages does not flood the log.
final class DeadLetterReport: Sendable {
    private struct Tally {
        var count = 0
        var latestReason = ""
        var latestOrigin = ""
    }

    private let tallies = Mutex<[String: Tally]>([:])
    private let logger: Logger
    private let timer: PeriodicTimer

    init(period: Duration = .seconds(10), logger: Logger) {
        self.logger = logger
        timer = PeriodicTimer(label: "hub.dead-letter-report", period: period)
    }

    /// Starts the periodic report.
    func start() {
        timer.start { [weak self] in self?.flush() }
    }

    /// Counts a dead letter.
    func record(_ deadLetter: DeadLetter) {
        tallies.withLock { table in
            table[deadLetter.route, default: Tally()].count += 1
            table[deadLetter.route]?.latestReason = deadLetter.reason
            table[deadLetter.route]?.latestOrigin = deadLetter.origin
        }
    }

    /// Writes one line per route that had dead letters since the last report.
    func flush() {
        let pending = tallies.withLock { table in
            defer { table.removeAll() }
            return table
        }
        for route in pending.keys.sorted() {
            let tally = pending[route]!
            logger.warning("dead letters kept", [
                "route": route, "count": String(tally.count),
                "latest_origin": tally.latestOrigin, "latest_reason": "\"\(tally.latestReason)\"",
            ])
        }
    }

    /// Stops the periodic report after a last one.
    func stop() {
        timer.stop()
        flush()
    }
}
