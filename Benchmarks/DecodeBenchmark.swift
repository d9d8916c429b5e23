import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// Benchmark 1: sensors.json readings decoded and persisted by the hub's own pipeline (route worker,
/// bus, batch writer, SQLite store), beside a plain batched insert of the same rows.
enum DecodeBenchmark {
    struct Result {
        var events: Int
        var hubRate: Double
        var baselineRate: Double
    }

    static func run(events count: Int, workDirectory: URL) throws -> Result {
        let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)
        let payloads = (0..<count).map { BenchPayloads.payload($0, at: start.adding(microseconds: Int64($0) * 1000)) }

        let hubPath = workDirectory.appendingPathComponent("decode-hub.sqlite").path
        let baselinePath = workDirectory.appendingPathComponent("decode-baseline.sqlite").path
        for path in [hubPath, baselinePath] { removeDatabase(path) }

        var configuration = try BenchPayloads.configuration(databasePath: hubPath, topic: "bench/decode/#", port: 1883, clientID: "bench")
        configuration.mqtt = nil  // no network: messages are delivered straight to the route
        let runtime = try Hub(configuration: configuration, logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()))
        try runtime.start()
        let receivedAt = Timestamp.now()
        let hubStart = DispatchTime.now()
        let progress = ProgressReporter(label: "decode+persist", total: count, unit: "readings")
        for (index, payload) in payloads.enumerated() {
            _ = runtime.deliver(Delivery(Envelope(route: BenchPayloads.routeName, source: .mqtt, origin: "bench/decode/air",
                                                  payload: payload, receivedAt: receivedAt)), waitForRoom: true)
            progress.update(done: index + 1)
        }
        runtime.stop()
        progress.finish()
        let hubSeconds = seconds(since: hubStart)
        let stored = runtime.metrics.route(BenchPayloads.routeName).eventsStored.value
        guard stored == count else { throw BenchError("the hub stored \(stored) of \(count) events") }

        // The same rows, decoded beforehand, inserted through the C API alone.
        var connector = try ConnectorCatalog.compiledIn.make(id: "sensors.json", settings: BenchPayloads.settings)
        let events = try payloads.flatMap { payload in
            try connector.decode(Envelope(route: BenchPayloads.routeName, source: .mqtt, origin: "bench/decode/air",
                                          payload: payload, receivedAt: receivedAt))
        }
        let baselineSeconds = try SQLiteBaseline.insert(events, path: baselinePath, batchSize: configuration.store.batchSize)
        for path in [hubPath, baselinePath] { removeDatabase(path) }
        return Result(events: count, hubRate: Double(count) / hubSeconds, baselineRate: Double(events.count) / baselineSeconds)
    }

    /// Removes a store's files, with the MQTT receipt journal beside it (left by a run that was
    /// killed, it would deliver that run's readings again into the next one's fresh store).
    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".mqtt-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
