import Foundation
import HubCore
import HubMQTT
@testable import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// Two hubs on one shared subscription (`mqtt.shareGroup`) and one lease table, on a real
/// Mosquitto. Each hub has its own SQLite file here (the lease table is a `LocalLease` both hold);
/// on PostgreSQL they share the database and its lease table, with the same counts.
final class SeveralHubsTests: XCTestCase {
    private static let group = "hubs"

    private func fleetHub(_ name: String, fixture: HubFixture, broker: MosquittoBroker, lease: any SingletonLease) throws -> Hub {
        guard case .object(var root) = fixture.configurationJSON(port: broker.port, clientID: "territory-hub-\(name)"),
              case .object(var mqtt)? = root["mqtt"] else { throw TestSupportError(.brokerDidNotStart, "unexpected fixture") }
        mqtt["shareGroup"] = .string(Self.group)
        root["mqtt"] = .object(mqtt)
        root["hub"] = .object(["name": .string(name), "leaseSeconds": .number(2), "leaseRenewalSeconds": .number(1)])
        let configuration = try HubConfiguration(json: .object(root), environment: [:], catalog: .compiledIn)
        let hub = try Hub(configuration: configuration, logger: quietLogger, lease: lease)
        try hub.start()
        guard hub.waitUntilConnected(timeout: .seconds(10)) else { throw TestSupportError(.brokerDidNotStart, "\(name) did not connect") }
        return hub
    }

    /// The ids of the events a hub's database holds.
    private func storedIDs(_ fixture: HubFixture) throws -> [EventID] {
        let store = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        defer { try? store.close() }
        return try store.events(route: "air-quality", limit: 100_000).map(\.id)
    }

    private func stored(_ hub: Hub) -> Int { hub.metrics.route("air-quality").eventsStored.value }

    func testAStoppedHubsShareIsDrainedByTheOtherUntilItComesBackAndEachReadingIsStoredOnce() throws {
        let broker = try MosquittoBroker()
        let fixtures = [try HubFixture(), try HubFixture()]
        let lease = LocalLease()
        let hubA = try fleetHub("hub-a", fixture: fixtures[0], broker: broker, lease: lease)
        defer { hubA.stop() }
        var hubB = try fleetHub("hub-b", fixture: fixtures[1], broker: broker, lease: lease)
        defer { hubB.stop() }
        let publisher = try makePublisher(broker, clientID: "gateway-fleet")
        defer { publisher.stop() }

        // Both alive: the broker spreads the readings, each hub takes a real share.
        try publishReadings(0..<1000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { self.stored(hubA) + self.stored(hubB) >= 1000 }, "\(stored(hubA)) + \(stored(hubB))")
        XCTAssertGreaterThan(stored(hubA), 250, "hub-a takes a real share")
        XCTAssertGreaterThan(stored(hubB), 250, "hub-b takes a real share")
        XCTAssertEqual(hubA.rescue?.rescuing, [], "nobody is gone")

        // hub-b stops: its persistent session stays at the broker and keeps its share of the group.
        hubB.stop()
        XCTAssertTrue(waitUntil(timeout: 10) { hubA.rescue?.rescuing == ["territory-hub-hub-b"] },
                      "hub-a drains hub-b's session: \(hubA.rescue?.rescuing ?? [])")
        XCTAssertEqual(hubA.metrics.providedFamilies().first { $0.name == "hub_mqtt_sessions_rescued" }?.samples.first?.value, 1)
        let beforeAway = stored(hubA)
        try publishReadings(1000..<2000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { self.stored(hubA) >= beforeAway + 1000 },
                      "hub-a stored \(stored(hubA) - beforeAway) of the 1000 published while hub-b was away")

        // hub-b comes back: the broker hands it its session, hub-a lets go of it.
        hubB = try fleetHub("hub-b", fixture: fixtures[1], broker: broker, lease: lease)
        XCTAssertTrue(waitUntil(timeout: 10) { hubA.rescue?.rescuing == [] }, "hub-a still drains hub-b's session")
        XCTAssertTrue(waitUntil(timeout: 10) { hubB.leases.holds(.session("territory-hub-hub-b")) }, "hub-b took its lease back")
        let beforeBack = stored(hubA)
        try publishReadings(2000..<3000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { self.stored(hubA) - beforeBack + self.stored(hubB) >= 1000 },
                      "\(stored(hubA) - beforeBack) + \(stored(hubB)) of 1000 after hub-b came back")
        XCTAssertGreaterThan(stored(hubB), 250, "hub-b takes its share again")
        XCTAssertEqual(hubA.rescue?.rescuing, [], "hub-a did not take the session back")
        hubA.stop()
        hubB.stop()

        let ids = try fixtures.flatMap(storedIDs)
        let expected = Set((0..<3000).map {
            EventID.make(type: "AirQualityObserved", entity: Readings.entity($0), observedAt: Readings.observedAt($0))
        })
        XCTAssertEqual(Set(ids), expected, "every reading is stored")
        XCTAssertEqual(ids.count, expected.count, "and stored once across the fleet")
    }

