import Foundation
import HubCommandLine
import HubCore
import HubServices
import HubStore
import Synchronization

/// `hub bench retention` (row 9): what a retention sweep costs the commits it runs beside, issue
/// 11's case. A store holding `expired` events (500 entities, 30 days kept) takes fresh readings
/// arriving at `rate` events/s, committed in the batches the hub's batch writer forms at that rate
/// (a batch closes `batchDelay` after its first reading arrived, or when it holds `batchSize`):
/// first for `seconds` alone, then for the whole sweep deleting the expired events, then for
/// `seconds` alone again. It reports each phase's commit durations and how long readings waited
/// from arrival to commit, and the ratio of the commit p99 during the sweep to the p99 before it.
enum RetentionBenchmark {
    /// The shape of the run.
    struct Setup {
        var expired = 1_000_000
        var seconds = 20
        var rate = 5000
        var batchSize = 500
        var batchDelayMs = 10
    }

    /// The commits of one phase.
    struct Phase {
        /// Each `Store.write`'s duration (ms).
        var commits: [Double] = []
        /// Each reading's wait from its arrival to the end of its batch's commit (ms).
        var waits: [Double] = []
        /// Readings committed.
        var events = 0
        /// How long the phase lasted (s).
        var seconds = 0.0

        var commit: MQTTBenchmark.Percentiles { MQTTBenchmark.Percentiles(commits) }
        var wait: MQTTBenchmark.Percentiles { MQTTBenchmark.Percentiles(waits) }
    }

    struct Result {
        var setup: Setup
        /// How long filling the store with the expired events took (s).
        var fillSeconds: Double
        var before: Phase
        var during: Phase
        var after: Phase
        var sweptEvents: Int
        var sweepSeconds: Double

        /// Commit p99 during the sweep over commit p99 alone before it: the measure (target ≤ 2).
        var ratio: Double { during.commit.p99 / before.commit.p99 }
    }

    static func run(_ setup: Setup, workDirectory: URL) throws -> Result {
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let path = workDirectory.appendingPathComponent("retention.sqlite").path
        DecodeBenchmark.removeDatabase(path)
        defer { DecodeBenchmark.removeDatabase(path) }
        let store = try SQLiteStore(path: path, options: SQLiteStore.Options(retention: RetentionPolicy(defaultEventDays: 30),
                                                                               retentionPeriod: .seconds(86_400)),
                                    logger: Logger(label: "bench.retention", level: .warning, sink: StandardErrorLogSink()))
        defer { try? store.close() }
        // The old events are observed 20 days ago and the sweep runs as if 20 days later (`now:`), so
        // that they expire for it and not for the store's own background sweep (a minute after
        // opening, then daily), which finds nothing to delete.
        let day: Int64 = 86_400_000_000
        let old = Timestamp.now().adding(microseconds: -20 * day)
        let fillStart = DispatchTime.now()
        let fill = ProgressReporter(label: "retention: storing expired events", total: setup.expired, unit: "events")
        var written = 0
        while written < setup.expired {
            let batch = (written..<min(written + 5000, setup.expired)).map { reading($0, at: old.adding(microseconds: Int64($0) * 1000)) }
            try store.write(events: batch, deadLetters: [])
            written += batch.count
            fill.update(done: written)
        }
        fill.finish()
        let fillSeconds = DecodeBenchmark.seconds(since: fillStart)
        var intake = Intake(store: store, rate: setup.rate, batchSize: setup.batchSize, delay: Double(setup.batchDelayMs) / 1000)

        Output.error("retention: \(setup.expired) expired events stored in \(Int(fillSeconds)) s; commits alone for \(setup.seconds) s ...")
        let before = try intake.phase(seconds: Double(setup.seconds), until: { false })

        Output.error("retention: commits while a sweep deletes the expired events ...")
        let sweepRun = SweepRun()
        Thread {
            let start = DispatchTime.now()
            let deleted = (try? store.sweepExpired(now: Timestamp.now().adding(microseconds: 20 * day)))?.events ?? -1
            sweepRun.result.withLock { $0 = (deleted, DecodeBenchmark.seconds(since: start)) }
        }.start()
        let during = try intake.phase(seconds: nil) { sweepRun.result.withLock { $0 != nil } }
        while sweepRun.result.withLock({ $0 == nil }) { Thread.sleep(forTimeInterval: 0.05) }
        let sweep = sweepRun.result.withLock { $0 } ?? (deleted: 0, seconds: 0)

        Output.error("retention: commits alone again for \(setup.seconds) s ...")
        let after = try intake.phase(seconds: Double(setup.seconds), until: { false })
        return Result(setup: setup, fillSeconds: fillSeconds, before: before, during: during, after: after,
                      sweptEvents: sweep.deleted, sweepSeconds: sweep.seconds)
    }

