import Dispatch
import HubCore
import Synchronization

/// Logs dead letters in aggregate: one line per route and period, with the count and the latest
/// reason, so that a flood of bad messages does not flood the log.
final class DeadLetterReport: @unchecked Sendable {
    // @unchecked Sendable: `timer` is a DispatchSource, whose methods are thread-safe but which is not
    // marked Sendable; it is set once in init and only cancelled afterwards. The tallies sit behind a Mutex.
    private struct Tally {
        var count = 0
        var latestReason = ""
        var latestOrigin = ""
    }

    private let tallies = Mutex<[String: Tally]>([:])
    private let logger: Logger
    private let timer: DispatchSourceTimer

    init(period: Duration = .seconds(10), logger: Logger) {
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hub.dead-letter-report"))
        let milliseconds = Int(period.components.seconds * 1000)
        timer.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds))
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.resume()
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
        timer.cancel()
        flush()
    }
}
