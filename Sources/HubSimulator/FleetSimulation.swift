import Foundation
import HubCore
import HubMQTT
import HubServices

/// The traffic of a fleet of field gateways, published to an MQTT broker at QoS 1: what `hub simulate`
/// sends, with the exact number of well-formed and malformed messages per format, so that a test
/// or a benchmark can check the hub stored exactly those.
///
/// Device `i` speaks format `formats[i % formats.count]`. Messages go round-robin over the devices;
/// the first `silent` devices send one well-formed message and then fall silent.
public struct FleetSimulation: Sendable {
    /// The broker's host.
    public var host = "127.0.0.1"
    /// The broker's port.
    public var port = 1883
    /// How many devices the fleet has.
    public var devices = 50
    /// Messages per second; 0 publishes as fast as the broker acknowledges.
    public var rate = 20.0
    /// How many messages to send in all.
    public var count = 200
    /// The formats the devices speak, in turn.
    public var formats = SimulatedFormat.allCases
    /// The share of malformed messages (bad JSON, missing ids, unknown apikeys, ...), 0...1.
    public var malformedShare = 0.05
    /// The same seed sends the same traffic.
    public var seed: UInt64 = 1
    /// How many of the first devices fall silent after their first message.
    public var silent = 0
    /// Told the number of messages sent so far after each one (a progress display).
    public var onProgress: (@Sendable (_ sent: Int) -> Void)?
    /// Asked before each message: when it answers true the run ends early, once what was sent is acknowledged.
    public var isCancelled: (@Sendable () -> Bool)?

    /// A simulation with the defaults of `hub simulate`.
    public init() {}

    /// What was sent, per format.
    public struct Tally: Sendable, Equatable {
        /// Messages the hub should store as events.
        public var wellFormed = 0
        /// Messages the hub should keep as dead letters.
        public var malformed = 0

        /// No message yet.
        public init() {}
    }

    /// What a run sent, every message acknowledged by the broker.
    public struct Summary: Sendable {
        /// Messages sent (and acknowledged).
        public var sent: Int
        /// The counts of each format.
        public var tallies: [SimulatedFormat: Tally]
        /// From the first publish to the last acknowledgement.
        public var seconds: Double
    }

    /// Why a run could not finish.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, for the operator.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Publishes the fleet's traffic and waits until the broker has acknowledged every message.
    /// - Throws: `Failure` when no broker answers or it stops acknowledging; `MQTTError` when the
    ///   client cannot be set up.
    public func run(logger: Logger) throws -> Summary {
        var generator = SeededGenerator(seed: seed)
        var fleet = (0..<devices).map { SimulatedDevice(index: $0, format: formats[$0 % formats.count], generator: &generator) }
        let client = try MQTTClient(
            options: MQTTClientOptions(host: host, port: port, clientID: "hub-simulate-\(ProcessInfo.processInfo.processIdentifier)-\(seed)",
                                       cleanSession: true, maxInflightMessages: 100),
            logger: logger)
        try client.start()
        defer { client.stop() }
        guard client.waitUntilConnected(timeout: .seconds(10)) else {
            throw Failure(message: "no MQTT broker answers on \(host):\(port)")
        }

        var tallies: [SimulatedFormat: Tally] = [:]
        let start = Timestamp.now()
        let clock = ContinuousClock()
        let began = clock.now
        var sent = 0
        var round = 0
        while sent < count {
            var anyone = false
            for index in fleet.indices where sent < count {
                if index < silent, round > 0 { continue }
                if isCancelled?() == true { break }
                anyone = true
                if rate > 0 {
                    let due = began + .microseconds(Int64(Double(sent) / rate * 1e6))
                    if clock.now < due { Thread.sleep(forTimeInterval: (due - clock.now).timeInterval) }
                }
                fleet[index].drift(&generator)
                // Each message has its own observation time, so each well-formed one is a new event.
                let time = start.adding(microseconds: Int64(sent) * 1000)
                let format = fleet[index].format
                let topic: String
                let payload: String
                if index >= silent, generator.unit() < malformedShare {
                    (topic, payload) = SimulatedPayloads.malformed(fleet[index], generator: &generator)
                    tallies[format, default: Tally()].malformed += 1
                } else {
                    topic = format.topic(device: fleet[index])
                    payload = SimulatedPayloads.wellFormed(fleet[index], at: time, generator: &generator)
                    tallies[format, default: Tally()].wellFormed += 1
                }
                fleet[index].sent += 1
                try client.publish(topic: topic, payload: Data(payload.utf8), qos: 1)
                sent += 1
                onProgress?(sent)
                // Keep what libmosquitto holds bounded.
                if !client.waitUntilPublishesAcknowledged(leavingAtMost: 1000, timeout: .seconds(60)) {
                    throw Failure(message: "the broker stopped acknowledging messages")
                }
            }
            round += 1
            if !anyone || isCancelled?() == true { break }
        }
        guard client.waitUntilPublishesAcknowledged(timeout: .seconds(60)) else {
            throw Failure(message: "\(client.unacknowledgedPublishCount) messages were not acknowledged within 60 s")
        }
        return Summary(sent: sent, tallies: tallies, seconds: (clock.now - began).timeInterval)
    }
}
