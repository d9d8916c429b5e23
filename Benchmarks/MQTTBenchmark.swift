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
        var saturatedLatency: (p50: Double, p99: Double)
        /// The same at a steady rate the hub keeps up with: what a reading waits in normal operation.
        var pacedRate: Int
        var pacedLatency: (p50: Double, p99: Double)
    }

    static func run(messages count: Int, host: String, port: Int, workDirectory: URL) throws -> Result {
        let runID = "\(ProcessInfo.processInfo.processIdentifier)-\(Int(Date().timeIntervalSince1970))"
        let publisher = try MQTTClient(
            options: MQTTClientOptions(host: host, port: port, clientID: "bench-pub-\(runID)", cleanSession: true,
                                       maxInflightMessages: 1000),
            logger: Logger(label: "bench.publisher", level: .warning, sink: StandardErrorLogSink()))
        try publisher.start()
        defer { publisher.stop() }
        guard publisher.waitUntilConnected(timeout: .seconds(10)) else { throw BenchError("no broker answers on \(host):\(port)") }

        let subscriberRate = try measureSubscriber(count: count, host: host, port: port, publisher: publisher)
        let hub = try measureHub(count: count, host: host, port: port, runID: runID + "-a", publisher: publisher,
                                 workDirectory: workDirectory, pace: nil)
        let pacedRate = 2000
        let paced = try measureHub(count: pacedRate * 5, host: host, port: port, runID: runID + "-b", publisher: publisher,
                                   workDirectory: workDirectory, pace: pacedRate)
        return Result(messages: count, hubRate: hub.rate, subscriberRate: subscriberRate,
                      saturatedLatency: (hub.p50, hub.p99), pacedRate: pacedRate, pacedLatency: (paced.p50, paced.p99))
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
        count: Int, host: String, port: Int, runID: String, publisher: MQTTClient, workDirectory: URL, pace: Int?
    ) throws -> (rate: Double, p50: Double, p99: Double) {
        let path = workDirectory.appendingPathComponent("mqtt-hub.sqlite").path
        DecodeBenchmark.removeDatabase(path)
        defer { DecodeBenchmark.removeDatabase(path) }
        let latencies = Mutex<[Double]>([])
        let lastCommit = Mutex<DispatchTime>(.now())
        let configuration = try BenchPayloads.configuration(
            databasePath: path, topic: "bench/hub/#", port: port, clientID: "bench-hub-\(runID)")
        let runtime = try Hub(
            configuration: configuration,
            logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()),
            onCommitted: { stored, committedAt in
                // observedAt is the publish time the benchmark wrote into each reading.
                let batch = stored.map { Double(committedAt.microsecondsSinceEpoch - $0.event.observedAt.microsecondsSinceEpoch) / 1000 }
                latencies.withLock { $0.append(contentsOf: batch) }
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
        latencies.withLock { $0.removeAll() }

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
        progress.finish()
        guard waitUntil(timeout: 300, { stored.value >= already + count }) else {
            throw BenchError("the hub stored \(stored.value - already) of \(count)")
        }
        let seconds = Double(lastCommit.withLock { $0 }.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let sorted = latencies.withLock { $0 }.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return (Double(count) / seconds, percentile(0.50), percentile(0.99))
    }

    /// Ends the persistent session the benchmark's hub left at the broker (a clean-session connect
    /// with the same client id), so that later runs' messages are not queued for it forever.
    private static func discardSession(clientID: String, host: String, port: Int) {
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
private final class LineCounter: Sendable {
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
