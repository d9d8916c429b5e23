import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

/// What rules cost: the same sensors.json readings through the hub's pipeline (route, bus, batch
/// writer, store) with no rule and with 100 rules that all watch them (thresholds, some with a
/// duration, hourly and daily means read from the roll-ups, predicates, absences), alternating rounds.
/// Intake is measured from the first delivery to the last commit; the rules' cost per event is the
/// alarm stage's own evaluation time (`hub_alarm_evaluation_seconds_total`) over the events it evaluated.
enum AlarmBenchmark {
    struct Result {
        var events: Int
        var rules: Int
        var intakeWithout: Double
        var intakeWith: Double
        /// Microseconds of evaluation per event, with the rules.
        var microsecondsPerEvent: Double
        /// Alarms raised in the run with the rules.
        var raised: Int
        /// Events the stage skipped (its queue full while intake ran flat out), most of a round.
        var skipped: Int
    }

    /// 100 rules over the benchmark's readings (no2 0-249, pm10 0-79, temperature -5-35, humidity
    /// 0-99), as a city's rules are: most never met, a few met now and then (no2 above 240, a cold
    /// reading, the hourly no2 mean above 100, two predicates), so that what is measured is the
    /// evaluation, with the alarms a real load raises, not a flood of them.
    static func rules() -> [JSONValue] {
        var rules: [JSONValue] = []
        func rule(_ name: String, _ members: [String: JSONValue]) {
            rules.append(.object(members.merging(["name": .string(name), "severity": .string(["critical", "major", "minor", "warning"][rules.count % 4]),
                                                  "types": .array([.string("AirQualityObserved")])]) { $1 }))
        }
        for index in 0..<40 {
            let attribute = ["no2", "pm10", "temperature", "relativeHumidity"][index % 4]
            var threshold: [String: JSONValue] = ["attribute": .string(attribute), "hysteresis": .number(2)]
            switch index {
            case 0: threshold["above"] = .number(240)
            case 2: threshold["below"] = .number(-4.5)
            default: threshold["above"] = .number(Double(1000 + index * 5))
            }
            var members: [String: JSONValue] = ["threshold": .object(threshold)]
            if index % 2 == 1 { members["forSeconds"] = .number(Double(60 * index)) }
            rule("threshold-\(index)", members)
        }
        for index in 0..<20 {
            rule("mean-\(index)", ["threshold": .object([
                "attribute": .string(index % 2 == 0 ? "no2" : "pm10"), "mean": .string(index % 4 < 2 ? "hourly" : "daily"),
                "above": .number(index == 0 ? 100 : Double(500 + index * 10)), "hysteresis": .number(5),
            ])])
        }
        for index in 0..<30 {
            let limit = index < 2 ? 245 + index : 1000 + index
            rule("predicate-\(index)", ["predicate": .string("no2 > \(limit) and relativeHumidity < \(50 + index) or temperature <= \(-100 - index)")])
        }
        for index in 0..<10 {
            rule("absence-\(index)", ["absence": .object(["seconds": .number(Double(3600 + index))])])
        }
        return rules
    }

    static func run(events count: Int, workDirectory: URL) throws -> Result {
        let start = Timestamp.now().adding(microseconds: -Int64(count) * 1000)
        let payloads = (0..<count).map { BenchPayloads.payload($0, at: start.adding(microseconds: Int64($0) * 1000)) }
        var intake: [Bool: [Double]] = [true: [], false: []]
        var perEvent: [Double] = []
        var raised = 0, skipped = 0
        let rules = rules()
        for round in 0..<2 {
            for withRules in (round == 0 ? [false, true] : [true, false]) {
                let path = workDirectory.appendingPathComponent("alarm-bench.sqlite").path
                DecodeBenchmark.removeDatabase(path)
                var json = try object(BenchPayloads.configurationJSON(databasePath: path, topic: "bench/alarms/#", port: 1883, clientID: "bench"))
                if withRules { json["rules"] = .array(rules) }
                var configuration = try HubConfiguration(json: .object(json), environment: [:], catalog: .compiledIn)
                configuration.mqtt = nil  // no network: messages are delivered straight to the route
                let runtime = try Hub(configuration: configuration, logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()))
                try runtime.start()
                intake[withRules]!.append(BenchPayloads.intakeRate(of: payloads, through: runtime, origin: "bench/alarms/air"))
                if withRules {
                    func sample(_ name: String) -> Double {
                        runtime.metrics.providedFamilies().first { $0.name == name }?.samples.first?.value ?? 0
                    }
                    let deadline = Date(timeIntervalSinceNow: 600)
                    // Skipped batches (the queue full while intake runs flat out) are not evaluated one by one.
                    func done() -> Double { sample("hub_alarm_events_evaluated_total") + sample("hub_alarm_events_skipped_total") }
                    while done() < Double(count), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                    let evaluated = sample("hub_alarm_events_evaluated_total")
                    guard done() >= Double(count), evaluated > 0 else { throw BenchError("the alarm stage evaluated \(Int(evaluated)) of \(count) events") }
                    perEvent.append(sample("hub_alarm_evaluation_seconds_total") / evaluated * 1e6)
                    raised = Int(sample("hub_alarms_raised_total"))
                    skipped = max(skipped, Int(sample("hub_alarm_events_skipped_total")))
                }
                runtime.stop()
                DecodeBenchmark.removeDatabase(path)
            }
        }
        return Result(events: count, rules: rules.count, intakeWithout: intake[false]!.max()!, intakeWith: intake[true]!.max()!,
                      microsecondsPerEvent: perEvent.min()!, raised: raised, skipped: skipped)
    }

    private static func object(_ value: JSONValue) throws -> [String: JSONValue] {
        guard let object = value.objectValue else { throw BenchError("the benchmark configuration is not an object") }
        return object
    }

    static func table(_ result: Result) -> String {
        TextTable.render([
            ["sensors.json readings through the pipeline (\(result.events) events, 4 numeric attributes)", "intake events/s",
             "rule evaluation per event"],
            ["without rules", String(Int(result.intakeWithout.rounded())), "-"],
            ["with \(result.rules) rules watching every event (\(result.raised) alarms raised, \(result.skipped) events skipped)",
             String(Int(result.intakeWith.rounded())),
             String(format: "%.1f µs (%.2f µs per rule)", result.microsecondsPerEvent, result.microsecondsPerEvent / Double(result.rules))],
        ])
    }
}
