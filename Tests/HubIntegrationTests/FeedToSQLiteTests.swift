import Foundation
import HubCore
import HubFeeds
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// Feed routes end to end: a real HTTP server on loopback (feed_server.py) serving changing
/// feeds with ETags, a 304, a 500, a slow answer and a broken body; the hub polls it, decodes with
/// the mobility connectors, and commits events and dead letters to a real SQLite file.
final class FeedToSQLiteTests: XCTestCase {
    private static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    private func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: Self.testsFolder.appendingPathComponent(relativePath))
    }

    func testPolledFeedsBecomeEventsDeadLettersAndFeedStatus() throws {
        let server = try FeedTestServer(script: Self.testsFolder.appendingPathComponent("HubFeedsTests/Fixtures/feed_server.py"))
        defer { server.stop() }
        let bullRunner = try data("MobilityPluginTests/Fixtures/gtfs-rt/bullrunner-vehicle-positions.pb")
        let oneVehicle = try data("MobilityPluginTests/Fixtures/gtfs-rt/vehicle_position.pb")
        let waze = try data("MobilityPluginTests/Fixtures/waze/SampeData1.json")
        // Requests in turn: 200, then 304 (same ETag), then 500, then a changed feed.
        try server.serve("/vehicles.pb", [.init(body: bullRunner), .init(body: bullRunner), .init(status: 500), .init(body: oneVehicle)])
        // A slow answer (past the 1 s timeout), then the feed, then a broken body that repeats.
        try server.serve("/waze.json", [.init(body: waze, delay: 3), .init(body: waze), .init(body: Data("{\"jams\": [".utf8))])

        let fixture = try HubFixture()
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "routes": .array([
                .object([
                    "name": .string("buses"),
                    "feed": .object([
                        "url": .string(server.url("/vehicles.pb").absoluteString), "periodSeconds": .number(1), "allowPrivateNetwork": .bool(true),
                        "maxBackoffSeconds": .number(1), "headers": .object(["Authorization": .string("Bearer ${PARTNER_TOKEN}")]),
                    ]),
                    "connector": .string("mobility.gtfs-rt"),
                ]),
                .object([
                    "name": .string("traffic"),
                    "feed": .object([
                        "url": .string(server.url("/waze.json").absoluteString), "periodSeconds": .number(1), "allowPrivateNetwork": .bool(true),
                        "timeoutSeconds": .number(1), "maxBackoffSeconds": .number(1),
                    ]),
                    "connector": .string("mobility.waze"),
                ]),
            ]),
        ])
        let configuration = try HubConfiguration(json: json, environment: ["PARTNER_TOKEN": "t0ken"], catalog: .compiledIn)
        let hub = try Hub(configuration: configuration, logger: quietLogger)
        try hub.start()
        defer { hub.stop() }

        func status(_ route: String) -> FeedStatus? { hub.feedStatuses.first { $0.route == route } }
        XCTAssertTrue(waitUntil(timeout: 30) {
            (status("buses")?.delivered ?? 0) >= 2 && (status("traffic")?.deadLetters ?? 0) >= 1
                && (status("buses")?.eventsProduced ?? 0) >= 13 && (status("traffic")?.eventsProduced ?? 0) >= 50
        }, "feeds: \(hub.feedStatuses)")

        // 10 vehicles and a quality count from the first body; 1 vehicle and a new count from the changed one.
        XCTAssertEqual(try hub.store.events(type: "VehiclePosition", route: "buses", limit: 100).count, 11)
        XCTAssertEqual(try hub.store.events(type: "FeedQuality", route: "buses", limit: 100).count, 2)
        XCTAssertEqual(try hub.store.events(type: "TrafficJam", route: "traffic", limit: 100).count, 50)
        let deadLetters = try hub.store.deadLetters(limit: 10)
        XCTAssertEqual(deadLetters.count, 1)
        XCTAssertTrue(deadLetters[0].deadLetter.reason.contains("not valid JSON"), deadLetters[0].deadLetter.reason)

        let buses = try XCTUnwrap(status("buses"))
        XCTAssertEqual(buses.failures, 1)
        // The same poll results reach /metrics through the metrics registry.
        let failures = hub.metrics.providedFamilies().first { $0.name == "hub_feed_failures_total" }
        XCTAssertEqual(failures?.samples.first { $0.labels["route"] == "buses" }?.value, 1)
        XCTAssertTrue(buses.lastError?.hasPrefix("HTTP 500") == true, buses.lastError ?? "")
        XCTAssertGreaterThanOrEqual(buses.notModified, 1)
        XCTAssertEqual(buses.eventsProduced, 13)
        XCTAssertEqual(buses.url, server.url("/vehicles.pb").absoluteString)
        let traffic = try XCTUnwrap(status("traffic"))
        XCTAssertGreaterThanOrEqual(traffic.failures, 1, "the slow answer at least")
        XCTAssertTrue(traffic.lastError?.contains("no complete answer") == true, traffic.lastError ?? "")
        XCTAssertEqual(traffic.eventsProduced, 50)
        XCTAssertEqual(traffic.deadLetters, 1)

        let requests = try server.requests("/vehicles.pb")
        XCTAssertTrue(requests.allSatisfy { $0.headers["authorization"] == "Bearer t0ken" }, "${PARTNER_TOKEN} substituted")
        XCTAssertEqual(Array(requests.prefix(4).map(\.status)), [200, 304, 500, 200])
        XCTAssertEqual(requests.map(\.concurrent).max(), 1)
    }

    func testAGracefulStopWaitsForWhatWasHandedToTheRoute() throws {
        let server = try FeedTestServer(script: Self.testsFolder.appendingPathComponent("HubFeedsTests/Fixtures/feed_server.py"))
        defer { server.stop() }
        try server.serve("/waze.json", [.init(body: try data("MobilityPluginTests/Fixtures/waze/SampeData1.json"))])
        try server.serve("/slow.pb", [.init(body: Data(), delay: 30)])
        let fixture = try HubFixture()
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath)]),
            "routes": .array([
                .object(["name": .string("traffic"), "connector": .string("mobility.waze"),
                         "feed": .object(["url": .string(server.url("/waze.json").absoluteString), "periodSeconds": .number(60),
                                          "allowPrivateNetwork": .bool(true)])]),
                .object(["name": .string("slow"), "connector": .string("mobility.gtfs-rt"),
                         "feed": .object(["url": .string(server.url("/slow.pb").absoluteString), "timeoutSeconds": .number(120),
                                          "allowPrivateNetwork": .bool(true)])]),
            ]),
        ])
        let hub = try Hub(configuration: try HubConfiguration(json: json, environment: [:], catalog: .compiledIn),
                                 logger: quietLogger)
        try hub.start()
        XCTAssertTrue(waitUntil(timeout: 20) {
            hub.feedStatuses.first { $0.route == "traffic" }?.delivered == 1 && hub.feedStatuses.first { $0.route == "slow" }?.fetches == 1
        })
        hub.stop()  // the slow fetch is cancelled; the delivered body is decoded and committed first
        let reopened = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        defer { try? reopened.close() }
        XCTAssertEqual(try reopened.eventCount(), 50)
        XCTAssertEqual(hub.feedStatuses.first { $0.route == "slow" }?.failures, 0, "a cancelled fetch is no failure")
    }
}
