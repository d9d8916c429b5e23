import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HubCommandLine
import HubCore
import HubMQTT
import HubPostgres
import HubRuntime
import HubServices
import HubTesting

/// `hub bench fleet`: the same MQTT load as `hub bench compare` (QoS 1 readings of 500 devices,
/// published as fast as the broker acknowledges them) to one `hub run` on SQLite, one on
/// PostgreSQL, and two on PostgreSQL sharing the subscription (`mqtt.shareGroup`), in alternating
/// rounds on one broker and one PostgreSQL server: what switching engines costs, and whether a
/// second hub adds throughput on this machine.
enum FleetBenchmark {
    /// How one round's subjects are set up.
    enum Subject: CaseIterable {
        case sqlite, postgres, twoOnPostgres

        var title: String {
            switch self {
            case .sqlite: "one hub, SQLite"
            case .postgres: "one hub, PostgreSQL"
            case .twoOnPostgres: "two hubs, PostgreSQL, one shared subscription"
            }
        }

        var hubCount: Int { self == .twoOnPostgres ? 2 : 1 }
    }

    /// What one subject did in one round.
    struct Round {
        /// Readings stored per second, from the first publish to the last one stored.
        var rate: Double
        /// CPU seconds (user + system) of the hubs together.
        var cpuSeconds: Double
        /// CPU seconds of the PostgreSQL server's processes, when it was started for the run.
        var databaseCPUSeconds: Double?
        /// How many readings each hub stored (each hub's share).
        var shares: [Int]
    }

    /// Every round of every subject.
    struct Result {
        var messages: Int
        var rounds: [Subject: [Round]]

        func median(_ subject: Subject) -> Round {
            let sorted = (rounds[subject] ?? []).sorted { $0.rate < $1.rate }
            return sorted[sorted.count / 2]
        }
    }

