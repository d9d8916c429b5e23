import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices
import HubStore

/// Benchmark 3: the operations API under wrk. Webhook ingest (each 202 waits for its commit)
/// beside the server's floor (`/healthz`, no work), and `GET /api/v1/events` for one entity over
/// a store of millions of events beside the same query made in-process on the store, and beside
/// the same 16 clients served by one read connection instead of the pool.
enum HTTPBenchmark {
    struct Load {
        var rate: Double
        var p50: Double
        var p99: Double
        var failures: Int
        /// The hub's CPU time (user + system, every thread of this process) per request answered,
        /// in microseconds; nil when not measured (in-process runs).
        var cpuPerRequest: Double? = nil
    }

    struct Result {
        var floor: Load
        var ingest: Load
        var storeEvents: Int
        var query: Load
        var querySingle: Load
        var direct: Load
        /// 16 clients with `store.readConnections` 1: the reads queue on one connection.
        var queryOneConnection: Load
        /// How long filling the store took this run (nil when the file was already full).
        var fillSeconds: Double?
        /// The `store.readConnections` of `query`.
        var readConnections = 4
    }

    static let entities = 10_000
    static let token = "bench-token-0123456789abcdef"

    /// `wrkThreads`: the threads wrk sends the 16 connections' requests from (they share the
    /// machine's cores with the hub); `readConnections`: the hub's `store.readConnections`.
    static func run(storeEvents: Int, seconds: Int, wrkThreads: Int = 2, readConnections: Int = 4, workDirectory: URL) throws -> Result {
        let path = workDirectory.appendingPathComponent("http-bench-\(storeEvents).sqlite").path
        let fillSeconds = try fillStore(path: path, events: storeEvents)
        var result = try run(path: path, readConnections: readConnections, seconds: seconds, wrkThreads: wrkThreads, workDirectory: workDirectory, onlyQuery: false)
        result.queryOneConnection = try run(path: path, readConnections: 1, seconds: seconds, wrkThreads: wrkThreads, workDirectory: workDirectory,
                                            onlyQuery: true).query
        result.fillSeconds = fillSeconds
        result.readConnections = readConnections
        return result
    }

    /// One hub on the store at `path` with `readConnections`; `onlyQuery` runs the 16-client query alone.
    private static func run(path: String, readConnections: Int, seconds: Int, wrkThreads: Int, workDirectory: URL, onlyQuery: Bool) throws -> Result {
        let configuration = try HubConfiguration(json: .object([
            "store": .object(["path": .string(path), "batchSize": .number(500), "batchDelayMs": .number(5),
                              "readConnections": .number(Double(readConnections))]),
            "queues": .object(["routeCapacity": .number(4096), "busCapacity": .number(8192)]),
            "http": .object([
                "port": .number(0), "maxConnections": .number(256), "openEndpoints": .array([.string("healthz")]),
                "tokens": .array([.object([
                    "name": .string("bench"), "token": .string(token),
                    "scopes": .array([.string("read"), .string("ingest:bench-partner")]),
                ])]),
            ]),
            "routes": .array([
                .object(["name": .string(BenchPayloads.routeName), "webhook": .object([:]),
                         "connector": .string("sensors.json"), "settings": BenchPayloads.settings]),
                .object(["name": .string("bench-partner"), "webhook": .object([:]),
                         "connector": .string("sensors.json"), "settings": BenchPayloads.settings]),
            ]),
        ]), environment: [:], catalog: .compiledIn)
        let runtime = try Hub(configuration: configuration,
                                     logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()))
        try runtime.start()
        defer { runtime.stop() }
        let base = "http://127.0.0.1:\(runtime.httpPort ?? 0)"

        let scripts = workDirectory.appendingPathComponent("wrk")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        let ingestScript = scripts.appendingPathComponent("ingest.lua")
        try Data("""
            local counter = 0
            local id = 0
            local threads = 0
            function setup(thread) threads = threads + 1; thread:set("id", threads) end
            function init(args) math.randomseed(os.time() * 1000 + id); counter = 0 end
            request = function()
              counter = counter + 1
              local body = string.format('{"device":"wrk-%d","observedAt":"2026-11-22T08:%02d:%02dZ","seq":%d,"no2":%d}',
                math.random(1, 1000000000), math.random(0, 59), math.random(0, 59), counter, counter % 100)
              return wrk.format("POST", "/ingest/bench-partner",
                { ["Authorization"] = "Bearer \(token)", ["Content-Type"] = "application/json" }, body)
            end
            """.utf8).write(to: ingestScript)
        let queryScript = scripts.appendingPathComponent("query.lua")
        try Data("""
            request = function()
              local path = "/api/v1/events?limit=100&entity=urn:ngsi-ld:AirQualityObserved:bench-" .. math.random(0, \(entities - 1))
              return wrk.format("GET", path, { ["Authorization"] = "Bearer \(token)" })
            end
            """.utf8).write(to: queryScript)

