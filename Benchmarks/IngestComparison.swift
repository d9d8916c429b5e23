import CSQLite
import Foundation
import HubCommandLine
import HubCore
import HubMQTT
import HubRuntime
import HubServices

/// `hub bench compare`: the same MQTT load fed, in alternating rounds on one broker, to the `hub`
/// executable, to a paho-mqtt + sqlite3 Python ingester (`paho_ingest.py`) and to `mosquitto_sub`
/// (the most one subscriber gets from this broker), with the hub's CPU per message, peak resident
/// memory and bytes per event on disk: the project's own copy of the comparison its README's
/// "Speed" section opens with.
///
/// The load: `messages` QoS 1 JSON readings of 500 air-quality devices, each on its device's topic
/// (`city/sensors/aq-NNN/attrs`), observed one second apart, published as fast as the broker
/// acknowledges them (at most 1,000 in flight).
enum IngestComparison {
    /// What one subject did in one round.
    struct Round {
        /// Messages stored (or received, for `mosquitto_sub`) per second, from the first publish to the last one stored.
        var rate: Double
        /// The hub and the paho ingester: CPU seconds (user + system) spent from its subscription to its last commit.
        var cpuSeconds = 0.0
        /// The hub only: the same CPU seconds by what its threads do (`ThreadRole`).
        var cpuSecondsByRole: [ThreadRole: Double] = [:]
        /// The hub only: its peak resident memory, bytes.
        var peakResidentBytes = 0
        /// The hub only: its database file after a graceful stop, bytes.
        var databaseBytes = 0
    }

    /// What a thread of the hub does, told by its name: where the CPU of a message goes.
    enum ThreadRole: String, CaseIterable {
        /// libmosquitto's network thread ("mosquitto loop"): its reads, PUBACK writes and `select`, and
        /// the hub's hand-over of each message (journal, route queue).
        case network
        /// The route workers ("route <name>"): decoding, events made.
        case routes
        /// The batch writer ("hub writer"): SQLite and the folds of each commit.
        case writer
        /// Every other thread (checkpointer, timers, the main thread).
        case other

        init(threadName: Substring) {
            switch threadName {
            case "mosquitto loop": self = .network
            case "hub writer": self = .writer
            case let name where name.hasPrefix("route "): self = .routes
            default: self = .other
            }
        }
    }

    /// Medians of the rounds, and the rounds themselves.
    struct Result {
        var messages: Int
        var hub: [Round]
        var paho: [Round]
        var subscriber: [Round]

        static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var hubRate: Double { Self.median(hub.map(\.rate)) }
        var pahoRate: Double { Self.median(paho.map(\.rate)) }
        var subscriberRate: Double { Self.median(subscriber.map(\.rate)) }
        var hubMicrosecondsPerMessage: Double { Self.median(hub.map(\.cpuSeconds)) * 1e6 / Double(messages) }
        var pahoMicrosecondsPerMessage: Double { Self.median(paho.map(\.cpuSeconds)) * 1e6 / Double(messages) }
        var subscriberMicrosecondsPerMessage: Double { Self.median(subscriber.map(\.cpuSeconds)) * 1e6 / Double(messages) }
        func hubMicrosecondsPerMessage(_ role: ThreadRole) -> Double {
            Self.median(hub.map { $0.cpuSecondsByRole[role] ?? 0 }) * 1e6 / Double(messages)
        }
        var hubPeakResidentBytes: Double { Self.median(hub.map { Double($0.peakResidentBytes) }) }
        var hubBytesPerEvent: Double { Self.median(hub.map { Double($0.databaseBytes) }) / Double(messages) }
    }

    static let topicFilter = "city/sensors/+/attrs"
    static let devices = 500

