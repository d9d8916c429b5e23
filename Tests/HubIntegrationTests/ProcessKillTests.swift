import Foundation
import HubCore
import HubTesting
import XCTest

/// The `hub` executable killed (SIGKILL) three times while a gateway publishes faster than it
/// commits: every reading the broker handed it is stored exactly once in the end. What it had
/// acknowledged to the broker but not committed when it died comes back from its receipt journal
/// at the next start; the rest the broker kept for its persistent session.
final class ProcessKillTests: XCTestCase {
    func testAHubKilledThreeTimesUnderLoadLosesNothingItAcknowledged() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let configuration = try fixture.writeConfiguration(port: broker.port, clientID: "hub-killed")
        let publisher = try makePublisher(broker, clientID: "gateway-killed")
        defer { publisher.stop() }
        var logs: [RunningProgram] = []
        func startHub() throws -> RunningProgram {
            let hub = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                         logFile: fixture.directory.appendingPathComponent("run-\(logs.count).log"))
            logs.append(hub)
            return hub
        }
        var hub = try startHub()
        // Until the hub has subscribed, a new session receives nothing: repeat the first reading.
        XCTAssertTrue(try waitUntil(timeout: 30) {
            try publishReadings(0..<1, via: publisher)
            return try waitUntil(timeout: 1) { try fixture.eventCount() == 1 }
        }, "the hub never stored the probe reading\n\(hub.log)")

        let total = 20_000
        let published = DispatchSemaphore(value: 0)
        Thread {
            try? publishReadings(1..<total, via: publisher)
            published.signal()
        }.start()
        for round in 1...3 {
            // Killed while it is busy: readings taken from the broker are queued, not yet committed.
            XCTAssertTrue(try waitUntil(timeout: 120) { try fixture.eventCount() >= round * total / 5 }, "round \(round)\n\(hub.log)")
            hub.kill()
            hub = try startHub()
        }
        XCTAssertEqual(published.wait(timeout: .now() + 180), .success, "the gateway could not publish everything")
        XCTAssertTrue(try waitUntil(timeout: 180) { try fixture.eventCount() == total }, "stored \((try? fixture.eventCount()) ?? -1) of \(total)\n\(hub.log)")
        XCTAssertEqual(try hub.terminate(), 0, hub.log)
        try assertStoreHoldsExactly(0..<total, databasePath: fixture.databasePath)
        XCTAssertTrue(logs.contains { $0.log.contains("mqtt messages taken but not committed before the last stop are delivered again") },
                      "no kill left anything in the journal: the test did not exercise it")
    }
}
