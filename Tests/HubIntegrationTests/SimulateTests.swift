import Foundation
import HubCore
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// `hub simulate` (the built executable) against the hub running the shipped config/hub.json routes,
/// through a real Mosquitto broker: every well-formed message stored, every malformed one
/// dead-lettered, exactly; and a device that falls silent turns inactive, then active again.
final class SimulateTests: XCTestCase {
    /// The route each simulated format publishes to in config/hub.json.
    private let routeOfFormat = [
        "ttn": "ttn-parking", "chirpstack": "chirpstack-traffic", "senml": "noise-senml",
        "json": "air-quality", "iota-json": "iota-water", "iota-ul": "iota-air",
    ]
    private let healthTypes: Set<String> = ["DeviceInactive", "DeviceActive"]

    /// config/hub.json with this test's store and broker, and every device interval set to `deviceInterval` seconds.
    private func shippedConfiguration(port: Int, databasePath: String, deviceInterval: Int) throws -> HubConfiguration {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var root = try XCTUnwrap(JSONValue(parsing: Data(contentsOf: repository.appendingPathComponent("config/hub.json"))).objectValue)
        root["store"] = .object(["path": .string(databasePath), "batchDelayMs": .number(20)])
        root["mqtt"] = .object(["host": .string("127.0.0.1"), "port": .number(Double(port)), "clientId": .string("hub-simulate-test")])
        // A free port, not the shipped 8080, which another hub on the machine may hold.
        if var http = root["http"]?.objectValue {
            http["port"] = .number(0)
            root["http"] = .object(http)
        }
        let routes = try XCTUnwrap(root["routes"]?.arrayValue).map { route -> JSONValue in
            guard var members = route.objectValue, members["deviceIntervalSeconds"] != nil else { return route }
            members["deviceIntervalSeconds"] = .number(Double(deviceInterval))
            return .object(members)
        }
        root["routes"] = .array(routes)
        // Without the shipped rules: the alarms they raise on simulated readings are events of the
        // routes too, which this test counts message by message (rules are AlarmTests').
        root["rules"] = nil
        return try HubConfiguration(json: .object(root), environment: [:], catalog: .compiledIn)
    }

