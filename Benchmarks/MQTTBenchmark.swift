import Foundation
import HubCommandLine
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import Synchronization

/// Benchmark 2: the same QoS 1 stream through the local broker, received once by `mosquitto_sub`
/// alone and once by the hub (decoded and committed to SQLite), with publish-to-commit latency.
enum MQTTBenchmark {
    struct Result {
        var messages: Int
        var hubRate: Double
        var subscriberRate: Double
        /// Publish-to-commit latency (ms) while the publisher sends as fast as it can: mostly queueing.
        var saturatedLatency: Percentiles
        /// The same at a steady rate: what a reading waits in normal operation.
        var paced: Paced
    }

    /// Latency percentiles in milliseconds.
    struct Percentiles {
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
            p50 = at(0.5)
            p90 = at(0.9)
            p99 = at(0.99)
            max = sorted.last ?? .nan
        }
    }

    /// One run of the hub taking the stream: its rate, its latencies and its commits.
    struct HubRun {
        /// Messages over the time from the first publish to the last commit.
        var rate: Double
        /// Messages over the time the publisher took to send them.
        var publishedRate: Double
        /// Publish -> commit, for every message.
        var latency: Percentiles
        /// Publish -> the hub's MQTT client receiving it (the broker's hop).
        var brokerHop: Percentiles
        /// The hub's client receiving it -> its batch committed (the hub's own share).
        var inHub: Percentiles
        /// Batches committed.
        var commits: Int
        /// The mean time one `Store.write` took (ms), from the hub's commit histogram.
        var meanCommit: Double
    }

    /// A steady-rate run: the rate asked for and what came of it.
    struct Paced {
        var rate: Int
        var messages: Int
        var run: HubRun
    }

    /// How the hub batches its commits in a run: nil fields leave the hub's defaults.
    struct Batching {
        var size: Int?
        var delayMs: Int?
    }

    static func run(messages count: Int, host: String, port: Int, workDirectory: URL, pacedRate: Int, pacedSeconds: Int) throws -> Result {
        let publisher = try connectPublisher(host: host, port: port)
        defer { publisher.stop() }
        let subscriberRate = try measureSubscriber(count: count, host: host, port: port, publisher: publisher)
        let hub = try measureHub(count: count, host: host, port: port, publisher: publisher, workDirectory: workDirectory,
                                 pace: nil, batching: Batching())
        let paced = try measureHub(count: pacedRate * pacedSeconds, host: host, port: port, publisher: publisher,
                                   workDirectory: workDirectory, pace: pacedRate, batching: Batching())
        return Result(messages: count, hubRate: hub.rate, subscriberRate: subscriberRate, saturatedLatency: hub.latency,
                      paced: Paced(rate: pacedRate, messages: pacedRate * pacedSeconds, run: paced))
    }

    /// `hub bench latency`: the steady-rate run alone, `rounds` times, with the batching given.
    static func runPaced(rate: Int, seconds: Int, rounds: Int, batching: Batching, host: String, port: Int,
                         workDirectory: URL) throws -> [Paced] {
        let publisher = try connectPublisher(host: host, port: port)
        defer { publisher.stop() }
        return try (0..<rounds).map { _ in
            Paced(rate: rate, messages: rate * seconds,
                  run: try measureHub(count: rate * seconds, host: host, port: port, publisher: publisher, workDirectory: workDirectory,
                                      pace: rate, batching: batching))
        }
    }

    private static func connectPublisher(host: String, port: Int) throws -> MQTTClient {
        let publisher = try MQTTClient(
            options: MQTTClientOptions(host: host, port: port, clientID: "bench-pub-\(runID())", cleanSession: true,
                                       maxInflightMessages: 1000),
            logger: Logger(label: "bench.publisher", level: .warning, sink: StandardErrorLogSink()))
        try publisher.start()
        guard publisher.waitUntilConnected(timeout: .seconds(10)) else {
            publisher.stop()
            throw BenchError("no broker answers on \(host):\(port)")
        }
        return publisher
    }

    /// A client id suffix no other run of the benchmark uses.
    private static func runID() -> String {
        "\(ProcessInfo.processInfo.processIdentifier)-\(DispatchTime.now().uptimeNanoseconds)"
    }

    /// The rate at which `mosquitto_sub` alone receives the stream: the broker's own pace.
    private static func measureSubscriber(count: Int, host: String, port: Int, publisher: MQTTClient) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mosquitto_sub", "-h", host, "-p", String(port), "-q", "1", "-t", "bench/sub/#"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let lines = LineCounter(pipe.fileHandleForReading)
        // Probe until the subscription is in place, then start the clock.
        let probe = Data("probe".utf8)
        var subscribed = false
        for _ in 0..<100 where !subscribed {
            _ = try publisher.publish(topic: "bench/sub/probe", payload: probe, qos: 1)
            subscribed = lines.wait(forAtLeast: 1, timeout: 0.1)
        }
        guard subscribed else { throw BenchError("mosquitto_sub did not subscribe") }
        let already = lines.count
        let start = DispatchTime.now()
        let origin = Timestamp.now()
        for index in 0..<count {
            _ = try publisher.publish(topic: "bench/sub/air", payload: BenchPayloads.payload(index, at: origin.adding(microseconds: Int64(index))), qos: 1)
        }
        guard lines.wait(forAtLeast: already + count, timeout: 300) else {
            throw BenchError("mosquitto_sub received \(lines.count - already) of \(count)")
        }
        return Double(count) / DecodeBenchmark.seconds(since: start)
    }

    private static func measureHub(
        count: Int, host: String, port: Int, publisher: MQTTClient, workDirectory: URL, pace: Int?, batching: Batching
    ) throws -> HubRun {
        let path = workDirectory.appendingPathComponent("mqtt-hub.sqlite").path
        DecodeBenchmark.removeDatabase(path)
        defer { DecodeBenchmark.removeDatabase(path) }
        // Per stored event: publish -> commit, publish -> receipt, receipt -> commit (ms).
        let latencies = Mutex<(total: [Double], broker: [Double], hub: [Double])>(([], [], []))
        let lastCommit = Mutex<DispatchTime>(.now())
        let configuration = try BenchPayloads.configuration(
            databasePath: path, topic: "bench/hub/#", port: port, clientID: "bench-hub-\(runID())",
            batchSize: batching.size, batchDelayMs: batching.delayMs)
        let runtime = try Hub(
            configuration: configuration,
            logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()),
            onCommitted: { stored, committedAt in
                // observedAt is the publish time the benchmark wrote into each reading; receivedAt is
                // when the hub's MQTT client took it from the broker.
                func ms(_ from: Timestamp, _ to: Timestamp) -> Double { Double(to.microsecondsSinceEpoch - from.microsecondsSinceEpoch) / 1000 }
                let total = stored.map { ms($0.event.observedAt, committedAt) }
                let broker = stored.map { ms($0.event.observedAt, $0.event.receivedAt) }
                let hub = stored.map { ms($0.event.receivedAt, committedAt) }
                latencies.withLock {
                    $0.total.append(contentsOf: total)
                    $0.broker.append(contentsOf: broker)
                    $0.hub.append(contentsOf: hub)
                }
                lastCommit.withLock { $0 = .now() }
            })
        try runtime.start()
        defer {
            runtime.stop()
            discardSession(clientID: configuration.mqtt?.clientID ?? "", host: host, port: port)
        }
        guard runtime.waitUntilConnected(timeout: .seconds(10)) else { throw BenchError("the hub did not connect") }
        let stored = runtime.metrics.route(BenchPayloads.routeName).eventsStored
        // Probe until the subscription is in place (the probe is one more stored event).
        var subscribed = false
        for _ in 0..<100 where !subscribed {
            _ = try publisher.publish(topic: "bench/hub/probe", payload: BenchPayloads.payload(0, at: Timestamp(microsecondsSinceEpoch: 0)), qos: 1)
            subscribed = waitUntil(timeout: 0.1) { stored.value >= 1 }
        }
        guard subscribed else { throw BenchError("the hub did not subscribe") }
        let already = stored.value
        latencies.withLock { $0 = ([], [], []) }
        let commitsBefore = runtime.metrics.commitLatency.snapshot

        let start = DispatchTime.now()
        var previous = Timestamp.now()
        let progress = ProgressReporter(label: pace.map { "MQTT to the hub at \($0)/s" } ?? "MQTT to the hub", total: count, unit: "published")
        defer { progress.finish() }
        for index in 0..<count {
            if let pace {
                // Paced: reading i leaves at start + i/pace.
                let due = start.uptimeNanoseconds + UInt64(index) * 1_000_000_000 / UInt64(pace)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { Thread.sleep(forTimeInterval: Double(due - now) / 1e9) }
            }
            // Each reading carries its publish time, strictly increasing so that every event id differs.
            var now = Timestamp.now()
            if now <= previous { now = previous.adding(microseconds: 1) }
            previous = now
            _ = try publisher.publish(topic: "bench/hub/air", payload: BenchPayloads.payload(index, at: now), qos: 1)
            progress.update(done: index + 1)
        }
        let publishSeconds = DecodeBenchmark.seconds(since: start)
        progress.finish()
        guard waitUntil(timeout: 300, { stored.value >= already + count }) else {
            throw BenchError("the hub stored \(stored.value - already) of \(count)")
        }
        let seconds = Double(lastCommit.withLock { $0 }.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let commitsAfter = runtime.metrics.commitLatency.snapshot
        let commits = commitsAfter.count - commitsBefore.count
        let measured = latencies.withLock { $0 }
        return HubRun(rate: Double(count) / seconds, publishedRate: Double(count) / publishSeconds,
                      latency: Percentiles(measured.total), brokerHop: Percentiles(measured.broker), inHub: Percentiles(measured.hub),
                      commits: commits, meanCommit: commits > 0 ? (commitsAfter.sum - commitsBefore.sum) / Double(commits) * 1000 : .nan)
    }

    /// Ends the persistent session the benchmark's hub left at the broker (a clean-session connect
    /// with the same client id), so that later runs' messages are not queued for it forever.
    static func discardSession(clientID: String, host: String, port: Int) {
        guard let client = try? MQTTClient(
            options: MQTTClientOptions(host: host, port: port, clientID: clientID, cleanSession: true),
            logger: Logger(label: "bench.cleanup", level: .error, sink: StandardErrorLogSink()))
        else { return }
        try? client.start()
        _ = client.waitUntilConnected(timeout: .seconds(5))
        client.stop()
    }

    static func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }
}

/// Counts the lines a child process writes, on a background reader.
final class LineCounter: Sendable {
    private let lines = Counter()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [lines] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                let newlines = chunk.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
                lines.increment(by: newlines)
            }
        }
    }

    var count: Int { lines.value }

    func wait(forAtLeast target: Int, timeout: TimeInterval) -> Bool {
        MQTTBenchmark.waitUntil(timeout: timeout) { count >= target }
    }
}
