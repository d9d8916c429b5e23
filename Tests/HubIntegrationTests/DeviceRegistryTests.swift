import Foundation
import HubCore
@testable import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// The device registry the store keeps from committed events, and the watch that reads it.
final class DeviceRegistryTests: XCTestCase {
    private let t0 = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    private func seconds(_ s: Double) -> Int64 { Int64(s * 1e6) }

    /// A reading from `device` received at `t0 + at` seconds.
    private func reading(_ device: String, at: Double, rssi: Double? = nil, route: String = "parking") -> Event {
        var attributes: [String: Value] = ["status": .text("free"), "refDevice": .text("urn:ngsi-ld:Device:\(device)")]
        if let rssi { attributes["rssi"] = .number(rssi, unit: nil) }
        let time = t0.adding(microseconds: seconds(at))
        return Event(type: "ParkingSpot", entity: "urn:ngsi-ld:ParkingSpot:\(device)", observedAt: time, receivedAt: time,
                     route: route, attributes: attributes)
    }

    private func makeStore(_ directory: URL) throws -> SQLiteStore {
        try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: quietLogger)
    }

    func testTheRegistryCountsStoredMessagesPerDeviceAndSurvivesAReopen() throws {
        let directory = try TemporaryDirectory.make(prefix: "device-registry")
        var store = try makeStore(directory)
        let first = reading("p1", at: 0, rssi: -90)
        try store.write(events: [first, reading("p1", at: 5, rssi: -70), reading("p2", at: 1)], deadLetters: [])
        try store.write(events: [first], deadLetters: [])  // re-delivered: ignored, not counted
        try store.write(events: [reading("p1", at: 8)], deadLetters: [])  // no RSSI: the last one is kept
        let device = Event(type: "Device", entity: "urn:ngsi-ld:Device:meter-9", observedAt: t0, receivedAt: t0, route: "senml",
                           attributes: ["value": .number(1, unit: nil)])
        let anonymous = Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:x", observedAt: t0, receivedAt: t0,
                              route: "air", attributes: ["no2": .number(1, unit: "GQ")])
        try store.write(events: [device, anonymous], deadLetters: [])
        try store.close()

        store = try makeStore(directory)
        defer { try? store.close() }
        XCTAssertEqual(try store.devices().map(\.device), ["urn:ngsi-ld:Device:meter-9", "urn:ngsi-ld:Device:p1", "urn:ngsi-ld:Device:p2"])
        XCTAssertEqual(try store.device("urn:ngsi-ld:Device:p1"), DeviceRecord(
            device: "urn:ngsi-ld:Device:p1", route: "parking", firstSeen: t0, lastSeen: t0.adding(microseconds: seconds(8)),
            messageCount: 3, lastRSSI: -70, inactiveSince: nil))
        XCTAssertEqual(try store.device("urn:ngsi-ld:Device:meter-9")?.route, "senml")
    }

    func testASilentDeviceGoesInactiveOnceAndActiveWhenItSpeaksAgainAcrossRestarts() throws {
        let directory = try TemporaryDirectory.make(prefix: "device-watch")
        var store = try makeStore(directory)
        let bus = Bus(capacity: 100)
        var route = Route(name: "parking", source: .mqtt(filter: try TopicFilter("city/parking/+"), qos: 1), connector: "sensors.json")
        route.deviceInterval = .seconds(10)
        var watch = DeviceWatch(routes: [route], store: store, bus: bus, logger: quietLogger)
        /// Runs a check at `t0 + at` and commits what it pushed, as the hub's writer does; returns the events.
        func check(at: Double) throws -> [Event] {
            watch.check(now: t0.adding(microseconds: seconds(at)))
            let events = bus.drain(limit: 100).flatMap(\.events)
            try store.write(events: events, deadLetters: [])
            return events
        }

        try store.write(events: [reading("p1", at: 0, rssi: -80), reading("p2", at: 0, route: "unwatched")], deadLetters: [])
        XCTAssertEqual(try check(at: 9), [], "within its interval")

        let inactive = try check(at: 10.5)
        XCTAssertEqual(inactive.map(\.type), ["DeviceInactive"], "only the device of the watched route")
        XCTAssertEqual(inactive.first?.entity, "urn:ngsi-ld:Device:p1")
        XCTAssertEqual(inactive.first?.observedAt, t0.adding(microseconds: seconds(10)), "when it became overdue")
        XCTAssertEqual(inactive.first?.attributes["lastSeen"], .text(t0.iso8601))
        XCTAssertEqual(inactive.first?.attributes["lastRSSI"], .number(-80, unit: nil))
        XCTAssertEqual(try store.device("urn:ngsi-ld:Device:p1")?.inactiveSince, t0.adding(microseconds: seconds(10)))
        XCTAssertEqual(try check(at: 30), [], "said once")
        XCTAssertEqual(Self.samples(watch), ["hub_route_devices{route=parking}": 1, "hub_route_devices_inactive{route=parking}": 1],
                       "metrics for the watched route only")

        // A restarted hub reads the state from the store and does not say it again.
        try store.close()
        store = try makeStore(directory)
        defer { try? store.close() }
        watch = DeviceWatch(routes: [route], store: store, bus: bus, logger: quietLogger)
        XCTAssertEqual(try check(at: 40), [])

        try store.write(events: [reading("p1", at: 45)], deadLetters: [])
        let active = try check(at: 46)
        XCTAssertEqual(active.map(\.type), ["DeviceActive"])
        XCTAssertEqual(active.first?.observedAt, t0.adding(microseconds: seconds(45)), "when it spoke again")
        XCTAssertNil(try store.device("urn:ngsi-ld:Device:p1")?.inactiveSince)
        XCTAssertEqual(try check(at: 50), [])
        XCTAssertEqual(Self.samples(watch)["hub_route_devices_inactive{route=parking}"], 0)
        XCTAssertEqual(try check(at: 56).map(\.type), ["DeviceInactive"], "silent again")
        XCTAssertEqual(try store.events(entity: "urn:ngsi-ld:Device:p1", limit: 10).map(\.type), ["DeviceInactive", "DeviceActive", "DeviceInactive"])
    }

    func testInAFleetOnlyTheHubHoldingTheWatchsLeaseAnnouncesAndItsSuccessorDoesNotRepeatIt() throws {
        let directory = try TemporaryDirectory.make(prefix: "device-watch-fleet")
        let store = try makeStore(directory)
        defer { try? store.close() }
        let bus = Bus(capacity: 100)
        var route = Route(name: "parking", source: .mqtt(filter: try TopicFilter("city/parking/+"), qos: 1), connector: "sensors.json")
        route.deviceInterval = .seconds(10)
        // Two hubs on one database: one lease table, one keeper each.
        let lease = LocalLease()
        let keepers = ["hub-a", "hub-b"].map {
            LeaseKeeper(lease: lease, holder: $0, tasks: [.deviceWatch], duration: .seconds(30), renewal: .milliseconds(200),
                        logger: quietLogger)
        }
        let watches = keepers.map { DeviceWatch(routes: [route], store: store, bus: bus, gate: $0, logger: quietLogger) }
        func check(_ hub: Int, at: Double) throws -> [Event] {
            watches[hub].check(now: t0.adding(microseconds: seconds(at)))
            let events = bus.drain(limit: 100).flatMap(\.events)
            try store.write(events: events, deadLetters: [])
            return events
        }
        keepers[0].start()
        keepers[1].start()
        defer { keepers.forEach { $0.stop() } }
        try store.write(events: [reading("p1", at: 0), reading("p2", at: 0)], deadLetters: [])
        XCTAssertEqual(try check(1, at: 11), [], "hub-b does not hold the watch")
        XCTAssertEqual(try check(0, at: 11).map(\.entity), ["urn:ngsi-ld:Device:p1", "urn:ngsi-ld:Device:p2"])

        // hub-a stops: hub-b takes the watch and reads what was announced from the shared registry.
        keepers[0].stop()
        XCTAssertTrue(waitUntil(timeout: 15) { keepers[1].holds(.deviceWatch) })
        XCTAssertEqual(try check(1, at: 20), [], "announced once across the fleet")
        try store.write(events: [reading("p1", at: 21)], deadLetters: [])
        XCTAssertEqual(try check(1, at: 22).map(\.type), ["DeviceActive"])
        XCTAssertEqual(try check(0, at: 50), [], "a stopped hub announces nothing")
    }

    /// The watch's metric samples, `name{route=...}` to value.
    private static func samples(_ watch: DeviceWatch) -> [String: Double] {
        var samples: [String: Double] = [:]
        for family in watch.metricFamilies() {
            for sample in family.samples { samples["\(family.name){route=\(sample.labels["route"] ?? "")}"] = sample.value }
        }
        return samples
    }

    func testPushesBeforeTheCommitAreNotRepeated() throws {
        let directory = try TemporaryDirectory.make(prefix: "device-watch-pending")
        let store = try makeStore(directory)
        defer { try? store.close() }
        let bus = Bus(capacity: 100)
        var route = Route(name: "parking", source: .mqtt(filter: try TopicFilter("a/+"), qos: 1), connector: "sensors.json")
        route.deviceInterval = .seconds(1)
        let watch = DeviceWatch(routes: [route], store: store, bus: bus, logger: quietLogger)
        try store.write(events: [reading("p1", at: 0)], deadLetters: [])
        watch.check(now: t0.adding(microseconds: seconds(2)))
        watch.check(now: t0.adding(microseconds: seconds(3)))
        XCTAssertEqual(bus.drain(limit: 10).flatMap(\.events).map(\.type), ["DeviceInactive"])
    }

    func testConfigurationReadsDeviceIntervalSeconds() throws {
        let json = #"{"store":{"path":"x.sqlite"},"mqtt":{"host":"h"},"routes":[{"name":"r","mqtt":{"topic":"a/+"},"connector":"sensors.senml","deviceIntervalSeconds":90}]}"#
        let configuration = try HubConfiguration(json: JSONValue(parsing: json), environment: [:], catalog: .compiledIn)
        XCTAssertEqual(configuration.routes.first?.deviceInterval, .seconds(90))
        let bad = #"{"store":{"path":"x.sqlite"},"mqtt":{"host":"h"},"routes":[{"name":"r","mqtt":{"topic":"a/+"},"connector":"sensors.senml","deviceIntervalSeconds":0}]}"#
        XCTAssertThrowsError(try HubConfiguration(json: JSONValue(parsing: bad), environment: [:], catalog: .compiledIn)) { error in
            XCTAssertEqual((error as? SettingsError)?.path, "routes[0].deviceIntervalSeconds")
        }
    }
}