    func testADeadHubsSessionIsRescuedWithinItsLeaseAndRenewalAndNothingIsLost() throws {
        let broker = try MosquittoBroker()
        let fixtures = [try HubFixture(), try HubFixture()]
        let lease = LocalLease()
        let hubA = try fleetHub("hub-a", fixture: fixtures[0], broker: broker, lease: lease)
        defer { hubA.stop() }
        // hub-b reaches the lease table through a link the test cuts: when it "dies" its leases
        // run out (leaseSeconds 2) instead of being released.
        let link = SeverableLease(lease)
        let hubB = try fleetHub("hub-b", fixture: fixtures[1], broker: broker, lease: link)
        let publisher = try makePublisher(broker, clientID: "gateway-fleet")
        defer { publisher.stop() }
        try publishReadings(0..<1000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { self.stored(hubA) + self.stored(hubB) >= 1000 }, "\(stored(hubA)) + \(stored(hubB))")

        let died = ContinuousClock.now
        link.isSevered = true
        hubB.stop()
        XCTAssertTrue(waitUntil(timeout: 10) { hubA.rescue?.rescuing == ["territory-hub-hub-b"] }, "hub-b's session was not rescued")
        let rescuedAfter = died.duration(to: .now)
        // Its lease runs out 2 s after its last renewal (at most 2 s before it died); hub-a looks
        // every second: the bound is leaseSeconds + leaseRenewalSeconds.
        XCTAssertLessThanOrEqual(rescuedAfter, .seconds(3) + .seconds(1), "rescued after \(rescuedAfter)")
        XCTAssertGreaterThanOrEqual(rescuedAfter, .seconds(1), "not before hub-b's lease ran out")
        let beforeAway = stored(hubA)
        try publishReadings(1000..<2000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { self.stored(hubA) >= beforeAway + 1000 },
                      "hub-a stored \(stored(hubA) - beforeAway) of the 1000 published after hub-b died")
        hubA.stop()
        let ids = try fixtures.flatMap(storedIDs)
        XCTAssertEqual(Set(ids).count, 2000, "every reading is stored")
        XCTAssertEqual(ids.count, 2000, "and stored once across the fleet")
        print("measured: hub-b's session rescued \(rescuedAfter) after it died (lease 2 s, renewal 1 s)")
    }

