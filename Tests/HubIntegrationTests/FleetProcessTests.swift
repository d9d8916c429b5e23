import Foundation
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// Two `hub run` processes on one shared subscription and one PostgreSQL database (both started by
/// the test), fed 50,000 QoS 1 readings by `hub simulate`: each reading stored once, both hubs
/// taking a real share; one hub killed (SIGKILL) or stopped (SIGTERM) mid-stream, the other going
/// on, taking its tasks and draining its session within the lease and its renewal.
final class FleetProcessTests: XCTestCase {
    private static let count = 50_000
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One hub of the fleet: its configuration, API port and process.
    private final class FleetHub {
        let name: String
        let file: URL
        let configuration: HubConfiguration
        let port: Int
        let directory: URL
        var process: RunningProgram?
        var runs = 0

        init(name: String, file: URL, configuration: HubConfiguration, port: Int, directory: URL) {
            self.name = name
            self.file = file
            self.configuration = configuration
            self.port = port
            self.directory = directory
        }

        func start() throws {
            runs += 1
            process = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", file.path, "--log-level", "info"],
                                         logFile: directory.appendingPathComponent("run-\(runs).log"))
        }

        var log: String { process?.log ?? "" }

        /// The metric `name` with `labels` (the hub label added) from this hub's /metrics, nil when it does not answer.
        func metric(_ family: String, _ labels: String = "") -> Double? {
            guard let response = try? HTTPTestClient(baseURL: "http://127.0.0.1:\(port)").send("GET", "/metrics"),
                  response.status == 200 else { return nil }
            let prefix = "\(family){hub=\"\(name)\"\(labels.isEmpty ? "" : "," + labels)} "
            return response.text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
        }

        /// What this hub stored of the simulated readings (its share).
        var stored: Int { Int(metric("hub_route_events_stored_total", #"route="air-quality""#) ?? 0) }

        var isReady: Bool { (try? HTTPTestClient(baseURL: "http://127.0.0.1:\(port)").send("GET", "/readyz").status) == 200 }
    }

    /// config/fleet.json for hub `name`: this test's broker, database, folder and API port, leases of
    /// 2 s renewed every second.
    private func fleetHub(_ name: String, broker: MosquittoBroker, server: PostgresServer, directory: URL) throws -> FleetHub {
        var root = try XCTUnwrap(JSONValue(parsing: Data(contentsOf: repository.appendingPathComponent("config/fleet.json"))).objectValue)
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = try MosquittoBroker.freeLoopbackPort()
        root["hub"] = .object(["name": .string(name), "leaseSeconds": .number(2), "leaseRenewalSeconds": .number(1)])
        root["store"] = .object(["path": .string(folder.appendingPathComponent("hub").path), "batchDelayMs": .number(20),
                                 "postgres": .object(["url": .string(server.databaseURL)])])
        root["mqtt"] = .object(["host": .string(broker.host), "port": .number(Double(broker.port)), "shareGroup": .string("hubs"),
                                "reconnect": .object(["minSeconds": .number(1), "maxSeconds": .number(2)])])
        root["http"] = .object(["address": .string("127.0.0.1"), "port": .number(Double(port)),
                                "openEndpoints": .array([.string("metrics"), .string("readyz"), .string("healthz")])])
        let file = folder.appendingPathComponent("hub.json")
        try Data(JSONValue.object(root).jsonText.utf8).write(to: file)
        return FleetHub(name: name, file: file, configuration: try HubConfiguration(json: .object(root), environment: [:], catalog: .compiledIn),
                        port: port, directory: folder)
    }

    /// Runs `hub simulate` (50,000 JSON readings of 100 devices, as fast as the broker acknowledges) in the background.
    private func simulate(_ broker: MosquittoBroker) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let result = Result {
                try ExternalProgram.run(ExternalProgram.built("hub"), [
                    "simulate", "--host", broker.host, "--port", String(broker.port), "--formats", "json", "--devices", "100",
                    "--count", String(Self.count), "--rate", "0", "--malformed", "0", "--seed", "16", "--log-level", "warning"])
            }
            switch result {
            case .success(let run): XCTAssertEqual(run.status, 0, run.errors)
            case .failure(let error): XCTFail("hub simulate: \(error)")
            }
            done.signal()
        }
        return done
    }

