import Foundation
import HubCore
@testable import HubStore
import HubTesting
import XCTest

/// The `hub` executable as an operator runs it: started, stopped with SIGTERM, started again.
final class HubExecutableTests: XCTestCase {
    func testMessagesPublishedWhileTheHubIsStoppedArriveOnceWhenItStartsAgain() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let configuration = try fixture.writeConfiguration(port: broker.port, clientID: "hub-executable")
        let publisher = try makePublisher(broker, clientID: "gateway-executable")
        defer { publisher.stop() }

        // First run: it subscribes (creating its persistent session) and stores the first readings.
        let first = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                       logFile: fixture.directory.appendingPathComponent("first.log"))
        // Until the hub has subscribed, a new session receives nothing: repeat the first reading
        // (the same event id, so stored once) until it is stored.
        let subscribed = try waitUntil(timeout: 30) {
            try publishReadings(0..<1, via: publisher)
            return try waitUntil(timeout: 1) { try fixture.eventCount() == 1 }
        }
        XCTAssertTrue(subscribed, "the first run stored the probe reading\n\(first.log)")
        try publishReadings(1..<2000, via: publisher)
        XCTAssertTrue(try waitUntil(timeout: 60) { try fixture.eventCount() == 2000 }, "first run\n\(first.log)")
        XCTAssertEqual(try first.terminate(), 0, first.log)

        // While it is down, the broker keeps what arrives for its session.
        try publishReadings(2000..<5000, via: publisher)

        let second = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                        logFile: fixture.directory.appendingPathComponent("second.log"))
        XCTAssertTrue(try waitUntil(timeout: 60) { try fixture.eventCount() == 5000 }, "second run\n\(second.log)")
        XCTAssertEqual(try second.terminate(), 0, second.log)

        XCTAssertTrue(second.log.contains("route totals dead_letters=0 events=3000 received=3000 route=air-quality"),
                      "the second run received each message published while it was down exactly once\n\(second.log)")
        try assertStoreHoldsExactly(0..<5000, databasePath: fixture.databasePath)
    }
}

extension HubFixture {
    /// How many events the store holds now, read through a separate connection as an operator would.
    ///
    /// A read-only connection: opening a whole store would take the write lock to check the schema,
    /// and wait behind the running hub's commits (an overloaded hub's can outlast the busy timeout).
    func eventCount() throws -> Int {
        guard FileManager.default.fileExists(atPath: databasePath) else { return 0 }
        let connection = try SQLiteConnection(path: databasePath, readOnly: true, busyTimeout: .seconds(30))
        defer { try? connection.close() }
        // A hub that just created the file may not have committed its schema yet.
        guard try connection.query("SELECT count(*) FROM sqlite_schema WHERE name = 'events'", row: { $0.int64(0) }).first == 1 else { return 0 }
        return try connection.query("SELECT count(*) FROM events") { Int($0.int64(0)) }.first ?? 0
    }
}