    /// The result as `hub bench retention` prints it.
    static func table(_ result: Result) -> String {
        func ms(_ value: Double) -> String { String(format: "%.1f", value) }
        func row(_ name: String, _ phase: Phase) -> [String] {
            let commit = phase.commit, wait = phase.wait
            return [name, String(phase.commits.count), String(format: "%.0f", Double(phase.events) / max(phase.seconds, 0.001)),
                    String(format: "%.0f", Double(phase.events) / Double(max(phase.commits.count, 1))),
                    ms(commit.p50), ms(commit.p99), ms(commit.max), ms(wait.p50), ms(wait.p99)]
        }
        let setup = result.setup
        return TextTable.render([
            ["\(setup.expired) expired events; readings at \(setup.rate)/s, batches of up to \(setup.batchSize) every \(setup.batchDelayMs) ms",
             "commits", "events/s", "events/commit", "commit p50 ms", "commit p99 ms", "commit max ms", "wait p50 ms", "wait p99 ms"],
            row("before the sweep", result.before),
            row("during the sweep", result.during),
            row("after the sweep", result.after),
        ]) + "\n" + String(format: "commit p99 during the sweep / before it: %.2f (after it: %.2f; target <= 2)\n",
                           result.ratio, result.during.commit.p99 / result.after.commit.p99)
            + String(format: "sweep: %d expired events deleted in %.1f s (%.0f/s); the store filled in %.0f s",
                     result.sweptEvents, result.sweepSeconds, Double(result.sweptEvents) / max(result.sweepSeconds, 0.001), result.fillSeconds)
    }

    /// Readings arriving at a steady rate, committed as the batch writer would commit them: a batch
    /// starts with the first reading not yet taken, closes `delay` after that reading arrived or once
    /// it holds `batchSize`, and takes every reading that has arrived by then (up to `batchSize`: a
    /// commit that ran late makes the next batch larger, as on the writer).
    private struct Intake {
        let store: SQLiteStore
        let rate: Int
        let batchSize: Int
        let delay: Double
        /// The index of the next reading, across phases (each reading is a new event).
        private var next = 0

        init(store: SQLiteStore, rate: Int, batchSize: Int, delay: Double) {
            self.store = store
            self.rate = max(1, rate)
            self.batchSize = max(1, batchSize)
            self.delay = delay
        }

        /// Commits readings for `seconds` of arrivals, or (when nil) until `until` says stop after
        /// at least one commit.
        mutating func phase(seconds: Double?, until: () -> Bool) throws -> Phase {
            var phase = Phase()
            let start = DispatchTime.now()
            func elapsed() -> Double { DecodeBenchmark.seconds(since: start) }
            func arrival(_ reading: Int) -> Double { Double(reading) / Double(rate) }
            func sleep(until time: Double) {
                let now = elapsed()
                if time > now { Thread.sleep(forTimeInterval: time - now) }
            }
            var taken = 0
            while true {
                if let seconds, arrival(taken) >= seconds { break }
                if seconds == nil, !phase.commits.isEmpty, until() { break }
                sleep(until: min(arrival(taken) + delay, arrival(taken + batchSize - 1)))
                let count = min(batchSize, max(1, Int(elapsed() * Double(rate)) + 1 - taken))
                let first = next
                next += count
                let now = Timestamp.now()
                let batch = (0..<count).map { reading(first + $0, at: now.adding(microseconds: Int64($0))) }
                let began = DispatchTime.now()
                try store.write(events: batch, deadLetters: [])
                phase.commits.append(DecodeBenchmark.seconds(since: began) * 1000)
                let committed = elapsed()
                phase.waits.append(contentsOf: (taken..<taken + count).map { (committed - arrival($0)) * 1000 })
                taken += count
            }
            phase.events = taken
            phase.seconds = elapsed()
            return phase
        }
    }

    /// What the sweeping thread reports: nil until it is done.
    private final class SweepRun: Sendable {
        let result = Mutex<(deleted: Int, seconds: Double)?>(nil)
    }

    private static func reading(_ index: Int, at time: Timestamp) -> Event {
        Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:bench-\(index % 500)", observedAt: time,
              receivedAt: time, route: "air",
              attributes: ["no2": .number(Double(index % 97), unit: "GQ"), "pm25": .number(Double(index % 31) / 2, unit: "GQ"),
                           "refDevice": .text("urn:ngsi-ld:Device:bench-\(index % 500)")])
    }
}