    /// Runs `rounds` rounds of the three subjects, in turn, on the broker at `port`.
    static func run(messages: Int, rounds: Int, port: Int, python: String, hub: URL, workDirectory: URL) throws -> Result {
        let publisher = try MQTTClient(
            options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "bench-compare-pub-\(getpid())", cleanSession: true,
                                       maxInflightMessages: 1000),
            logger: Logger(label: "bench.publisher", level: .warning, sink: StandardErrorLogSink()))
        try publisher.start()
        defer { publisher.stop() }
        guard publisher.waitUntilConnected(timeout: .seconds(10)) else { throw BenchError("no broker answers on 127.0.0.1:\(port)") }
        var result = Result(messages: messages, hub: [], paho: [], subscriber: [])
        for round in 1...rounds {
            result.hub.append(try measureHub(messages: messages, round: round, port: port, hub: hub, publisher: publisher, workDirectory: workDirectory))
            result.paho.append(try measurePaho(messages: messages, round: round, port: port, python: python, publisher: publisher,
                                               workDirectory: workDirectory))
            result.subscriber.append(try measureSubscriber(messages: messages, round: round, port: port, publisher: publisher))
        }
        return result
    }

    /// The table row's cells, as the README's "Speed" table has them.
    static func table(_ result: Result) -> String {
        func rounds(_ values: [Round]) -> String { values.map { String(Int($0.rate.rounded())) }.joined(separator: ", ") }
        return TextTable.render([
            ["MQTT QoS 1, \(result.messages) readings of \(devices) devices, median of \(result.hub.count) rounds", "messages/s", "rounds"],
            ["the hub (`hub run`, SQLite)", String(Int(result.hubRate.rounded())), rounds(result.hub)],
            ["paho-mqtt + sqlite3 (Benchmarks/paho_ingest.py)", String(Int(result.pahoRate.rounded())), rounds(result.paho)],
            ["mosquitto_sub (the broker's limit for one subscriber)", String(Int(result.subscriberRate.rounded())), rounds(result.subscriber)],
        ]) + "\n" + String(format: "hub / mosquitto_sub %.2f, hub / paho %.2f; hub CPU %.0f µs per message (user + system; paho %.0f µs), peak RSS %.0f MiB, %.0f bytes per event on disk",
                            result.hubRate / result.subscriberRate, result.hubRate / result.pahoRate, result.hubMicrosecondsPerMessage,
                            result.pahoMicrosecondsPerMessage, result.hubPeakResidentBytes / 1_048_576, result.hubBytesPerEvent)
            + "\n" + String(format: "hub CPU by thread (µs per message, medians): network %.1f, routes %.1f, writer %.1f, other %.1f; mosquitto_sub itself %.1f",
                              result.hubMicrosecondsPerMessage(.network), result.hubMicrosecondsPerMessage(.routes),
                              result.hubMicrosecondsPerMessage(.writer), result.hubMicrosecondsPerMessage(.other),
                              result.subscriberMicrosecondsPerMessage)
    }

    // MARK: - Subjects

    private static func measureHub(messages: Int, round: Int, port: Int, hub: URL, publisher: MQTTClient, workDirectory: URL) throws -> Round {
        let directory = workDirectory.appendingPathComponent("compare-hub")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("events.db").path
        let configuration = directory.appendingPathComponent("hub.json")
        let clientID = "bench-compare-hub-\(getpid())-\(round)"
        defer { MQTTBenchmark.discardSession(clientID: clientID, host: "127.0.0.1", port: port) }
        try Data("""
            { "store": { "path": "\(database)", "synchronous": "normal" },
              "mqtt": { "host": "127.0.0.1", "port": \(port), "clientId": "\(clientID)" },
              \(routesJSON) }
            """.utf8).write(to: configuration)
        let process = try runHub(hub, configuration: configuration, log: directory.appendingPathComponent("hub.log"))
        defer { stop(process) }
        // Subscribed once a probe reading is stored (re-sent until then: the same event, stored once).
        let probe = Data(#"{"device":"probe","ts":1700000000,"pm25":1,"no2":1}"#.utf8)
        guard MQTTBenchmark.waitUntil(timeout: 30, {
            _ = try? publisher.publish(topic: "city/sensors/probe/attrs", payload: probe, qos: 1)
            return MQTTBenchmark.waitUntil(timeout: 0.2) { rowCount(database, table: "events") >= 1 }
        }) else { throw BenchError("the hub did not store a probe reading within 30 s (see \(directory.path)/hub.log)") }
        let cpuBefore = cpuSeconds(of: process.processIdentifier)
        let rolesBefore = cpuSecondsByRole(of: process.processIdentifier)
        let seconds = try publishAndWait(messages: messages, publisher: publisher) { rowCount(database, table: "events") >= messages + 1 }
        let cpu = cpuSeconds(of: process.processIdentifier) - cpuBefore
        let rolesAfter = cpuSecondsByRole(of: process.processIdentifier)
        let roles = Dictionary(uniqueKeysWithValues: ThreadRole.allCases.map { ($0, (rolesAfter[$0] ?? 0) - (rolesBefore[$0] ?? 0)) })
        let peak = peakResidentBytes(of: process.processIdentifier)
        stop(process)
        let size = ((try? FileManager.default.attributesOfItem(atPath: database))?[.size] as? Int) ?? 0
        return Round(rate: Double(messages) / seconds, cpuSeconds: cpu, cpuSecondsByRole: roles, peakResidentBytes: peak, databaseBytes: size)
    }

    private static func measurePaho(messages: Int, round: Int, port: Int, python: String, publisher: MQTTClient, workDirectory: URL) throws -> Round {
        let database = workDirectory.appendingPathComponent("compare-paho.db").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("paho_ingest.py").path
        let clientID = "bench-compare-paho-\(getpid())-\(round)"
        defer { MQTTBenchmark.discardSession(clientID: clientID, host: "127.0.0.1", port: port) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--port", String(port), "--db", database, "--topic", topicFilter, "--count", String(messages),
                             "--client-id", clientID]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { stop(process) }
        let lines = LineCounter(output.fileHandleForReading)
        guard lines.wait(forAtLeast: 1, timeout: 30) else { throw BenchError("the paho ingester did not subscribe within 30 s") }
        let cpuBefore = cpuSeconds(of: process.processIdentifier)
        let seconds = try publishAndWait(messages: messages, publisher: publisher) { rowCount(database, table: "readings") >= messages }
        return Round(rate: Double(messages) / seconds, cpuSeconds: cpuSeconds(of: process.processIdentifier) - cpuBefore)
    }

    private static func measureSubscriber(messages: Int, round: Int, port: Int, publisher: MQTTClient) throws -> Round {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mosquitto_sub", "-p", String(port), "-q", "1", "-t", topicFilter, "-i", "bench-compare-sub-\(getpid())-\(round)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { stop(process) }
        let lines = LineCounter(output.fileHandleForReading)
        // Subscribed once a probe arrives.
        let probe = Data(#"{"device":"probe"}"#.utf8)
        guard MQTTBenchmark.waitUntil(timeout: 30, {
            _ = try? publisher.publish(topic: "city/sensors/probe/attrs", payload: probe, qos: 1)
            return lines.wait(forAtLeast: 1, timeout: 0.2)
        }) else { throw BenchError("mosquitto_sub did not subscribe within 30 s") }
        let already = lines.count
        // /usr/bin/env runs mosquitto_sub in its own process: the pid is mosquitto_sub's.
        let cpuBefore = cpuSeconds(of: process.processIdentifier)
        let seconds = try publishAndWait(messages: messages, publisher: publisher) { lines.count >= already + messages || !process.isRunning }
        guard process.isRunning else { throw BenchError("mosquitto_sub stopped after \(lines.count - already) of \(messages) messages") }
        return Round(rate: Double(messages) / seconds, cpuSeconds: cpuSeconds(of: process.processIdentifier) - cpuBefore)
    }

    // MARK: - Helpers

    /// Publishes the load, then waits until `done`; the seconds from the first publish to `done`.
    static func publishAndWait(messages: Int, publisher: MQTTClient, until done: () -> Bool) throws -> Double {
        // Built before the clock starts: the publisher should cost what a C one does.
        let load = (0..<messages).map { index in
            let device = index % devices
            let payload = String(format: #"{"device":"aq-%03ld","ts":%ld,"pm25":%.2f,"no2":%.1f}"#,
                                 device, 1_763_800_000 + index, Double(index % 5000) / 100, Double(index % 800) / 10)
            return (topic: String(format: "city/sensors/aq-%03ld/attrs", device), payload: Data(payload.utf8))
        }
        let start = DispatchTime.now()
        for (index, message) in load.enumerated() {
            try publisher.publish(topic: message.topic, payload: message.payload, qos: 1)
            if index % 500 == 499 { _ = publisher.waitUntilPublishesAcknowledged(leavingAtMost: 1000, timeout: .seconds(60)) }
        }
        let deadline = Date().addingTimeInterval(600)
        while !done() {
            guard Date() < deadline else { throw BenchError("not stored within 10 minutes") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return DecodeBenchmark.seconds(since: start)
    }

    /// Rows in `table` of the database at `path`, read through a read-only connection; 0 while it
    /// or the table does not exist yet.
    static func rowCount(_ path: String, table: String) -> Int {
        var db: OpaquePointer?
        guard FileManager.default.fileExists(atPath: path), sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
            sqlite3_close(db)
            return 0
        }
        defer { sqlite3_close(db) }
        sqlite3_busy_timeout(db, 1000)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT count(*) FROM \(table)", -1, &statement, nil) == SQLITE_OK, let statement else { return 0 }
        defer { sqlite3_finalize(statement) }
        return sqlite3_step(statement) == SQLITE_ROW ? Int(sqlite3_column_int64(statement, 0)) : 0
    }

    /// The `routes` member of every configuration the ingest benchmarks give the hub: the load's
    /// readings, decoded by `sensors.json`.
    static let routesJSON = """
        "routes": [ { "name": "air", "mqtt": { "topic": "\(topicFilter)", "qos": 1 }, "connector": "sensors.json",
          "settings": { "entityType": "AirQualityObserved", "idField": "device", "timeField": "ts",
                        "timeFormat": "unix-seconds", "units": { "pm25": "GQ", "no2": "GQ" } } } ]
        """

    /// Starts `hub run` on `configuration`, its standard error written to `log`.
    static func runHub(_ hub: URL, configuration: URL, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = hub
        process.arguments = ["run", "--config", configuration.path, "--log-level", "warning"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: emptyFile(log))
        try process.run()
        return process
    }

    /// User + system CPU seconds of a running process.
    static func cpuSeconds(of pid: Int32) -> Double {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)).flatMap(ProcessMetrics.cpuSeconds(inStat:)) ?? 0
    }

    /// User + system CPU seconds of a running process's threads, summed by what they do.
    static func cpuSecondsByRole(of pid: Int32) -> [ThreadRole: Double] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var seconds: [ThreadRole: Double] = [:]
        for task in tasks {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close,
                  let cpu = ProcessMetrics.cpuSeconds(inStat: stat) else { continue }
            seconds[ThreadRole(threadName: stat[stat.index(after: open)..<close]), default: 0] += cpu
        }
        return seconds
    }

    /// A running process's peak resident memory (`VmHWM` in `/proc/PID/status`), bytes.
    private static func peakResidentBytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }

    /// Stops a process gracefully (SIGTERM) and waits for it; nothing when it already ended.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private static func emptyFile(_ url: URL) throws -> URL {
        try Data().write(to: url)
        return url
    }
}