    /// Runs `rounds` rounds of the three subjects on the broker at `port` and the PostgreSQL
    /// server at `postgresURL`, or one started for the run with the server's default durability
    /// (`fsync` and `synchronous_commit` on); a database per round is created there and dropped after.
    static func run(messages: Int, rounds: Int, port: Int, postgresURL: String?, hub: URL, workDirectory: URL) throws -> Result {
        let server = postgresURL == nil ? try PostgresServer(settings: ["fsync=on", "synchronous_commit=on"]) : nil
        defer { server?.shutDown() }
        let postmaster = server.flatMap { try? String(contentsOf: $0.directory.appendingPathComponent("data/postmaster.pid"), encoding: .utf8) }
            .flatMap { $0.split(separator: "\n").first }.flatMap { Int32($0) }
        guard let postgresURL = postgresURL ?? server?.url(database: "postgres") else { throw BenchError("no PostgreSQL") }
        let publisher = try MQTTClient(
            options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "bench-fleet-pub-\(getpid())", cleanSession: true,
                                       maxInflightMessages: 1000),
            logger: Logger(label: "bench.publisher", level: .warning, sink: StandardErrorLogSink()))
        try publisher.start()
        defer { publisher.stop() }
        guard publisher.waitUntilConnected(timeout: .seconds(10)) else { throw BenchError("no broker answers on 127.0.0.1:\(port)") }
        let admin = try PostgresConnection(url: postgresURL)
        defer { admin.close() }
        var result = Result(messages: messages, rounds: [:])
        for round in 1...rounds {
            for subject in Subject.allCases {
                let measured = try measure(subject, messages: messages, round: round, port: port, postgres: admin, postmaster: postmaster,
                                           postgresURL: postgresURL, hub: hub, publisher: publisher, workDirectory: workDirectory)
                result.rounds[subject, default: []].append(measured)
            }
        }
        return result
    }

    /// The table, with the ratios the issue asks for.
    static func table(_ result: Result) -> String {
        var rows = [["MQTT QoS 1, \(result.messages) readings of \(IngestComparison.devices) devices, median round", "stored/s",
                     "hub CPU µs per message", "PostgreSQL CPU µs per message", "shares", "rounds (stored/s)"]]
        for subject in Subject.allCases {
            let median = result.median(subject)
            rows.append([subject.title, String(Int(median.rate.rounded())),
                         String(format: "%.0f", median.cpuSeconds * 1e6 / Double(result.messages)),
                         subject == .sqlite ? "-" : median.databaseCPUSeconds.map { String(format: "%.0f", $0 * 1e6 / Double(result.messages)) } ?? "?",
                         median.shares.map(String.init).joined(separator: " + "),
                         (result.rounds[subject] ?? []).map { String(Int($0.rate.rounded())) }.joined(separator: ", ")])
        }
        let sqlite = result.median(.sqlite).rate, postgres = result.median(.postgres).rate, pair = result.median(.twoOnPostgres).rate
        return TextTable.render(rows) + "\n"
            + String(format: "PostgreSQL / SQLite %.2f; two hubs / one (both on PostgreSQL) %.2f", postgres / sqlite, pair / postgres)
    }

    private static func measure(_ subject: Subject, messages: Int, round: Int, port: Int, postgres admin: PostgresConnection, postmaster: Int32?,
                                postgresURL: String, hub: URL, publisher: MQTTClient, workDirectory: URL) throws -> Round {
        let directory = workDirectory.appendingPathComponent("fleet")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = "fleet_\(getpid())_\(round)_\(subject.hubCount)"
        var databaseURL: String?
        if subject != .sqlite {
            try admin.execute("CREATE DATABASE \(database)")
            databaseURL = replacingDatabase(in: postgresURL, with: database)
        }
        defer { if subject != .sqlite { _ = try? admin.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)") } }
        var hubs: [(process: Process, name: String, clientID: String, metricsPort: Int)] = []
        defer {
            for hub in hubs {
                IngestComparison.stop(hub.process)
                MQTTBenchmark.discardSession(clientID: hub.clientID, host: "127.0.0.1", port: port)
            }
        }
        for index in 0..<subject.hubCount {
            let name = "bench-\(index == 0 ? "a" : "b")"
            let clientID = "bench-fleet-\(getpid())-\(round)-\(name)"
            let store = databaseURL.map { #""postgres": { "url": "\#($0)" }, "path": "\#(directory.path)/\#(name)""# }
                ?? #""path": "\#(directory.path)/events.db""#
            let configuration = directory.appendingPathComponent("\(name).json")
            let metricsPort = try MosquittoBroker.freeLoopbackPort()
            try Data("""
                { "hub": { "name": "\(name)" },
                  "http": { "address": "127.0.0.1", "port": \(metricsPort), "openEndpoints": ["metrics"], "tokens": [] },
                  "store": { \(store) },
                  "mqtt": { "host": "127.0.0.1", "port": \(port), "clientId": "\(clientID)"\(subject == .twoOnPostgres ? #", "shareGroup": "bench""# : "") },
                  \(IngestComparison.routesJSON) }
                """.utf8).write(to: configuration)
            let process = try IngestComparison.runHub(hub, configuration: configuration, log: directory.appendingPathComponent("\(name).log"))
            hubs.append((process, name, clientID, metricsPort))
        }
        let ports = hubs.map(\.metricsPort)
        // Every hub subscribed once each has stored a probe (a shared subscription hands the probes
        // round robin, so probes, each of its own device, are sent until every hub has stored one).
        var probes = 0
        guard MQTTBenchmark.waitUntil(timeout: 60, {
            probes += 1
            let probe = Data(#"{"device":"probe-\#(probes)","ts":1700000000,"pm25":1,"no2":1}"#.utf8)
            _ = try? publisher.publish(topic: "city/sensors/probe-\(probes)/attrs", payload: probe, qos: 1)
            return MQTTBenchmark.waitUntil(timeout: 0.2) { ports.allSatisfy { (storedEvents(metricsPort: $0) ?? 0) > 0 } }
        }) else { throw BenchError("the hubs did not all store a probe within 60 s (see \(directory.path))") }
        func total() -> Int { ports.reduce(0) { $0 + (storedEvents(metricsPort: $1) ?? 0) } }
        let before = ports.map { storedEvents(metricsPort: $0) ?? 0 }
        let cpuBefore = hubs.map { IngestComparison.cpuSeconds(of: $0.process.processIdentifier) }.reduce(0, +)
        let databaseBefore = postmaster.map(serverCPUSeconds)
        let seconds = try IngestComparison.publishAndWait(messages: messages, publisher: publisher) {
            total() >= before.reduce(0, +) + messages
        }
        let cpu = hubs.map { IngestComparison.cpuSeconds(of: $0.process.processIdentifier) }.reduce(0, +) - cpuBefore
        let databaseCPU = postmaster.map(serverCPUSeconds).flatMap { after in databaseBefore.map { after - $0 } }
        let shares = zip(ports, before).map { (storedEvents(metricsPort: $0) ?? 0) - $1 }
        return Round(rate: Double(messages) / seconds, cpuSeconds: cpu, databaseCPUSeconds: databaseCPU, shares: shares)
    }

    /// `url` naming `database` instead of its own.
    static func replacingDatabase(in url: String, with database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }

    /// What a hub's `/metrics` says it stored on its route, nil while it does not answer.
    static func storedEvents(metricsPort port: Int) -> Int? {
        guard let url = URL(string: "http://127.0.0.1:\(port)/metrics"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix("hub_route_events_stored_total{") && $0.contains("route=\"air\"") }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }.map { Int($0) }
    }

    /// CPU seconds (user + system) of the PostgreSQL server `postmaster` and its live processes
    /// (the hubs' backends, the writer, the WAL writer, the checkpointer).
    static func serverCPUSeconds(postmaster: Int32) -> Double {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).reduce(0.0) { total, pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return total }
            // After the command's closing parenthesis: the state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard pid == postmaster || (fields.count > 1 && Int32(fields[1]) == postmaster) else { return total }
            return total + (ProcessMetrics.cpuSeconds(inStat: stat) ?? 0)
        }
    }
}
