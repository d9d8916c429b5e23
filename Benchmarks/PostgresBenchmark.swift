import Foundation
import HubCore
import HubPostgres
import HubServices
import HubStore
import HubTesting

/// `PostgresStore.write` beside `SQLiteStore.write` in the same run: the same sensor readings
/// (three numeric attributes each, 10,000 entities, roll-ups and registry kept) in batches of the
/// hub's default batch size, each store new, alternating rounds; events per second and per-commit
/// latency. PostgreSQL is the one at `url`, or one started for the run (`PostgresServer`: a cluster
/// in a temporary folder, fsync off, as in the tests).
enum PostgresBenchmark {
    struct Load {
        var rate: Double
        var p50: Double
        var p99: Double
    }

    struct Result {
        var events: Int
        var batchSize: Int
        var sqlite: Load
        var postgres: Load
        var server: String
    }

    static func run(events count: Int, batchSize: Int, url: String?, workDirectory: URL) throws -> Result {
        let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)
        // Each round observes other times, so that a database given by URL, kept across rounds, takes every event as new.
        func reading(_ index: Int, round: Int) -> Event {
            let attributes: [String: Value] = [
                "no2": .number(Double(index % 997) / 4, unit: "GQ"), "pm10": .number(Double(index % 300) / 7, unit: "GQ"),
                "temperature": .number(Double(index % 400) / 10, unit: "CEL"), "refDevice": .text("urn:dev:bench-\(index % 10_000)"),
            ]
            return Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:bench-\(index % 10_000)",
                         observedAt: start.adding(microseconds: Int64(index) * 100_000 + Int64(round) * 864_000_000_000),
                         receivedAt: start.adding(microseconds: Int64(index) * 100_000),
                         route: BenchPayloads.routeName, attributes: attributes)
        }
        func batches(round: Int) -> [[Event]] {
            stride(from: 0, to: count, by: batchSize).map { first in (first..<min(count, first + batchSize)).map { reading($0, round: round) } }
        }
        let server = url == nil ? try PostgresServer() : nil
        defer { server?.shutDown() }
        let logger = Logger(label: "bench.store", level: .warning, sink: StandardErrorLogSink())
        var commits: [String: [Double]] = ["sqlite": [], "postgres": []]
        var totals: [String: Double] = ["sqlite": 0, "postgres": 0]
        for round in 0..<2 {
            for engine in (round == 0 ? ["sqlite", "postgres"] : ["postgres", "sqlite"]) {
                let path = workDirectory.appendingPathComponent("postgres-bench.sqlite").path
                DecodeBenchmark.removeDatabase(path)
                let database = "bench_\(round)"
                let store: any Store
                if engine == "sqlite" {
                    store = try SQLiteStore(path: path, logger: logger)
                } else if let server {
                    try server.createDatabase(database)
                    store = try PostgresStore(url: server.url(database: database), logger: logger)
                } else {
                    store = try PostgresStore(url: url ?? "", logger: logger)
                }
                for batch in batches(round: round) {
                    let began = DispatchTime.now()
                    try store.write(events: batch, deadLetters: [])
                    let seconds = DecodeBenchmark.seconds(since: began)
                    commits[engine]!.append(seconds * 1000)
                    totals[engine]! += seconds
                }
                try store.close()
                DecodeBenchmark.removeDatabase(path)
                try server?.dropDatabase(database)
            }
        }
        func load(_ engine: String) -> Load {
            let sorted = commits[engine]!.sorted()
            return Load(rate: Double(2 * count) / totals[engine]!, p50: sorted[sorted.count / 2], p99: sorted[sorted.count * 99 / 100])
        }
        return Result(events: count, batchSize: batchSize, sqlite: load("sqlite"), postgres: load("postgres"),
                      server: server == nil ? "the server at --postgres-url" : "a local PostgreSQL started for the run (fsync off)")
    }
}