        let query = try wrk(["-t\(wrkThreads)", "-c16", "-d\(seconds)s", "--latency", "-s", queryScript.path, base])
        let none = Load(rate: 0, p50: 0, p99: 0, failures: 0)
        if onlyQuery {
            return Result(floor: none, ingest: none, storeEvents: try runtime.store.eventCount(), query: query, querySingle: none,
                          direct: none, queryOneConnection: none, fillSeconds: nil)
        }
        let floor = try wrk(["-t\(wrkThreads)", "-c16", "-d\(seconds)s", "--latency", "\(base)/healthz"])
        let ingest = try wrk(["-t\(wrkThreads)", "-c16", "-d\(seconds)s", "--latency", "-s", ingestScript.path, base])
        let querySingle = try wrk(["-t1", "-c1", "-d\(seconds)s", "--latency", "-s", queryScript.path, base])

        // The same query on the store, in-process, one at a time.
        var latencies: [Double] = []
        let started = DispatchTime.now()
        for _ in 0..<2000 {
            var filter = EventFilter()
            filter.entity = "urn:ngsi-ld:AirQualityObserved:bench-\(Int.random(in: 0..<entities))"
            let begin = DispatchTime.now()
            _ = try runtime.store.eventRecords(matching: filter, before: nil, limit: 100)
            latencies.append(DecodeBenchmark.seconds(since: begin) * 1000)
        }
        let total = DecodeBenchmark.seconds(since: started)
        latencies.sort()
        let direct = Load(rate: Double(latencies.count) / total, p50: latencies[latencies.count / 2],
                          p99: latencies[latencies.count * 99 / 100], failures: 0)
        return Result(floor: floor, ingest: ingest, storeEvents: try runtime.store.eventCount(), query: query,
                      querySingle: querySingle, direct: direct, queryOneConnection: none, fillSeconds: nil)
    }

    /// Writes `events` readings of `entities` devices through `Store.write` in batches of 50,000
    /// (the bulk path: one transaction each, roll-ups included), unless the file already holds that
    /// many; returns how long it took, nil when there was nothing to write.
    private static func fillStore(path: String, events count: Int) throws -> Double? {
        let store = try SQLiteStore(path: path, logger: Logger(label: "bench.store", level: .warning, sink: StandardErrorLogSink()))
        defer { try? store.close() }
        let existing = try store.eventCount()
        guard existing < count else { return nil }
        let began = DispatchTime.now()
        Output.error("  filling \(path) with \(count) events (kept for later runs) ...")
        let start = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
        var batch: [Event] = []
        batch.reserveCapacity(50_000)
        let progress = ProgressReporter(label: "  filling the store", total: count - existing, unit: "events")
        defer { progress.finish() }
        for index in existing..<count {
            let device = index % entities
            let location = GeoPoint(latitude: 45.70 + Double(device % 100) / 1000, longitude: 4.80 + Double(device / 100) / 1000)
            batch.append(Event(
                type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:bench-\(device)",
                observedAt: start.adding(microseconds: Int64(index) * 1000), receivedAt: start.adding(microseconds: Int64(index) * 1000),
                route: BenchPayloads.routeName, location: location,
                attributes: ["no2": .number(Double(index % 997) / 4, unit: "GQ"), "temperature": .number(Double(index % 400) / 10, unit: "CEL")]))
            if batch.count == 50_000 {
                try store.write(events: batch, deadLetters: [])
                // Checkpoint between batches, with no writer running: the log is then reused instead of
                // growing for as long as writes never pause (the background checkpoint cannot finish then).
                try store.checkpoint()
                batch.removeAll(keepingCapacity: true)
                progress.update(done: index + 1 - existing)
            }
        }
        try store.write(events: batch, deadLetters: [])
        try store.checkpoint()
        return DecodeBenchmark.seconds(since: began)
    }

    /// Runs wrk and reads its requests per second, median and 99th percentile latency (ms), and
    /// non-2xx answers; the hub's CPU per request is this process's CPU time over the run (wrk is
    /// a child process: its time is not counted) divided by the requests wrk completed.
    private static func wrk(_ arguments: [String]) throws -> Load {
        let cpuBefore = processCPUSeconds()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cpu = processCPUSeconds() - cpuBefore
        guard process.terminationStatus == 0 else { throw BenchError("wrk \(arguments.joined(separator: " ")) failed: \(text)") }
        func value(after label: String) -> String? {
            text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(label.count).trimmingCharacters(in: .whitespaces) }
        }
        func milliseconds(_ text: String?) -> Double {
            guard let text else { return .nan }
            for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(unit) {
                return (Double(text.dropLast(unit.count)) ?? .nan) * factor
            }
            return .nan
        }
        guard let rate = value(after: "Requests/sec:").flatMap(Double.init) else { throw BenchError("wrk printed no rate: \(text)") }
        let failures = value(after: "Non-2xx or 3xx responses:").flatMap(Int.init) ?? 0
        // "  123456 requests in 10.00s, 4.10GB read"
        let requests = text.split(separator: "\n").lazy.compactMap { line -> Int? in
            let words = line.split(separator: " ")
            return words.count > 2 && words[1] == "requests" && words[2] == "in" ? Int(words[0]) : nil
        }.first
        return Load(rate: rate, p50: milliseconds(value(after: "50%")), p99: milliseconds(value(after: "99%")), failures: failures,
                    cpuPerRequest: requests.flatMap { $0 > 0 ? cpu * 1e6 / Double($0) : nil })
    }

    /// The CPU time (user + system) this process's threads have used, in seconds.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .nan }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
