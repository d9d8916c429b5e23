import Foundation
import HubCore
import HubRuntime
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The hub with its store failing under it, in process: a real Mosquitto broker and real QoS 1
/// MQTT, a real webhook, a real SQLite file. The fault is made on the hub's own write connection
/// with `PRAGMA query_only`, which makes SQLite refuse every write with SQLITE_READONLY, the code a
/// read-only remount gives (the tests run as root, who ignores file permissions).
final class StoreOutageTests: XCTestCase {
    private typealias Hub = OperationsHub

    private func setStoreReadOnly(_ hub: Hub, _ readOnly: Bool) throws {
        try XCTUnwrap(hub.runtime.store as? SQLiteStore).withWriteConnection { connection in
            _ = try connection.query("PRAGMA query_only = \(readOnly ? 1 : 0)") { $0.int64(0) }
        }
    }

    /// Sent 6,000 over MQTT (2,000 before, 3,000 during, 1,000 after the outage), all acknowledged
    /// by the broker: stored 6,000, lost 0, duplicated 0. During the outage the hub disconnects
    /// (the broker keeps the messages for its session), webhooks get 503 with Retry-After and
    /// nothing is taken, `/readyz` answers 503 with the reason and the metric says 0.
    func testMessagesPublishedWhileTheStoreIsReadOnlyAreStoredOnceItRecovers() throws {
        let broker = try MosquittoBroker()
        let hub = try Hub(broker: broker)
        defer { hub.stop() }
        try hub.publish(0..<2000, expectedEvents: 2000)

        try setStoreReadOnly(hub, true)
        try hub.publish(2000..<5000, expectedEvents: nil)
        XCTAssertTrue(waitUntil(timeout: 10) { !hub.runtime.intakeGate.isOpen }, "intake paused")
        XCTAssertTrue(waitUntil(timeout: 10) { !hub.runtime.isConnected }, "the MQTT door disconnected")

        let refused = try hub.client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(9001))
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual(refused.headers["retry-after"], "5")
        XCTAssertTrue(String(decoding: refused.body, as: UTF8.self).contains("store-unavailable"),
                      String(decoding: refused.body, as: UTF8.self))
        let readiness = try hub.client.send("GET", "/readyz")
        XCTAssertEqual(readiness.status, 503)
        let reasons = String(decoding: readiness.body, as: UTF8.self)
        XCTAssertTrue(reasons.contains("intake paused") && reasons.contains("read-only") || reasons.contains("readonly"), reasons)
        let metrics = try hub.client.send("GET", "/metrics", token: Hub.readerToken)
        XCTAssertTrue(String(decoding: metrics.body, as: UTF8.self).contains(#"hub_store_writable{hub="\#(hub.runtime.hubName)"} 0"#))
        let storedDuringOutage = try hub.runtime.store.eventCount()
        XCTAssertLessThan(storedDuringOutage, 5000)

        // Still read-only: these too wait at the broker.
        try hub.publish(5000..<6000, expectedEvents: nil)
        try setStoreReadOnly(hub, false)
        XCTAssertTrue(waitUntil(timeout: 60) { (try? hub.runtime.store.eventCount()) == 6000 },
                      "stored \((try? hub.runtime.store.eventCount()) ?? -1) of 6000")
        XCTAssertTrue(waitUntil(timeout: 10) { hub.runtime.intakeGate.isOpen })
        XCTAssertTrue(hub.runtime.waitUntilConnected(timeout: .seconds(20)), "connected again")
        XCTAssertEqual(try hub.client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(9001)).status, 202)
        XCTAssertTrue(waitUntil(timeout: 10) { (try? hub.client.send("GET", "/readyz").status) == 200 })
        hub.stop()

        let store = try SQLiteStore(path: hub.fixture.databasePath, logger: quietLogger)
        defer { try? store.close() }
        // 6,000 MQTT readings and the one webhook reading taken after recovery, each exactly once.
        XCTAssertEqual(try store.eventCount(), 6001)
        let distinct = try store.withReadConnection {
            try $0.query("SELECT count(DISTINCT observed_at) FROM events") { Int($0.int64(0)) }.first ?? 0
        }
        XCTAssertEqual(distinct, 6001)
    }

    /// A stop while the store still fails takes about `stopTimeoutSeconds`, not forever: what the hub
    /// holds is spilled beside the database, and a new hub on the same file commits it at start.
    func testAStopWhileTheStoreFailsIsBoundedAndTheNextStartCommitsWhatWasHeld() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        var json = fixture.configurationJSON(port: broker.port, clientID: "hub-spill")
        if case .object(var root) = json, case .object(var store)? = root["store"] {
            store["stopTimeoutSeconds"] = .number(1)
            root["store"] = .object(store)
            json = .object(root)
        }
        let configuration = try HubConfiguration(json: json, environment: [:], catalog: .compiledIn)
        let runtime = try HubRuntime.Hub(configuration: configuration, logger: quietLogger)
        try runtime.start()
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))
        let publisher = try makePublisher(broker, clientID: "gateway-spill")
        defer { publisher.stop() }
        try publishReadings(0..<500, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { (try? runtime.store.eventCount()) == 500 })

        try XCTUnwrap(runtime.store as? SQLiteStore).withWriteConnection { _ = try $0.query("PRAGMA query_only = 1") { $0.int64(0) } }
        try publishReadings(500..<3000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 10) { !runtime.intakeGate.isOpen })
        let received = runtime.metrics.route("air-quality").received.value
        XCTAssertGreaterThan(received, 500, "the hub holds some readings it took before it paused")

        let started = ContinuousClock.now
        runtime.stop()
        XCTAssertLessThan(started.duration(to: .now), .seconds(15), "the stop is bounded")
        XCTAssertEqual(SpillFile.pending(besideDatabase: fixture.databasePath).count, 1)
        XCTAssertEqual(runtime.metrics.spilledRecords.value, received - 500, "what was held and not committed is spilled")

        // The next run commits the spill first, then takes what the broker kept for its session.
        let second = try HubRuntime.Hub(configuration: configuration, logger: quietLogger)
        try second.start()
        XCTAssertTrue(waitUntil(timeout: 60) { (try? second.store.eventCount()) == 3000 },
                      "stored \((try? second.store.eventCount()) ?? -1) of 3000")
        second.stop()
        XCTAssertTrue(SpillFile.pending(besideDatabase: fixture.databasePath).isEmpty)
        try assertStoreHoldsExactly(0..<3000, databasePath: fixture.databasePath)
    }

    /// The database, its log and shared memory deleted while readings flow: the hub notices at the
    /// next commit, restores the file from its open handle and goes on. Sent 4,000, stored 4,000 in
    /// the file at the path, lost 0, duplicated 0.
    func testDatabaseFilesDeletedUnderTheHubAreDetectedAndNothingIsLost() throws {
        let broker = try MosquittoBroker()
        let hub = try Hub(broker: broker)
        defer { hub.stop() }
        try hub.publish(0..<2000, expectedEvents: 2000)
        let path = hub.fixture.databasePath
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        XCTAssertEqual((try? hub.client.send("GET", "/readyz"))?.status, 200, "the probe found the deletion and restored the file")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        try hub.publish(2000..<4000, expectedEvents: 4000)
        hub.stop()

        let store = try SQLiteStore(path: path, logger: quietLogger)
        defer { try? store.close() }
        XCTAssertEqual(try store.eventCount(), 4000)
        let distinct = try store.withReadConnection {
            try $0.query("SELECT count(DISTINCT observed_at) FROM events") { Int($0.int64(0)) }.first ?? 0
        }
        XCTAssertEqual(distinct, 4000)
    }
}
