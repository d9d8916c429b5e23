import Foundation
import HubCore
import HubServices
import HubStore

/// What keeping roll-ups costs a commit: the same batches of 500 readings (three numeric
/// attributes each, 10,000 entities) written with and without them, each into a new store,
/// alternating rounds; per-commit latency and events per second.
enum RollupBenchmark {
    struct Load {
        var rate: Double
        var p50: Double
        var p99: Double
    }

    struct Result {
        var events: Int
        var with: Load
        var without: Load
    }

    static func run(events count: Int, workDirectory: URL) throws -> Result {
        let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)
        func reading(_ index: Int) -> Event {
            let no2 = Double(index % 997) / 4, pm10 = Double(index % 300) / 7, temperature = Double(index % 400) / 10
            let attributes: [String: Value] = [
                "no2": .number(no2, unit: "GQ"), "pm10": .number(pm10, unit: "GQ"), "temperature": .number(temperature, unit: "CEL"),
            ]
            return Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:bench-\(index % 10_000)",
                         observedAt: start.adding(microseconds: Int64(index) * 100_000), receivedAt: start, route: BenchPayloads.routeName,
                         attributes: attributes)
        }
        let batches: [[Event]] = stride(from: 0, to: count, by: 500).map { first in (first..<min(count, first + 500)).map(reading) }
        var commits: [Bool: [Double]] = [true: [], false: []]
        var totals: [Bool: Double] = [true: 0, false: 0]
        for round in 0..<2 {
            for rollups in (round == 0 ? [true, false] : [false, true]) {
                let path = workDirectory.appendingPathComponent("rollup-bench-\(rollups).sqlite").path
                DecodeBenchmark.removeDatabase(path)
                var options = SQLiteStore.Options()
                options.maintainsRollups = rollups
                let store = try SQLiteStore(path: path, options: options, logger: Logger(label: "bench.store", level: .warning, sink: StandardErrorLogSink()))
                for batch in batches {
                    let began = DispatchTime.now()
                    try store.write(events: batch, deadLetters: [])
                    let seconds = DecodeBenchmark.seconds(since: began)
                    commits[rollups]!.append(seconds * 1000)
                    totals[rollups]! += seconds
                }
                try store.close()
                DecodeBenchmark.removeDatabase(path)
            }
        }
        func load(_ rollups: Bool) -> Load {
            let sorted = commits[rollups]!.sorted()
            return Load(rate: Double(2 * count) / totals[rollups]!, p50: sorted[sorted.count / 2], p99: sorted[sorted.count * 99 / 100])
        }
        return Result(events: count, with: load(true), without: load(false))
    }
}
