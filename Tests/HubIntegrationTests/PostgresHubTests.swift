import Foundation
import HubCore
@testable import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// The hub end to end on PostgreSQL (`store.postgres.url`): a real Mosquitto, a real PostgreSQL
/// started for the test, the same answers as on SQLite.
final class PostgresHubTests: XCTestCase {
    /// hub-a and hub-b on one database, sharing the stream (`$share`), started and connected.
    private func startTwoHubs(_ fixture: HubFixture, broker: MosquittoBroker, server: PostgresServer, http: Bool = false,
                              rules: [JSONValue] = []) throws -> [Hub] {
        try ["hub-a", "hub-b"].map { name in
            let hub = try Hub(configuration: configuration(fixture, broker: broker, server: server, clientID: "territory-hub-\(name)",
                                                           shareGroupAs: name, http: http, rules: rules), logger: quietLogger)
            try hub.start()
            XCTAssertTrue(hub.waitUntilConnected(timeout: .seconds(10)))
            return hub
        }
    }

    private func configuration(_ fixture: HubFixture, broker: MosquittoBroker, server: PostgresServer, clientID: String,
                               retentionDays: Int? = nil, shareGroupAs hubName: String? = nil, http: Bool = false,
                               rules: [JSONValue] = []) throws -> HubConfiguration {
        guard case .object(var root) = fixture.configurationJSON(port: broker.port, clientID: clientID),
              case .object(var store) = root["store"], case .object(var mqtt) = root["mqtt"] else {
            throw TestSupportError(.commandFailed, "the fixture's configuration changed shape")
        }
        store["postgres"] = .object(["url": .string("${HUB_PG_URL}")])
        if let retentionDays { store["retentionDays"] = .number(Double(retentionDays)) }
        if let hubName {
            store["path"] = .string(fixture.directory.appendingPathComponent(hubName).path)
            mqtt["shareGroup"] = .string("hubs")
            root["mqtt"] = .object(mqtt)
            root["hub"] = .object(["name": .string(hubName), "leaseSeconds": .number(2), "leaseRenewalSeconds": .number(1)])
        }
        root["store"] = .object(store)
        if !rules.isEmpty { root["rules"] = .array(rules) }
        if http {
            root["http"] = .object(["port": .number(0), "tokens": .array([
                .object(["name": .string("ops"), "token": .string(Self.reader), "scopes": .array([.string("read")])]),
            ])])
        }
        return try HubConfiguration(json: .object(root), environment: ["HUB_PG_URL": server.databaseURL], catalog: .compiledIn)
    }