    /// Runs `hub simulate` with `arguments` and returns its JSON summary.
    private func simulate(_ arguments: [String], port: Int) throws -> JSONValue {
        let result = try ExternalProgram.run(
            ExternalProgram.built("hub"), ["simulate", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning"] + arguments)
        XCTAssertEqual(result.status, 0, "hub simulate \(arguments): \(result.errors)")
        return try JSONValue(parsing: Data(result.output.utf8))
    }

    func testEverySimulatedMessageIsStoredOrDeadLetteredAndASilentDeviceTurnsInactiveThenActive() throws {
        let broker = try MosquittoBroker()
        let directory = try TemporaryDirectory.make(prefix: "hub-simulate")
        let runtime = try Hub(
            configuration: shippedConfiguration(port: broker.port, databasePath: directory.appendingPathComponent("hub.sqlite").path,
                                                deviceInterval: 2),
            logger: quietLogger)
        try runtime.start()
        defer { runtime.stop() }
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))
        let store = runtime.store

        // 1. Exact counts, per format, of a mixed fleet with 10% malformed messages.
        let summary = try simulate(["--devices", "12", "--count", "600", "--rate", "0", "--malformed", "0.1", "--seed", "7"], port: broker.port)
        XCTAssertEqual(summary["sent"], .number(600))
        let formats = try XCTUnwrap(summary["formats"]?.objectValue)
        XCTAssertEqual(Set(formats.keys), Set(routeOfFormat.keys))
        func stored() throws -> (events: [String: Int], deadLetters: [String: Int]) {
            var events: [String: Int] = [:]
            for event in try store.events(limit: 10_000) where !healthTypes.contains(event.type) { events[event.route, default: 0] += 1 }
            var deadLetters: [String: Int] = [:]
            for letter in try store.deadLetters(limit: 10_000) { deadLetters[letter.deadLetter.route, default: 0] += 1 }
            return (events, deadLetters)
        }
        var expectedEvents: [String: Int] = [:]
        var expectedDeadLetters: [String: Int] = [:]
        for (format, counts) in formats {
            let route = try XCTUnwrap(routeOfFormat[format])
            expectedEvents[route] = Int(try XCTUnwrap(counts["wellFormed"]?.numberValue))
            expectedDeadLetters[route] = Int(try XCTUnwrap(counts["malformed"]?.numberValue))
            XCTAssertGreaterThan(expectedDeadLetters[route] ?? 0, 0, "\(format) sent malformed messages")
        }
        XCTAssertEqual(expectedEvents.values.reduce(0, +) + expectedDeadLetters.values.reduce(0, +), 600)
        let received = { self.routeOfFormat.values.reduce(0) { $0 + runtime.metrics.route($1).received.value } }
        XCTAssertTrue(waitUntil(timeout: 60) { received() == 600 }, "received \(received())")
        XCTAssertTrue(try waitUntil(timeout: 30) {
            let now = try stored()
            return now.events == expectedEvents && now.deadLetters == expectedDeadLetters
        }, "stored \(String(describing: try? stored())), expected events \(expectedEvents) and dead letters \(expectedDeadLetters)")
        let devices = try store.devices().filter { $0.device.contains(":sim-") }
        XCTAssertEqual(devices.count, 12, "every simulated device is in the registry")
        XCTAssertNotNil(devices.first { $0.device.hasSuffix("sim-ttn-0000") }?.lastRSSI, "LoRaWAN devices have an RSSI")

        // 2. Device 0 (The Things Stack) speaks once and falls silent while the others keep talking.
        let silent = "urn:ngsi-ld:Device:sim-ttn-0000"
        let talking = "urn:ngsi-ld:Device:sim-chirpstack-0001"
        let phaseStart = Timestamp.now()
        _ = try simulate(["--devices", "12", "--silent", "1", "--rate", "30", "--duration", "5", "--malformed", "0", "--seed", "8"], port: broker.port)
        let phaseEnd = Timestamp.now()
        func health(_ device: String) throws -> [Event] {
            try store.events(entity: device, limit: 100).filter { healthTypes.contains($0.type) }.sorted { $0.observedAt < $1.observedAt }
        }
        XCTAssertTrue(try waitUntil(timeout: 10) {
            try health(silent).contains { $0.type == "DeviceInactive" && $0.observedAt > phaseStart && $0.observedAt < phaseEnd }
        }, "the silent device went inactive during the run: \(((try? health(silent)) ?? []).map { "\($0.type)@\($0.observedAt)" })")
        XCTAssertFalse(try health(talking).contains { $0.type == "DeviceInactive" && $0.observedAt > phaseStart.adding(microseconds: 2_500_000) && $0.observedAt < phaseEnd },
                       "a device that kept talking stayed active: \(((try? health(talking)) ?? []).map { "\($0.type)@\($0.observedAt)" })")

        // 3. It speaks again: DeviceActive.
        let inactiveAt = try XCTUnwrap(health(silent).last { $0.type == "DeviceInactive" }?.observedAt)
        _ = try simulate(["--devices", "12", "--duration", "0", "--malformed", "0", "--seed", "9"], port: broker.port)
        XCTAssertTrue(try waitUntil(timeout: 10) {
            try health(silent).contains { $0.type == "DeviceActive" && $0.observedAt > inactiveAt }
        }, "the device turned active again: \(((try? health(silent)) ?? []).map { "\($0.type)@\($0.observedAt)" })")
        XCTAssertEqual(try store.deadLetterCount(), expectedDeadLetters.values.reduce(0, +), "well-formed runs add no dead letter")
    }

    func testBadOptionsAreRefusedBeforeConnecting() throws {
        for (arguments, message) in [
            (["--formats", "ttn,lora"], "unknown format \"lora\"; known: ttn,chirpstack,senml,json,iota-json,iota-ul"),
            (["--malformed", "2"], "--malformed must be a number from 0.0 to 1.0, not \"2\""),
            (["--rate", "0"], "--rate 0 (as fast as the broker acknowledges) needs --count N"),
            (["--devices", "2", "--silent", "3"], "--silent must be a whole number from 0 to 2, not \"3\""),
        ] {
            let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["simulate", "--port", "1"] + arguments)
            XCTAssertEqual(result.status, 2, result.errors)
            XCTAssertTrue(result.errors.contains(message), result.errors)
        }
    }
}
