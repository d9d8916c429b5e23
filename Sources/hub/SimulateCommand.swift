import Foundation
import HubCore
import HubMQTT

/// `hub simulate`: publishes the traffic of a fleet of field gateways to an MQTT broker (QoS 1),
/// waits until the broker has acknowledged every message, and prints a one-line JSON summary with
/// the exact number of well-formed and malformed messages sent per format.
///
/// Device `i` speaks format `formats[i % formats.count]`. Messages go round-robin over the devices;
/// with `--silent N` the first N devices send one well-formed message and then fall silent. The
/// number of messages is `--count`, else `rate × duration`, and `--duration 0` sends one message
/// per device. `--rate 0` publishes as fast as the broker acknowledges.
enum SimulateCommand {
    /// Counts of messages sent by one format.
    struct Tally { var wellFormed = 0, malformed = 0 }

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["host", "port", "devices", "rate", "duration", "count", "formats", "malformed", "seed", "silent", "log-level"])
        try HubCommandLine.bootstrapLogging(arguments)
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
        let host = arguments.option("host") ?? "127.0.0.1"
        let port = try integer("port", 1883, 1...65535)
        let deviceCount = try integer("devices", 50, 1...1_000_000)
        let rate = try number("rate", 20, 0...1_000_000)
        let duration = try number("duration", 10, 0...86_400)
        let formats = try SimulatedFormat.list(arguments.option("formats") ?? SimulatedFormat.allCases.map(\.rawValue).joined(separator: ","))
        let malformedShare = try number("malformed", 0.05, 0...1)
        let seed = try integer("seed", 1, 0...Int.max)
        let silent = try integer("silent", 0, 0...deviceCount)
        let count = try arguments.option("count").map { _ in try integer("count", 0, 0...100_000_000) }
            ?? (duration == 0 ? deviceCount : Int((rate * duration).rounded()))

        if arguments.option("count") == nil, rate == 0, duration > 0 {
            throw UsageError("--rate 0 (as fast as the broker acknowledges) needs --count N, or --duration 0 for one message per device")
        }
        var generator = SeededGenerator(seed: UInt64(seed))
        var devices = (0..<deviceCount).map { SimulatedDevice(index: $0, format: formats[$0 % formats.count], generator: &generator) }

        let logger = Logger(label: "hub.simulate")
        let client = try MQTTClient(
            options: MQTTClientOptions(host: host, port: port, clientID: "hub-simulate-\(ProcessInfo.processInfo.processIdentifier)-\(seed)",
                                       cleanSession: true, maxInflightMessages: 100),
            logger: logger)
        try client.start()
        defer { client.stop() }
        guard client.waitUntilConnected(timeout: .seconds(10)) else {
            Output.error("hub simulate: no MQTT broker answers on \(host):\(port)")
            return 1
        }

        var tallies: [SimulatedFormat: Tally] = [:]
        let start = Timestamp.now()
        let clock = ContinuousClock()
        let began = clock.now
        var sent = 0
        var round = 0
        while sent < count {
            var anyone = false
            for index in devices.indices where sent < count {
                if index < silent, round > 0 { continue }
                anyone = true
                if rate > 0 {
                    let due = began + .microseconds(Int64(Double(sent) / rate * 1e6))
                    if clock.now < due { Thread.sleep(forTimeInterval: (due - clock.now).timeInterval) }
                }
                devices[index].drift(&generator)
                // Each message has its own observation time, so each well-formed one is a new event.
                let time = start.adding(microseconds: Int64(sent) * 1000)
                let format = devices[index].format
                let topic: String
                let payload: String
                if index >= silent, generator.unit() < malformedShare {
                    (topic, payload) = SimulatedPayloads.malformed(devices[index], generator: &generator)
                    tallies[format, default: Tally()].malformed += 1
                } else {
                    topic = format.topic(device: devices[index])
                    payload = SimulatedPayloads.wellFormed(devices[index], at: time, generator: &generator)
                    tallies[format, default: Tally()].wellFormed += 1
                }
                devices[index].sent += 1
                try client.publish(topic: topic, payload: Data(payload.utf8), qos: 1)
                sent += 1
                // Keep what libmosquitto holds bounded.
                if !client.waitUntilPublishesAcknowledged(leavingAtMost: 1000, timeout: .seconds(60)) {
                    Output.error("hub simulate: the broker stopped acknowledging messages")
                    return 1
                }
            }
            round += 1
            if !anyone { break }
        }
        guard client.waitUntilPublishesAcknowledged(timeout: .seconds(60)) else {
            Output.error("hub simulate: \(client.unacknowledgedPublishCount) messages were not acknowledged within 60 s")
            return 1
        }
        let elapsed = (clock.now - began).timeInterval
        var perFormat: [String: JSONValue] = [:]
        for format in formats {
            let tally = tallies[format] ?? Tally()
            perFormat[format.rawValue] = .object(["wellFormed": .number(Double(tally.wellFormed)), "malformed": .number(Double(tally.malformed))])
        }
        let summary: JSONValue = .object([
            "sent": .number(Double(sent)),
            "acknowledged": .number(Double(sent)),
            "wellFormed": .number(Double(tallies.values.reduce(0) { $0 + $1.wellFormed })),
            "malformed": .number(Double(tallies.values.reduce(0) { $0 + $1.malformed })),
            "devices": .number(Double(deviceCount)),
            "silent": .number(Double(silent)),
            "formats": .object(perFormat),
            "seconds": .number((elapsed * 1000).rounded() / 1000),
        ])
        Output.line(summary.jsonText)
        return 0
    }
}
