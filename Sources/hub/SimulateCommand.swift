import Foundation
import HubCommandLine
import HubCore
import HubServices
import HubSimulator

/// `hub simulate`: publishes the traffic of a fleet of field gateways to an MQTT broker (QoS 1),
/// waits until the broker has acknowledged every message, and prints a one-line JSON summary with
/// the exact number of well-formed and malformed messages sent per format.
///
/// The number of messages is `--count`, else `rate × duration`, and `--duration 0` sends one message
/// per device. `--rate 0` publishes as fast as the broker acknowledges.
enum SimulateCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["host", "port", "devices", "rate", "duration", "count", "formats", "malformed", "seed", "silent", "log-level"])
        try HubCommand.bootstrapLogging(arguments)
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = arguments.option(name) else { return fallback }
            guard let value = Int(text), range.contains(value) else { throw UsageError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"") }
            return value
        }
        func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            guard let text = arguments.option(name) else { return fallback }
            guard let value = Double(text), range.contains(value) else { throw UsageError("--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"") }
            return value
        }
        var fleet = FleetSimulation()
        fleet.host = arguments.option("host") ?? "127.0.0.1"
        fleet.port = try integer("port", 1883, 1...65535)
        fleet.devices = try integer("devices", 50, 1...1_000_000)
        fleet.rate = try number("rate", 20, 0...1_000_000)
        let duration = try number("duration", 10, 0...86_400)
        fleet.formats = try formats(arguments.option("formats") ?? SimulatedFormat.allCases.map(\.rawValue).joined(separator: ","))
        fleet.malformedShare = try number("malformed", 0.05, 0...1)
        fleet.seed = UInt64(try integer("seed", 1, 0...Int.max))
        fleet.silent = try integer("silent", 0, 0...fleet.devices)
        fleet.count = try arguments.option("count").map { _ in try integer("count", 0, 0...100_000_000) }
            ?? (duration == 0 ? fleet.devices : Int((fleet.rate * duration).rounded()))
        if arguments.option("count") == nil, fleet.rate == 0, duration > 0 {
            throw UsageError("--rate 0 (as fast as the broker acknowledges) needs --count N, or --duration 0 for one message per device")
        }

        // Long runs show their progress on a terminal (nothing when standard error is not one).
        let progress = ProgressReporter(label: "simulate", total: fleet.count, unit: "messages",
                                        isEnabled: ProgressReporter.standardErrorIsTerminal
                                            && (arguments.option("duration") != nil || arguments.option("count") != nil))
        fleet.onProgress = { progress.update(done: $0) }
        let summary: FleetSimulation.Summary
        do {
            defer { progress.finish() }
            summary = try fleet.run(logger: Logger(label: "hub.simulate"))
        } catch let failure as FleetSimulation.Failure {
            Output.error("hub simulate: \(failure)")
            return 1
        }
        var perFormat: [String: JSONValue] = [:]
        for format in fleet.formats {
            let tally = summary.tallies[format] ?? FleetSimulation.Tally()
            perFormat[format.rawValue] = .object(["wellFormed": .number(Double(tally.wellFormed)), "malformed": .number(Double(tally.malformed))])
        }
        Output.line(JSONValue.object([
            "sent": .number(Double(summary.sent)),
            "acknowledged": .number(Double(summary.sent)),
            "wellFormed": .number(Double(summary.tallies.values.reduce(0) { $0 + $1.wellFormed })),
            "malformed": .number(Double(summary.tallies.values.reduce(0) { $0 + $1.malformed })),
            "devices": .number(Double(fleet.devices)),
            "silent": .number(Double(fleet.silent)),
            "formats": .object(perFormat),
            "seconds": .number((summary.seconds * 1000).rounded() / 1000),
        ]).jsonText)
        return 0
    }

    /// Parses `ttn,chirpstack,...`.
    private static func formats(_ text: String) throws -> [SimulatedFormat] {
        let formats = try text.split(separator: ",").map { name in
            guard let format = SimulatedFormat(rawValue: String(name)) else {
                throw UsageError("unknown format \"\(name)\"; known: \(SimulatedFormat.allCases.map(\.rawValue).joined(separator: ","))")
            }
            return format
        }
        guard !formats.isEmpty else { throw UsageError("--formats needs at least one format") }
        return formats
    }
}
