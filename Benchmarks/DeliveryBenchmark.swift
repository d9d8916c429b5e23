import Foundation
import HubCommandLine
import HubCore
import HubHTTP
import HubRuntime
import HubServices
import Synchronization

/// What outbound deliveries cost: the same sensors.json readings through the hub's pipeline with no
/// subscription, with one posting every event to a local HTTP receiver (the hub's own server
/// answering 204 at once), and with one whose receiver holds every request (a slow target).
/// Intake is measured from the first delivery to the last commit; delivery throughput from the
/// first delivery until the receiver has acknowledged every event (the outbox is empty).
enum DeliveryBenchmark {
    struct Result {
        var events: Int
        var intakeWithout: Double
        var intakeWith: Double
        var intakeHeld: Double
        var delivered: Double
    }

    /// Answers every POST 204, or holds it until released (then 503).
    private final class Receiver: HTTPHandler {
        let holds: Bool
        let release = DispatchSemaphore(value: 0)
        init(holds: Bool) { self.holds = holds }
        func admit(_ head: HTTPRequest) -> RequestAdmission { .body(maxBytes: 64 << 20) }
        func respond(to request: HTTPRequest) -> HTTPResponse {
            guard holds else { return HTTPResponse(status: 204) }
            _ = release.wait(timeout: .now() + 600)
            return HTTPResponse(status: 503)
        }
    }

    static func run(events count: Int, workDirectory: URL) throws -> Result {
        let start = Timestamp.now().adding(microseconds: -Int64(count) * 1000)
        let payloads = (0..<count).map { BenchPayloads.payload($0, at: start.adding(microseconds: Int64($0) * 1000)) }
        var intake: [String: [Double]] = [:]
        var delivered: [Double] = []
        let quiet = Logger(label: "bench.deliveries", level: .critical, sink: StandardErrorLogSink())
        for round in 0..<2 {
            for mode in (round == 0 ? ["none", "fast", "held"] : ["held", "fast", "none"]) {
                let path = workDirectory.appendingPathComponent("delivery-bench.sqlite").path
                DecodeBenchmark.removeDatabase(path)
                let receiver = Receiver(holds: mode == "held")
                let server = HTTPServer(settings: HTTPSettings(port: 0), handler: receiver, logger: quiet)
                try server.start()
                defer {
                    for _ in 0..<64 { receiver.release.signal() }
                    server.stop()
                }
                guard var json = BenchPayloads.configurationJSON(databasePath: path, topic: "bench/deliveries/#", port: 1883,
                                                                    clientID: "bench").objectValue else {
                    throw BenchError("the benchmark configuration is not an object")
                }
                if mode != "none" {
                    json["subscriptions"] = .array([.object([
                        "name": .string("bench"), "batchSize": .number(1000), "maxLag": .number(Double(count * 2)),
                        "http": .object(["url": .string("http://127.0.0.1:\(server.port)/hook"), "secret": .string("bench-secret"),
                                         "timeoutMs": .number(600_000)]),
                    ])])
                }
                var configuration = try HubConfiguration(json: .object(json), environment: [:], catalog: .compiledIn)
                configuration.mqtt = nil  // no network: messages are delivered straight to the route
                let runtime = try Hub(configuration: configuration, logger: Logger(label: "bench.hub", level: .error, sink: StandardErrorLogSink()))
                try runtime.start()
                let began = DispatchTime.now()
                intake[mode, default: []].append(BenchPayloads.intakeRate(of: payloads, through: runtime, origin: "bench/deliveries/air"))
                if mode == "fast" {
                    let deadline = Date(timeIntervalSinceNow: 600)
                    while (runtime.subscriptionStatuses.first?.delivered ?? 0) < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
                    guard runtime.subscriptionStatuses.first?.lag == 0 else {
                        throw BenchError("the receiver acknowledged \(runtime.subscriptionStatuses.first?.delivered ?? 0) of \(count) events")
                    }
                    delivered.append(Double(count) / DecodeBenchmark.seconds(since: began))
                }
                runtime.stop()
                DecodeBenchmark.removeDatabase(path)
            }
        }
        return Result(events: count, intakeWithout: intake["none"]!.max()!, intakeWith: intake["fast"]!.max()!,
                      intakeHeld: intake["held"]!.max()!, delivered: delivered.max()!)
    }

    static func table(_ result: Result) -> String {
        TextTable.render([
            ["sensors.json readings through the pipeline (\(result.events) events)", "intake events/s", "delivered events/s"],
            ["no subscription", String(Int(result.intakeWithout.rounded())), "-"],
            ["one subscription, local HTTP receiver (batches of 1000, signed)", String(Int(result.intakeWith.rounded())),
             String(Int(result.delivered.rounded()))],
            ["one subscription, receiver holding every request", String(Int(result.intakeHeld.rounded())), "0"],
        ])
    }
}