    func testTheFleetConfigurationSharesEveryMQTTRouteOnPostgreSQLAndNamesEachHub() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = repository.appendingPathComponent("config/fleet.json")
        let environment = ["HUB_NAME": "hub-b", "HUB_PG_URL": "postgresql://hub:secret@postgres:5432/hub"]
        let fleet = try HubConfiguration.load(contentsOf: file, environment: environment, catalog: .compiledIn)
        XCTAssertEqual(fleet.hub.name, "hub-b")
        XCTAssertEqual(fleet.mqtt?.clientID, "territory-hub-hub-b")
        XCTAssertEqual(fleet.mqtt?.shareGroup, "hubs")
        XCTAssertNotNil(fleet.store.postgres)
        XCTAssertFalse(fleet.routes.isEmpty)
        XCTAssertTrue(fleet.routes.allSatisfy { if case .mqtt = $0.source { true } else { false } },
                      "only routes a fleet shares: MQTT (a drop folder would be each hub's own)")
        XCTAssertTrue(fleet.rules.isEmpty && fleet.subscriptions.isEmpty, "rules and deliveries are not made for a fleet yet")
        // The same routes as the single hub's configuration.
        let single = try HubConfiguration.load(contentsOf: repository.appendingPathComponent("config/hub.json"), environment: [:],
                                               catalog: .compiledIn)
        XCTAssertEqual(fleet.routes.map(\.name), single.routes.filter { if case .mqtt = $0.source { true } else { false } }.map(\.name))
    }

    func testHubsOnOnePostgreSQLShareTheirLeasesAndALoneHubKeepsItsOwn() throws {
        let server = try PostgresServer()
        func configuration(_ store: JSONValue) throws -> HubConfiguration {
            try HubConfiguration(json: .object(["store": store, "routes": .array([])]), environment: [:], catalog: .compiledIn)
        }
        let shared = try configuration(.object(["postgres": .object(["url": .string(server.databaseURL)])]))
        let first = try Hub.openLease(shared), second = try Hub.openLease(shared)
        XCTAssertTrue(try first.acquire("device-watch", holder: "hub-a", for: .seconds(30)))
        XCTAssertFalse(try second.acquire("device-watch", holder: "hub-b", for: .seconds(30)), "one database, one holder")
        let alone = try configuration(.object(["path": .string(try HubFixture().databasePath)]))
        XCTAssertTrue(try Hub.openLease(alone).acquire("device-watch", holder: "hub-b", for: .seconds(30)),
                      "a hub on SQLite holds its own tasks")
    }

    func testTheTasksThatRunOnceAreTheWatchFeedsFoldersTheSharedRetentionAndDeliveriesAndTheHubsOwnSession() throws {
        func tasks(_ text: String) throws -> [SingletonTask] {
            Hub.singletonTasks(try HubConfiguration(json: JSONValue(parsing: Data(text.utf8)), environment: [:], catalog: .compiledIn,
                                                    hostName: "hub-a"))
        }
        let routes = #"[{"name":"air","mqtt":{"topic":"city/air/#"},"connector":"sensors.json","deviceIntervalSeconds":600,"settings":"#
            + Readings.routeSettings.jsonText + "},"
            + #"{"name":"bikes","feed":{"url":"https://bikes.example/gbfs.json"},"connector":"mobility.gbfs"},"#
            + #"{"name":"invoices","folder":{"path":"/tmp/invoices"},"connector":"einvoicing.ubl"}]"#
        XCTAssertEqual(try tasks(#"{"store":{"retentionDays":30},"mqtt":{},"routes":\#(routes)}"#),
                       [.deviceWatch, .feed("bikes"), .folder("invoices")], "SQLite sweeps its own file; no shared subscription")
        XCTAssertEqual(try tasks(#"{"store":{"retentionDays":30,"postgres":{"url":"postgresql://db/hub"}},"mqtt":{"shareGroup":"hubs"},"routes":\#(routes)}"#),
                       [.deviceWatch, .retention, .deliveries, .session("territory-hub-hub-a"), .feed("bikes"), .folder("invoices")],
                       "on a shared database, subscriptions may come from any hub's API: one hub sends the outbox")
        XCTAssertEqual(try tasks(#"{"store":{"postgres":{"url":"postgresql://db/hub"}},"mqtt":{},"routes":\#(routes)}"#),
                       [.deviceWatch, .deliveries, .feed("bikes"), .folder("invoices")], "nothing expires: no sweep")
    }

    func testWhatARescueJournalKeptFromAKilledRunIsStoredAtTheNextStart() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        // A run killed while draining hub-b's session left a reading in the rescue journal: taken
        // from the broker (acknowledged), not committed.
        let folder = URL(fileURLWithPath: fixture.databasePath + ".mqtt-journal-rescue-territory-hub-hub-b")
        let journal = try ReceiptJournal(directory: folder, logger: quietLogger)
        _ = journal.append(topic: Readings.topic(7), payload: Readings.payload(7), receivedAt: .now())
        journal.flush()
        XCTAssertEqual(Hub.rescueJournals(besideStore: fixture.databasePath), ["territory-hub-hub-b"])

        let hub = try fleetHub("hub-a", fixture: fixture, broker: broker, lease: LocalLease())
        defer { hub.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { self.stored(hub) == 1 }, "the journalled reading was not stored")
        hub.stop()
        XCTAssertEqual(try storedIDs(fixture),
                       [EventID.make(type: "AirQualityObserved", entity: Readings.entity(7), observedAt: Readings.observedAt(7))])
        XCTAssertEqual(try ReceiptJournal(directory: folder, logger: quietLogger).pending.count, 0, "marked done once committed")
    }
}
