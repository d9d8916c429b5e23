import Foundation
import HubCommandLine
import HubCore
import HubServices

/// `hub bench`: measures the hub beside its baselines in one run and prints a table with ratios.
enum BenchCommand {
    static func run(_ words: [String]) throws -> Int32 {
        // The benchmark is named by the first word that is not an option (`scripts/bench` puts its
        // own options first); the options `scripts/bench` passes are accepted by every benchmark.
        let arguments = try Arguments(words)
        let common: Set<String> = ["mqtt-host", "mqtt-port", "work-dir", "python"]
        if arguments.positionals == ["retention"] {
            try arguments.rejectUnknownOptions(common.union(["expired", "seconds", "rate", "batch-size", "batch-delay-ms"]))
            LoggingSystem.bootstrap(level: .warning)
            var setup = RetentionBenchmark.Setup()
            setup.expired = try integer(arguments, "expired", setup.expired)
            setup.seconds = try integer(arguments, "seconds", setup.seconds)
            setup.rate = try integer(arguments, "rate", setup.rate)
            setup.batchSize = try integer(arguments, "batch-size", setup.batchSize)
            setup.batchDelayMs = try integer(arguments, "batch-delay-ms", setup.batchDelayMs)
            let result = try RetentionBenchmark.run(setup, workDirectory: URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory()))
            Output.line(RetentionBenchmark.table(result))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["compare"] {
            try arguments.rejectUnknownOptions(common.union(["messages", "rounds"]))
            LoggingSystem.bootstrap(level: .warning)
            guard let python = arguments.option("python") ?? ProcessInfo.processInfo.environment["HUB_PYTHON"] else {
                throw UsageError("hub bench compare needs --python: a Python with paho-mqtt (scripts/bench installs it)")
            }
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try IngestComparison.run(messages: try integer(arguments, "messages", 100_000), rounds: try integer(arguments, "rounds", 3),
                                                  port: try integer(arguments, "mqtt-port", 1883), python: python, hub: try hubExecutable(),
                                                  workDirectory: workDirectory)
            Output.line(IngestComparison.table(result))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["fleet"] {
            try arguments.rejectUnknownOptions(common.union(["messages", "rounds", "postgres-url"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try FleetBenchmark.run(messages: try integer(arguments, "messages", 100_000), rounds: try integer(arguments, "rounds", 3),
                                                port: try integer(arguments, "mqtt-port", 1883), postgresURL: arguments.option("postgres-url"),
                                                hub: try hubExecutable(), workDirectory: workDirectory)
            Output.line(FleetBenchmark.table(result))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["latency"] {
            try arguments.rejectUnknownOptions(common.union(["rate", "seconds", "rounds", "batch-size", "batch-delay-ms"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            // Without --batch-size / --batch-delay-ms the hub's own defaults apply.
            let batching = MQTTBenchmark.Batching(size: arguments.option("batch-size") == nil ? nil : try integer(arguments, "batch-size", 0),
                                                  delayMs: arguments.option("batch-delay-ms") == nil ? nil : try integer(arguments, "batch-delay-ms", 0))
            let runs = try MQTTBenchmark.runPaced(rate: try integer(arguments, "rate", 10_000), seconds: try integer(arguments, "seconds", 10),
                                                  rounds: try integer(arguments, "rounds", 1), batching: batching,
                                                  host: arguments.option("mqtt-host") ?? "127.0.0.1",
                                                  port: try integer(arguments, "mqtt-port", 1883), workDirectory: workDirectory)
            func ms(_ value: MQTTBenchmark.Percentiles) -> String { String(format: "%.1f / %.1f / %.1f / %.0f", value.p50, value.p90, value.p99, value.max) }
            Output.line(TextTable.render([["round (batch size \(batching.size.map(String.init) ?? "default"), delay \(batching.delayMs.map { "\($0) ms" } ?? "default"))",
                                           "published/s", "stored/s", "publish -> commit p50/p90/p99/max ms", "publish -> receipt", "receipt -> commit",
                                           "commits", "mean commit ms"]]
                + runs.enumerated().map { index, paced in
                    [String(index + 1), String(format: "%.0f", paced.run.publishedRate), String(format: "%.0f", paced.run.rate), ms(paced.run.latency),
                     ms(paced.run.brokerHop), ms(paced.run.inHub), String(paced.run.commits), String(format: "%.2f", paced.run.meanCommit)]
                }))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["http"] {
            try arguments.rejectUnknownOptions(common.union(["http-events", "http-seconds", "wrk-threads", "read-connections"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let http = try HTTPBenchmark.run(storeEvents: Int(arguments.option("http-events") ?? "5000000") ?? 5_000_000,
                                             seconds: Int(arguments.option("http-seconds") ?? "10") ?? 10,
                                             wrkThreads: try integer(arguments, "wrk-threads", 2),
                                             readConnections: try integer(arguments, "read-connections", 4), workDirectory: workDirectory)
            Output.line(TextTable.render([["measure", "hub", "baseline", "ratio"]] + queryRows(http)))
            if let fill = http.fillSeconds {
                Output.line(String(format: "filled the store with %d events in %.0f s (%.0f events/s)", http.storeEvents, fill, Double(http.storeEvents) / fill))
            }
            return 0
        }
        if arguments.positionals == ["rollups"] {
            try arguments.rejectUnknownOptions(common.union(["events"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try RollupBenchmark.run(events: Int(arguments.option("events") ?? "500000") ?? 500_000, workDirectory: workDirectory)
            Output.line(TextTable.render([
                ["commits of 500 events, 3 numeric attributes each (\(result.events) events)", "events/s", "commit p50", "commit p99"],
                ["with roll-ups", String(Int(result.with.rate.rounded())), String(format: "%.2f ms", result.with.p50), String(format: "%.2f ms", result.with.p99)],
                ["without roll-ups", String(Int(result.without.rate.rounded())), String(format: "%.2f ms", result.without.p50),
                 String(format: "%.2f ms", result.without.p99)],
            ]))
            return 0
        }
        if arguments.positionals == ["postgres"] {
            try arguments.rejectUnknownOptions(common.union(["events", "batch-size", "postgres-url"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try PostgresBenchmark.run(events: try integer(arguments, "events", 100_000), batchSize: try integer(arguments, "batch-size", 4000),
                                                   url: arguments.option("postgres-url"), workDirectory: workDirectory)
            func row(_ name: String, _ load: PostgresBenchmark.Load) -> [String] {
                [name, String(Int(load.rate.rounded())), String(format: "%.1f ms", load.p50), String(format: "%.1f ms", load.p99)]
            }
            Output.line(TextTable.render([
                ["Store.write, \(result.events) sensor events in batches of \(result.batchSize), 2 rounds", "events/s", "commit p50", "commit p99"],
                row("SQLiteStore", result.sqlite), row("PostgresStore (\(result.server))", result.postgres),
            ]))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["alarms"] {
            try arguments.rejectUnknownOptions(common.union(["events"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try AlarmBenchmark.run(events: Int(arguments.option("events") ?? "200000") ?? 200_000, workDirectory: workDirectory)
            Output.line(AlarmBenchmark.table(result))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["deliveries"] {
            try arguments.rejectUnknownOptions(common.union(["events"]))
            LoggingSystem.bootstrap(level: .warning)
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            let result = try DeliveryBenchmark.run(events: Int(arguments.option("events") ?? "200000") ?? 200_000, workDirectory: workDirectory)
            Output.line(DeliveryBenchmark.table(result))
            Output.line(machineLine())
            return 0
        }
        if arguments.positionals == ["decode"] {
            try arguments.rejectUnknownOptions(common.union(["events"]))
            LoggingSystem.bootstrap(level: .warning)
            let events = Int(arguments.option("events") ?? "200000") ?? 200_000
            let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
            let decode = try DecodeBenchmark.run(events: events, workDirectory: workDirectory)
            Output.line(String(format: "1. decode + persist: %d sensors.json readings: hub %.0f events/s, bare insert %.0f rows/s, ratio %.2f",
                               events, decode.hubRate, decode.baselineRate, decode.hubRate / decode.baselineRate))
            return 0
        }
        try arguments.rejectUnknownOptions(["events", "messages", "mqtt-host", "mqtt-port", "work-dir", "gtfs-entities", "python", "invoices", "invoice-fixtures",
                                            "http-events", "http-seconds", "validations", "paced-rate", "paced-seconds", "retention-expired"])
        let python = arguments.option("python") ?? ProcessInfo.processInfo.environment["HUB_PYTHON"]
        // `hub bench validation`: row 8 alone.
        if arguments.positionals == ["validation"] { return try ValidationBenchmark.command(arguments, python: python) }
        guard arguments.positionals.isEmpty || arguments.positionals == ["gtfs"] else {
            throw UsageError("unknown benchmark \"\(arguments.positionals[0])\"; hub bench [compare|fleet|decode|latency|retention|gtfs|validation|http|rollups|alarms|deliveries|postgres] [options]")
        }
        let events = Int(arguments.option("events") ?? "200000") ?? 200_000
        let messages = Int(arguments.option("messages") ?? "50000") ?? 50_000
        let host = arguments.option("mqtt-host") ?? "127.0.0.1"
        let port = Int(arguments.option("mqtt-port") ?? "1883") ?? 1883
        let workDirectory = URL(fileURLWithPath: arguments.option("work-dir") ?? NSTemporaryDirectory())
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        LoggingSystem.bootstrap(level: .warning)
        if arguments.positionals.first == "gtfs" {
            // `hub bench gtfs`: row 4 alone, GTFS-RT decode to events beside the Python bindings.
            let entities = max(Int(arguments.option("gtfs-entities") ?? "40000") ?? 40_000, 20_000)
            let gtfs = try GTFSRealtimeBenchmark.run(entities: entities, python: arguments.option("python"), workDirectory: workDirectory)
            let baseline = gtfs.baselineRate.map { String(format: "%.0f/s, ratio %.2f", $0, gtfs.hubRate / $0) } ?? "not measured (no --python)"
            Output.line(String(format: "4. GTFS-RT decode -> events, %d entities: hub %.0f/s (wire only %.0f/s), gtfs-realtime-bindings ",
                               entities, gtfs.hubRate, gtfs.wireRate) + baseline)
            return 0
        }

        Output.error("decode+persist: \(events) sensors.json readings ...")
        let decode = try DecodeBenchmark.run(events: events, workDirectory: workDirectory)
        Output.error("decode+persist: \(events / 2) messages of hub simulate's six sensor formats ...")
        let sensors = try SensorsBenchmark.run(messages: events / 2, workDirectory: workDirectory)
        let pacedRate = try integer(arguments, "paced-rate", 10_000)
        Output.error("MQTT end to end: \(messages) QoS 1 messages through \(host):\(port), then \(pacedRate)/s ...")
        let mqtt = try MQTTBenchmark.run(messages: messages, host: host, port: port, workDirectory: workDirectory,
                                         pacedRate: pacedRate, pacedSeconds: try integer(arguments, "paced-seconds", 5))
        let gtfsEntities = max(Int(arguments.option("gtfs-entities") ?? "40000") ?? 40_000, 20_000)
        Output.error("GTFS-RT decode: \(gtfsEntities) entities ...")
        let gtfs = try GTFSRealtimeBenchmark.run(entities: gtfsEntities, python: arguments.option("python"), workDirectory: workDirectory)

        let invoiceCount = Int(arguments.option("invoices") ?? "5000") ?? 5000
        let invoiceFixtures = URL(fileURLWithPath: arguments.option("invoice-fixtures") ?? "Tests/EInvoicingPluginTests/Fixtures")
        Output.error("invoices: about \(invoiceCount) UBL and CII parse+check runs ...")
        let invoices = try InvoiceBenchmark.run(invoices: invoiceCount, fixtures: invoiceFixtures)
        let validations = Int(arguments.option("validations") ?? "150") ?? 150
        Output.error("EN 16931 validation: hub and official XSLT, 3 rounds of about \(validations) invoices ...")
        let validation = try ValidationBenchmark.run(validations: validations, fixtures: invoiceFixtures, python: python)

        let httpEvents = Int(arguments.option("http-events") ?? "5000000") ?? 5_000_000
        let httpSeconds = Int(arguments.option("http-seconds") ?? "10") ?? 10
        var retentionSetup = RetentionBenchmark.Setup()
        retentionSetup.expired = try integer(arguments, "retention-expired", retentionSetup.expired)
        Output.error("retention: a sweep of \(retentionSetup.expired) expired events while \(retentionSetup.rate) readings/s arrive ...")
        let retention = try RetentionBenchmark.run(retentionSetup, workDirectory: workDirectory)

        Output.error("HTTP: webhook ingest and GET /api/v1/events over \(httpEvents) events, wrk \(httpSeconds) s each ...")
        let http = try HTTPBenchmark.run(storeEvents: httpEvents, seconds: httpSeconds, workDirectory: workDirectory)

        func rate(_ value: Double) -> String { String(Int(value.rounded())) + "/s" }
        func ratio(_ value: Double) -> String { String(format: "%.2f", value) }
        Output.line(TextTable.render([
            ["measure", "hub", "baseline", "ratio"],
            ["1. decode+persist, sensors.json -> SQLite (\(decode.events) events)", rate(decode.hubRate),
             rate(decode.baselineRate) + " (sqlite3 C API, same rows)", ratio(decode.hubRate / decode.baselineRate)],
            ["2. MQTT QoS 1 end to end (\(mqtt.messages) messages)", rate(mqtt.hubRate),
             rate(mqtt.subscriberRate) + " (mosquitto_sub)", ratio(mqtt.hubRate / mqtt.subscriberRate)],
            ["   publish -> commit latency, publisher flat out", String(format: "p50 %.0f ms, p99 %.0f ms", mqtt.saturatedLatency.p50, mqtt.saturatedLatency.p99), "", ""],
            ["   publish -> commit latency at \(mqtt.paced.rate) messages/s (\(mqtt.paced.messages) messages; target p99 <= 50 ms)",
             String(format: "p50 %.1f ms, p99 %.1f ms (published %.0f/s)", mqtt.paced.run.latency.p50, mqtt.paced.run.latency.p99, mqtt.paced.run.publishedRate),
             "", ""],
            ["3. decode+persist, six sensor formats -> Smart Data Models, SQLite (\(sensors.events) messages)", rate(sensors.hubRate),
             rate(sensors.baselineRate) + " (sqlite3 C API, same rows)", ratio(sensors.hubRate / sensors.baselineRate)],
            ["4. GTFS-RT decode -> events (\(gtfs.entities) entities, \(gtfs.bytes >> 10) KiB)", rate(gtfs.hubRate),
             gtfs.baselineRate.map { rate($0) + " (gtfs-realtime-bindings, parse+walk)" } ?? "not measured: no --python",
             gtfs.baselineRate.map { ratio(gtfs.hubRate / $0) } ?? ""],
            ["   GTFS-RT wire -> feed model only (no events)", rate(gtfs.wireRate), "", gtfs.baselineRate.map { ratio(gtfs.wireRate / $0) } ?? ""],
            ["5. invoices parse+check, CII (\(invoices.ciiFiles) files)", rate(invoices.ciiRate),
             invoices.baselineRate.map { rate($0) + " (Python factur-x XSD check)" } ?? "-",
             invoices.baselineRate.map { ratio(invoices.ciiRate / $0) } ?? "-"],
            ["   invoices parse+check, UBL (\(invoices.ublFiles) files)", rate(invoices.ublRate), invoices.baselineNote, ""],
            ["6. webhook ingest, 202 after commit (wrk, 16 connections)", rate(http.ingest.rate) + String(format: " (p50 %.1f ms, p99 %.1f ms)", http.ingest.p50, http.ingest.p99)
                + (http.ingest.failures > 0 ? ", \(http.ingest.failures) non-2xx" : ""),
             rate(http.floor.rate) + String(format: " GET /healthz (p50 %.2f ms, p99 %.2f ms)", http.floor.p50, http.floor.p99),
             ratio(http.ingest.rate / http.floor.rate)],
        ] + queryRows(http) + [ValidationBenchmark.row(validation)] + [
            ["9. commit p99 while retention deletes \(retention.setup.expired) expired events, readings at \(retention.setup.rate)/s (target ratio <= 2)",
             String(format: "%.1f ms (p50 %.1f ms; sweep %.0f events/s)", retention.during.commit.p99, retention.during.commit.p50,
                    Double(retention.sweptEvents) / max(retention.sweepSeconds, 0.001)),
             String(format: "%.1f ms: the same commits before the sweep (%.1f ms after it)", retention.before.commit.p99, retention.after.commit.p99),
             ratio(retention.ratio)],
        ]))
        for line in validation.disagreements { Output.line("  row 8, verdicts differ: \(line)") }
        Output.line(machineLine())
        return 0
    }

    /// The `hub` executable built beside this one (`compare` and `fleet` run it).
    private static func hubExecutable() throws -> URL {
        let hub = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("hub")
        guard FileManager.default.isExecutableFile(atPath: hub.path) else {
            throw BenchError("no hub executable at \(hub.path): build it (swift build -c release --product hub)")
        }
        return hub
    }

    /// The machine, the time and its load average: figures on a shared machine mean little without them.
    private static func machineLine() -> String {
        var load = [Double](repeating: 0, count: 3)
        let loads = getloadavg(&load, 3) == 3 ? String(format: "%.2f, %.2f, %.2f", load[0], load[1], load[2]) : "unknown"
        return "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; "
            + "at \(Timestamp.now().iso8601.prefix(16))Z; load average \(loads)"
    }

    /// The integer option `name`, `fallback` when absent; a usage error when it is not a positive integer.
    private static func integer(_ arguments: Arguments, _ name: String, _ fallback: Int) throws -> Int {
        guard let text = arguments.option(name) else { return fallback }
        guard let value = Int(text), value > 0 else { throw UsageError("--\(name) takes a positive integer, not \"\(text)\"") }
        return value
    }

    /// Row 7: the events query for one entity under wrk, beside the same query in-process, one
    /// client, and 16 clients on one read connection.
    private static func queryRows(_ http: HTTPBenchmark.Result) -> [[String]] {
        func rate(_ value: Double) -> String { String(Int(value.rounded())) + "/s" }
        func ratio(_ value: Double) -> String { String(format: "%.2f", value) }
        func latency(_ load: HTTPBenchmark.Load) -> String {
            String(format: " (p50 %.2f ms, p99 %.2f ms", load.p50, load.p99) + (load.cpuPerRequest.map { String(format: "; hub CPU %.0f µs/request", $0) } ?? "")
                + ")" + (load.failures > 0 ? ", \(load.failures) non-2xx" : "")
        }
        return [
            ["7. GET /api/v1/events?entity=...&limit=100 over \(http.storeEvents) events (wrk, 16 connections, \(http.readConnections) read connections)",
             rate(http.query.rate) + latency(http.query),
             rate(http.direct.rate) + String(format: " same query in-process, 1 thread (p50 %.2f ms, p99 %.2f ms)", http.direct.p50, http.direct.p99),
             ratio(http.query.rate / http.direct.rate)],
            ["   the same, 16 connections, one read connection", rate(http.queryOneConnection.rate) + latency(http.queryOneConnection),
             "", ratio(http.queryOneConnection.rate / http.direct.rate)],
            ["   the same, one client (wrk -c1)", rate(http.querySingle.rate) + latency(http.querySingle),
             "", ratio(http.querySingle.rate / http.direct.rate)],
        ]
    }
}