    func testReadingsAreStoredOnceInPostgreSQLAcrossARestartThatReceivesThemAgain() throws {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        defer { server.shutDown() }
        let fixture = try HubFixture()
        let settings = try configuration(fixture, broker: broker, server: server, clientID: "hub-pg")

        let first = try Hub(configuration: settings, logger: quietLogger)
        try first.start()
        XCTAssertTrue(first.waitUntilConnected(timeout: .seconds(10)))
        let publisher = try makePublisher(broker, clientID: "gateway-pg")
        try publishReadings(0..<2000, via: publisher)
        XCTAssertTrue(try waitUntil(timeout: 60) { try first.store.eventCount() >= 2000 },
                      "stored \((try? first.store.eventCount()) ?? -1) of 2000")
        first.stop()

        // A gateway that did not hear the acknowledgements sends everything again, and more.
        let newlyStored = Counter()
        let second = try Hub(configuration: settings, logger: quietLogger) { stored, _ in newlyStored.increment(by: stored.count) }
        try second.start()
        XCTAssertTrue(second.waitUntilConnected(timeout: .seconds(10)))
        try publishReadings(0..<3000, via: publisher)
        publisher.stop()
        XCTAssertTrue(waitUntil(timeout: 60) { second.metrics.route("air-quality").received.value >= 3000 })
        second.stop()

        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.databasePath), "no SQLite file: the events are in PostgreSQL")
        let store = try Hub.openStore(settings.store, logger: quietLogger)
        defer { try? store.close() }
        try assertStoreHoldsExactly(0..<3000, store: store)
        XCTAssertEqual(newlyStored.value, 1000, "the second hub's commits stored only the new readings")
    }

    /// The database restarted while two hubs share a stream: their writes fail, intake waits, and
    /// once it is back both commit what they held; every reading the broker accepted is stored once.
    func testTwoHubsLoseNothingWhenPostgreSQLRestartsMidStreamAndReconnectByThemselves() throws {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        defer { server.shutDown() }
        let fixture = try HubFixture()
        let hubs = try startTwoHubs(fixture, broker: broker, server: server)
        defer { hubs.forEach { $0.stop() } }
        let publisher = try makePublisher(broker, clientID: "gateway-pg-restart")
        defer { publisher.stop() }
        try publishReadings(0..<1500, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { hubs.allSatisfy { $0.metrics.route("air-quality").eventsStored.value > 0 } },
                      "both hubs take a share")
        try server.restart()
        try publishReadings(1500..<3000, via: publisher)
        let stored = { hubs.map { $0.metrics.route("air-quality").eventsStored.value }.reduce(0, +) }
        XCTAssertTrue(waitUntil(timeout: 60) { stored() >= 3000 }, "committed \(stored()) of 3000 after the restart")
        XCTAssertGreaterThan(hubs.map(\.metrics.batchFailures.value).reduce(0, +), 0, "a write met the restart")
        let store = try Hub.openStore(hubs[0].configuration.store, logger: quietLogger)
        defer { try? store.close() }
        try assertStoreHoldsExactly(0..<3000, store: store)
    }

    private static let reader = "reader-token-0123456789abcdef"

    /// Operations centres watch one hub's live stream: on a shared database it shows what every
    /// hub of the fleet commits, not only the hub's own share.
    func testTheLiveStreamOfOneHubShowsWhatEveryHubOfTheFleetStores() throws {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        defer { server.shutDown() }
        let fixture = try HubFixture()
        let hubs = try startTwoHubs(fixture, broker: broker, server: server, http: true)
        defer { hubs.forEach { $0.stop() } }
        let stream = HTTPTestClient(baseURL: "http://127.0.0.1:\(hubs[1].httpPort ?? 0)").openStream("/api/v1/stream", token: Self.reader)
        defer { stream.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { stream.status == 200 })
        let publisher = try makePublisher(broker, clientID: "gateway-pg-stream")
        defer { publisher.stop() }
        try publishReadings(0..<600, via: publisher)
        func streamed() -> Set<Substring> { Set(stream.text.split(separator: "\n").filter { $0.hasPrefix("id: ") }) }
        XCTAssertTrue(waitUntil(timeout: 30) { streamed().count >= 600 }, "hub-b's stream showed \(streamed().count) of 600")
        XCTAssertEqual(streamed().count, 600, "each once")
        XCTAssertTrue(hubs.allSatisfy { $0.metrics.route("air-quality").eventsStored.value > 0 }, "both hubs stored a share")
    }

    /// The rules of a fleet are evaluated once, on every hub's readings: by the hub holding the
    /// `alarms` lease, fed from the shared store.
    func testOneHubOfTheFleetEvaluatesTheRulesOnEveryHubsReadings() throws {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        defer { server.shutDown() }
        let fixture = try HubFixture()
        // Readings 801 to 996 carry NO2 above 200, one of every device; the alarm never clears.
        let rule: JSONValue = .object(["name": .string("no2-high"), "severity": .string("major"), "types": .array([.string("AirQualityObserved")]),
                                       "threshold": .object(["attribute": .string("no2"), "above": .number(200), "hysteresis": .number(200)])])
        let hubs = try startTwoHubs(fixture, broker: broker, server: server, rules: [rule])
        defer { hubs.forEach { $0.stop() } }
        let publisher = try makePublisher(broker, clientID: "gateway-pg-rules")
        defer { publisher.stop() }
        // (Reading 997's NO2 is 0 again, which would clear device 47's alarm.)
        try publishReadings(0..<997, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { hubs.map(\.alarmStage.evaluated.value).reduce(0, +) >= 997 },
                      "evaluated \(hubs.map(\.alarmStage.evaluated.value))")
        XCTAssertTrue(hubs.allSatisfy { $0.metrics.route("air-quality").eventsStored.value > 0 }, "both hubs stored a share")
        XCTAssertEqual(hubs.map(\.alarmStage.evaluated.value).sorted(), [0, 997], "one hub evaluated every hub's readings")
        XCTAssertEqual(try hubs[0].store.openAlarms().count, 50, "one alarm per device")
        XCTAssertEqual(hubs.map(\.alarmStage.raised.value).sorted(), [0, 50])
        XCTAssertTrue(try waitUntil(timeout: 10) { try hubs[0].store.events(type: "AlarmRaised", limit: 100).count == 50 }, "each raised once")

        // Acknowledged through the other hub's API, then cleared by the evaluating hub: the clear keeps who acknowledged it.
        let other = try XCTUnwrap(hubs.first { $0.alarmStage.evaluated.value == 0 })
        let alarm = try XCTUnwrap(try other.store.openAlarms().first { $0.entity == Readings.entity(997) })
        XCTAssertEqual(try other.acknowledgeAlarm(id: try XCTUnwrap(alarm.id), by: "duty-operator")?.acknowledgedBy, "duty-operator")
        XCTAssertTrue(try waitUntil(timeout: 10) { try other.store.events(type: "AlarmAcknowledged", limit: 10).count == 1 })
        try publishReadings(997..<998, via: publisher)
        XCTAssertTrue(try waitUntil(timeout: 20) { try other.store.alarm(id: try XCTUnwrap(alarm.id))?.status == .cleared }, "cleared")
        XCTAssertEqual(try other.store.alarm(id: try XCTUnwrap(alarm.id))?.acknowledgedBy, "duty-operator")
    }

    func testOnPostgreSQLTheHubHoldingTheRetentionLeaseSweepsAndOnSQLiteTheStoreDoes() throws {
        let broker = try MosquittoBroker()
        let server = try PostgresServer()
        defer { server.shutDown() }
        let fixture = try HubFixture()
        let shared = try Hub(configuration: configuration(fixture, broker: broker, server: server, clientID: "hub-pg-retention",
                                                          retentionDays: 30), logger: quietLogger)
        try shared.start()
        XCTAssertTrue(shared.leases.tasks.contains(.retention), "retention is a task one hub of the fleet runs")
        XCTAssertTrue(waitUntil(timeout: 10) { shared.leases.holds(.retention) }, "a lone hub holds it")
        shared.stop()

        var local = try fixture.configuration(port: broker.port, clientID: "hub-sqlite-retention")
        local.store.retention.defaultEventDays = 30
        let alone = try Hub(configuration: local, logger: quietLogger)
        XCTAssertFalse(alone.leases.tasks.contains(.retention), "the SQLite store sweeps by itself")
        alone.stop()
    }
}
