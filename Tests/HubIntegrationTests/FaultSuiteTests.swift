import Foundation
import HubCore
import HubMQTT
import HubTesting
import XCTest

/// The `hub` executable through the bad days the README's fault table lists, counted exactly:
/// killed or stopped while a gateway publishes faster than it commits, overloaded, and killed right
/// after answering webhooks. Each test prints a `FAULT` line with its figures (sent, acknowledged,
/// stored, lost) for that table. Store failures are in HubStoreTests and the hostile inputs in
/// the feed, HTTP and e-invoicing tests.
final class FaultSuiteTests: XCTestCase {
    private var broker: MosquittoBroker!
    private var fixture: HubFixture!
    private var runs: [RunningProgram] = []

    override func setUpWithError() throws {
        broker = try MosquittoBroker()
        fixture = try HubFixture()
    }

    override func tearDown() {
        runs = []
        broker?.stop()
    }

    private func startHub(configuration: URL) throws -> RunningProgram {
        let hub = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                     logFile: fixture.directory.appendingPathComponent("run-\(runs.count).log"))
        runs.append(hub)
        // Faults are dealt to a running hub (a signal before its handlers exist would end it as any process).
        XCTAssertTrue(waitUntil(timeout: 30) { hub.log.contains("hub running") }, "the hub did not start\n\(hub.log)")
        return hub
    }

    /// Starts the hub on the fixture's MQTT configuration and waits until it has subscribed.
    private func startSubscribedHub(publisher: MQTTClient) throws -> (hub: RunningProgram, configuration: URL) {
        let configuration = try fixture.writeConfiguration(port: broker.port, clientID: "hub-under-fault")
        let hub = try startHub(configuration: configuration)
        // Until the hub has subscribed, a new session receives nothing: repeat the first reading.
        XCTAssertTrue(try waitUntil(timeout: 30) {
            try publishReadings(0..<1, via: publisher)
            return try waitUntil(timeout: 1) { try fixture.eventCount() == 1 }
        }, "the hub never stored the probe reading\n\(hub.log)")
        return (hub, configuration)
    }

    /// Publishes `readings` on a thread of its own, as a gateway would while the test does harm;
    /// the semaphore is signalled once the broker has acknowledged them all.
    private func publishInBackground(_ readings: Range<Int>, via publisher: MQTTClient) -> DispatchSemaphore {
        let published = DispatchSemaphore(value: 0)
        Thread {
            try? publishReadings(readings, via: publisher)
            published.signal()
        }.start()
        return published
    }

    private func report(_ fault: String, sent: Int, acknowledged: Int, extra: String = "") throws {
        let stored = try fixture.eventCount()
        print("FAULT \(fault): sent=\(sent) acknowledged=\(acknowledged) stored=\(stored) lost=\(acknowledged - stored)\(extra)")
    }

    func testAHubKilledFiveTimesUnderLoadLosesNothingItAcknowledged() throws {
        let publisher = try makePublisher(broker, clientID: "gateway-killed")
        defer { publisher.stop() }
        var (hub, configuration) = try startSubscribedHub(publisher: publisher)
        let total = 20_000
        let published = publishInBackground(1..<total, via: publisher)
        for round in 1...5 {
            // Killed while it is busy: readings taken from the broker are queued, not yet committed.
            XCTAssertTrue(try waitUntil(timeout: 120) { try fixture.eventCount() >= round * total / 7 }, "round \(round)\n\(hub.log)")
            hub.kill()
            hub = try startHub(configuration: configuration)
        }
        XCTAssertEqual(published.wait(timeout: .now() + 180), .success, "the gateway could not publish everything")
        XCTAssertTrue(try waitUntil(timeout: 180) { try fixture.eventCount() == total },
                      "stored \((try? fixture.eventCount()) ?? -1) of \(total)\n\(hub.log)")
        XCTAssertEqual(try hub.terminate(), 0, hub.log)
        try report("SIGKILL x5 under load", sent: total, acknowledged: total)
        try assertStoreHoldsExactly(0..<total, databasePath: fixture.databasePath)
        XCTAssertTrue(runs.contains { $0.log.contains("mqtt messages taken but not committed before the last stop are delivered again") },
                      "no kill left anything in the journal: the test did not exercise it")
    }

    func testAHubStoppedUnderLoadCommitsAllItTookAndTheRestFollows() throws {
        let publisher = try makePublisher(broker, clientID: "gateway-stopped")
        defer { publisher.stop() }
        var (hub, configuration) = try startSubscribedHub(publisher: publisher)
        let total = 20_000
        let published = publishInBackground(1..<total, via: publisher)
        XCTAssertTrue(try waitUntil(timeout: 120) { try fixture.eventCount() >= total / 4 }, hub.log)
        XCTAssertEqual(try hub.terminate(timeout: 30), 0, "SIGTERM under load\n\(hub.log)")
        XCTAssertFalse(hub.log.contains("delivered again"))
        hub = try startHub(configuration: configuration)
        XCTAssertEqual(published.wait(timeout: .now() + 180), .success)
        XCTAssertTrue(try waitUntil(timeout: 180) { try fixture.eventCount() == total }, hub.log)
        XCTAssertEqual(try hub.terminate(), 0, hub.log)
        // Read once the second run has ended, so its whole log is there.
        XCTAssertTrue(hub.log.contains("route totals"), hub.log)
        XCTAssertFalse(hub.log.contains("mqtt messages taken but not committed"), "a graceful stop leaves nothing in the journal\n\(hub.log)")
        try report("SIGTERM under load", sent: total, acknowledged: total)
        try assertStoreHoldsExactly(0..<total, databasePath: fixture.databasePath)
    }

    func testAMinuteOfOverloadKeepsMemoryBoundedAndEverythingIsStoredAfter() throws {
        let publisher = try makePublisher(broker, clientID: "gateway-overload")
        defer { publisher.stop() }
        let (hub, _) = try startSubscribedHub(publisher: publisher)
        // A gateway publishing flat out for a minute, faster than the hub commits: the queues fill,
        // the door waits, and the broker holds the rest for the hub's session.
        let start = Date()
        var published = 1
        var peak = 0
        while Date().timeIntervalSince(start) < 60 {
            try publishReadings(published..<published + 2_000, via: publisher)
            published += 2_000
            peak = max(peak, hub.residentBytes)
        }
        let publishSeconds = Date().timeIntervalSince(start)
        let storedWhenPublished = try fixture.eventCount()
        XCTAssertLessThan(storedWhenPublished, published, "the hub kept up: this was no overload")
        XCTAssertTrue(try waitUntil(timeout: 600) {
            peak = max(peak, hub.residentBytes)
            return try fixture.eventCount() == published
        }, "stored \((try? fixture.eventCount()) ?? -1) of \(published)\n\(hub.log)")
        let commitRate = Double(published) / Date().timeIntervalSince(start)
        XCTAssertGreaterThan(peak, 0)
        XCTAssertLessThan(peak, 256 << 20, "resident memory reached \(peak >> 20) MiB under overload")
        XCTAssertEqual(try hub.terminate(), 0, hub.log)
        try report("overload for \(Int(publishSeconds)) s", sent: published, acknowledged: published, extra: String(
            format: " publish_rate=%.0f/s commit_rate=%.0f/s overload=%.1fx backlog_at_end=%d peak_rss_mib=%d",
            Double(published) / publishSeconds, commitRate, Double(published) / publishSeconds / commitRate,
            published - storedWhenPublished, peak >> 20))
        try assertStoreHoldsExactly(0..<published, databasePath: fixture.databasePath)
    }

    func testWebhooksAnswered202SurviveAKillRightAfter() throws {
        let port = try MosquittoBroker.freeLoopbackPort()
        let token = "webhook-partner-token-0123456789"
        let configuration = fixture.directory.appendingPathComponent("webhook.json")
        try Data("""
        { "store": { "path": "\(fixture.databasePath)", "batchDelayMs": 20 },
          "http": { "address": "127.0.0.1", "port": \(port),
                    "tokens": [ { "name": "partner", "token": "\(token)", "scopes": ["ingest:partner"] } ] },
          "routes": [ { "name": "partner", "webhook": {}, "connector": "sensors.json",
                        "settings": \(Readings.routeSettings.jsonText) } ] }
        """.utf8).write(to: configuration)
        let client = HTTPTestClient(baseURL: "http://127.0.0.1:\(port)")
        var accepted = 0
        var sent = 0
        for _ in 0..<8 {
            let hub = try startHub(configuration: configuration)
            XCTAssertTrue(waitUntil(timeout: 30) { (try? client.send("GET", "/healthz").status) == 200 }, hub.log)
            for _ in 0..<50 {
                sent += 1
                if (try? client.send("POST", "/ingest/partner", token: token, body: Readings.payload(sent)))?.status == 202 { accepted += 1 }
            }
            hub.kill()  // right after the last 202
        }
        XCTAssertEqual(accepted, sent)
        try report("webhook kill -9 after 202 (8 rounds)", sent: sent, acknowledged: accepted)
        try assertStoreHoldsExactly(1..<(sent + 1), databasePath: fixture.databasePath, route: "partner")
    }
}