    /// Starts hub-b, then hub-a (so hub-b holds the tasks that run once), each ready (connected and subscribed).
    private func startFleet(_ hubs: [FleetHub]) throws {
        for hub in hubs.reversed() {
            try hub.start()
            XCTAssertTrue(waitUntil(timeout: 30) { hub.isReady }, "\(hub.name) is not ready\n\(hub.log)")
        }
        XCTAssertEqual(hubs[1].metric("hub_lease_held", #"task="device-watch""#), 1, "hub-b, started first, watches the devices")
        XCTAssertEqual(hubs[0].metric("hub_lease_held", #"task="device-watch""#), 0)
    }

    private func eventCount(_ store: any HubDatabase) -> Int { (try? store.eventCount()) ?? -1 }

    /// Waits until the count stops growing (nothing for 3 s) and returns it.
    private func settledCount(_ store: any HubDatabase, timeout: TimeInterval = 120) -> Int {
        var last = eventCount(store)
        var since = Date()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, Date().timeIntervalSince(since) < 3 {
            Thread.sleep(forTimeInterval: 0.2)
            let now = eventCount(store)
            if now != last { (last, since) = (now, Date()) }
        }
        return last
    }

    /// hub-a and hub-b (`config/fleet.json`) on a broker and a PostgreSQL of their own, started, with
    /// `hub simulate`'s readings flowing and 10,000 of them stored; what the test made is removed after it.
    private func fleetMidStream(prefix: String) throws
        -> (hubs: [FleetHub], store: any HubDatabase, simulation: DispatchSemaphore, directory: URL) {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        let directory = try TemporaryDirectory.make(prefix: prefix)
        addTeardownBlock {
            server.shutDown()
            try? FileManager.default.removeItem(at: directory)
            withExtendedLifetime(broker) {}
        }
        let hubs = try ["hub-a", "hub-b"].map { try fleetHub($0, broker: broker, server: server, directory: directory) }
        try startFleet(hubs)
        let store = try Hub.openStore(hubs[0].configuration.store, logger: quietLogger)
        addTeardownBlock { try? store.close() }  // run before the one above: the last added runs first

        let simulation = simulate(broker)
        XCTAssertTrue(waitUntil(timeout: 120) { self.eventCount(store) >= 10_000 }, "the stream did not start")
        return (hubs, store, simulation, directory)
    }

    /// Waits until hub-a holds hub-b's tasks and drains its session; returns how long after `since` that was.
    private func takeover(by hub: FleetHub, since: ContinuousClock.Instant) throws -> Duration {
        XCTAssertTrue(waitUntil(timeout: 15) {
            hub.metric("hub_lease_held", #"task="device-watch""#) == 1 && hub.metric("hub_mqtt_sessions_rescued") == 1
        }, "hub-a did not take hub-b's tasks and session\n\(hub.log)")
        return since.duration(to: .now)
    }

    func testAHubKilledMidStreamLosesAtMostWhatItsJournalHoldsAndNothingOnceItIsBack() throws {
        let (hubs, store, simulation, directory) = try fleetMidStream(prefix: "fleet-kill")
        let shares = hubs.map(\.stored)
        hubs[1].process?.kill()
        let killed = ContinuousClock.now
        XCTAssertTrue(shares.allSatisfy { $0 > 1000 }, "both hubs took a real share before the kill: \(shares)")

        let tookOver = try takeover(by: hubs[0], since: killed)
        simulation.wait()
        let storedWhileDown = settledCount(store)
        // What hub-b had acknowledged to the broker and not committed: in its journal, until it starts again.
        let copy = directory.appendingPathComponent("hub-b-journal-copy")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: hubs[1].configuration.store.path + ".mqtt-journal"), to: copy)
        let journalled = try ReceiptJournal(directory: copy, logger: quietLogger).pending.count
        let missing = Self.count - storedWhileDown
        print("measured: SIGKILL of hub-b after shares \(shares); hub-a held its tasks and drained its session \(tookOver) later (lease 2 s, renewal 1 s); \(missing) readings missing while hub-b was down, \(journalled) in its journal")
        XCTAssertLessThanOrEqual(tookOver, .seconds(3) + .seconds(2), "within lease + renewal, and the test's polling")
        XCTAssertGreaterThanOrEqual(missing, 0)
        XCTAssertLessThanOrEqual(missing, journalled, "what is missing is in the killed hub's journal, nowhere lost")

        // hub-b starts again: its journal is delivered again, its session comes back to it.
        try hubs[1].start()
        XCTAssertTrue(waitUntil(timeout: 60) { self.eventCount(store) == Self.count },
                      "stored \(eventCount(store)) of \(Self.count) after hub-b came back\n\(hubs[1].log)")
        XCTAssertTrue(waitUntil(timeout: 15) { hubs[0].metric("hub_mqtt_sessions_rescued") == 0 }, "hub-a let go of hub-b's session")
        for hub in hubs { XCTAssertEqual(try hub.process?.terminate(), 0, hub.log) }
        XCTAssertEqual(eventCount(store), Self.count, "each reading stored once")
        XCTAssertEqual(try store.deadLetterCount(), 0)
    }

    func testAHubStoppedMidStreamLosesNothingAndTheOtherTakesItsTasksAndSession() throws {
        let (hubs, store, simulation, _) = try fleetMidStream(prefix: "fleet-term")
        let shares = hubs.map(\.stored)
        let stopping = ContinuousClock.now
        XCTAssertEqual(try hubs[1].process?.terminate(), 0, hubs[1].log)
        XCTAssertTrue(shares.allSatisfy { $0 > 1000 }, "both hubs took a real share before the stop: \(shares)")
        let tookOver = try takeover(by: hubs[0], since: stopping)
        simulation.wait()
        XCTAssertTrue(waitUntil(timeout: 120) { self.eventCount(store) == Self.count },
                      "stored \(eventCount(store)) of \(Self.count) with hub-b stopped\n\(hubs[0].log)")
        print("measured: SIGTERM of hub-b after shares \(shares); hub-a held its tasks and drained its session \(tookOver) after the stop began")
        XCTAssertEqual(try hubs[0].process?.terminate(), 0, hubs[0].log)
        XCTAssertEqual(eventCount(store), Self.count, "nothing lost, each reading stored once")
    }
}
