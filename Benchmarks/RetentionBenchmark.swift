import Foundation
import HubCommandLine
import HubCore
import HubServices
import HubStore
import Synchronization

/// `hub bench retention`: what a retention sweep costs the commits it runs beside. A store holding
/// `expired` events observed 40 days ago (500 entities) takes batches of 500 fresh events at 5,000
/// events/s, first alone, then while a sweep deletes the expired ones (30 days kept); it prints
/// each phase's commit latency (p50, p99, max) and the sweep's rate.
enum RetentionBenchmark {
    static func run(expired: Int, seconds: Int, workDirectory: URL) throws -> Int32 {
        let path = workDirectory.appendingPathComponent("retention.sqlite").path
        DecodeBenchmark.removeDatabase(path)
        defer { DecodeBenchmark.removeDatabase(path) }
        let store = try SQLiteStore(path: path, options: SQLiteStore.Options(retention: RetentionPolicy(defaultEventDays: 30),
                                                                               retentionPeriod: .seconds(86_400)),
                                    logger: Logger(label: "bench.retention", level: .warning, sink: StandardErrorLogSink()))
        defer { try? store.close() }
        let old = Timestamp.now().adding(microseconds: -40 * 86_400_000_000)
        var written = 0
        while written < expired {
            let batch = (written..<min(written + 5000, expired)).map { reading($0, at: old.adding(microseconds: Int64($0) * 1000)) }
            try store.write(events: batch, deadLetters: [])
            written += batch.count
        }
        Output.error("retention: \(expired) expired events stored; commits alone for \(seconds) s ...")
        var next = expired
        let alone = try commits(store, seconds: Double(seconds), next: &next, until: { false })

        Output.error("retention: commits while a sweep deletes them ...")
        let sweepRun = SweepRun()
        Thread {
            let start = DispatchTime.now()
            let deleted = (try? store.sweepExpired())?.events ?? -1
            sweepRun.result.withLock { $0 = (deleted, DecodeBenchmark.seconds(since: start)) }
        }.start()
        let during = try commits(store, seconds: Double(seconds), next: &next) { sweepRun.result.withLock { $0 != nil } }
        while sweepRun.result.withLock({ $0 == nil }) { Thread.sleep(forTimeInterval: 0.05) }
        let sweep = sweepRun.result.withLock { $0 } ?? (deleted: 0, seconds: 0)

        func line(_ name: String, _ latencies: [Double]) -> String {
            let sorted = latencies.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            return String(format: "%@: %d commits of 500 events, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                          name, latencies.count, at(0.5), at(0.99), sorted.last ?? 0)
        }
        Output.line(line("commits alone", alone))
        Output.line(line("commits during the sweep", during))
        Output.line(String(format: "sweep: %d expired events deleted in %.1f s (%.0f/s)", sweep.deleted, sweep.seconds,
                           Double(sweep.deleted) / max(sweep.seconds, 0.001)))
        return 0
    }

    /// Commits a batch of 500 fresh events every 100 ms for `seconds` (or until `until` says stop,
    /// after at least one), returning each commit's duration in milliseconds.
    private static func commits(_ store: SQLiteStore, seconds: Double, next: inout Int, until: () -> Bool) throws -> [Double] {
        var latencies: [Double] = []
        let start = DispatchTime.now()
        var tick = 0
        while DecodeBenchmark.seconds(since: start) < seconds, !(until() && !latencies.isEmpty) {
            let now = Timestamp.now()
            let batch = (next..<next + 500).map { reading($0, at: now.adding(microseconds: Int64($0 % 500))) }
            next += 500
            let began = DispatchTime.now()
            try store.write(events: batch, deadLetters: [])
            latencies.append(DecodeBenchmark.seconds(since: began) * 1000)
            tick += 1
            let due = Double(tick) * 0.1 - DecodeBenchmark.seconds(since: start)
            if due > 0 { Thread.sleep(forTimeInterval: due) }
        }
        return latencies
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
