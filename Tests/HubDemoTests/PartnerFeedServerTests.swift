import Foundation
import HubCore
import HubDemo
import HubHTTP
import HubTesting
import MobilityPlugin
import XCTest

/// The demo's partner feeds: the recordings of `demo/feeds`, read by the hub's own connectors as live
/// feeds of now, in the demo city.
final class PartnerFeedServerTests: XCTestCase {
    private static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("demo")
    private let now = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)  // 2026-11-22T08:00:00Z

    private func server(at time: Timestamp) throws -> PartnerFeedServer {
        try PartnerFeedServer(folder: Self.demo.appendingPathComponent("feeds"), clock: { time })
    }

    private func get(_ server: PartnerFeedServer, _ path: String) throws -> Data {
        let response = server.respond(to: HTTPRequest(method: "GET", path: path, headers: ["host": "127.0.0.1:9999"]))
        XCTAssertEqual(response.status, 200, path)
        guard case .bytes(let body) = response.body else {
            XCTFail("\(path) answered with a stream")
            return Data()
        }
        return body
    }

    private func decode<C: Connector>(_ type: C.Type, _ body: Data, settings: String = "{}", origin: String) throws -> [Event] {
        var connector = try C(settings: Settings(JSONValue(parsing: settings), path: "settings"))
        return try connector.decode(Envelope(route: "demo", source: .feed, origin: origin, payload: body, receivedAt: now))
    }

    /// Lyon, around hub simulate's sensors: where every recording is moved to.
    private func assertInDemoCity(_ events: [Event], file: StaticString = #filePath, line: UInt = #line) {
        for event in events {
            guard let location = event.location else { continue }
            XCTAssertTrue((45.5...46.0).contains(location.latitude) && (4.6...5.1).contains(location.longitude),
                          "\(event.entity) at \(location)", file: file, line: line)
        }
    }

    func testBusesAreNowInTheDemoCityAndMoveFromOneFetchToTheNext() throws {
        let first = try decode(GTFSRealtimeConnector.self, get(server(at: now), "/gtfs-rt/vehicle-positions.pb"), origin: "gtfs")
            .filter { $0.type == "VehiclePosition" }
        XCTAssertEqual(first.count, 10)
        XCTAssertTrue(first.allSatisfy { $0.observedAt == now }, "the recording's time is now")
        assertInDemoCity(first)
        let later = now.adding(microseconds: 30_000_000)
        let second = try decode(GTFSRealtimeConnector.self, get(server(at: later), "/gtfs-rt/vehicle-positions.pb"), origin: "gtfs")
            .filter { $0.type == "VehiclePosition" }
        XCTAssertTrue(second.allSatisfy { $0.observedAt == later })
        for (a, b) in zip(first, second) {
            XCTAssertEqual(a.entity, b.entity)
            XCTAssertNotEqual(a.location, b.location, "\(a.entity) moved in 30 s")
        }
    }

    func testBikeStationsAreListedByDiscoveryAtThisServerWithCountsForEveryStation() throws {
        let server = try server(at: now)
        let discovery = try JSONValue(parsing: get(server, "/gbfs/gbfs.json"))
        let urls = try XCTUnwrap(discovery["data"]?["feeds"]?.arrayValue).compactMap { $0["url"]?.stringValue }
        XCTAssertTrue(urls.contains("http://127.0.0.1:9999/gbfs/station_status.json"), "\(urls)")
        XCTAssertTrue(urls.allSatisfy { $0.hasPrefix("http://127.0.0.1:9999/gbfs/") }, "\(urls)")

        var connector = try GBFSConnector(settings: Settings(JSONValue(parsing: #"{"system":"demo"}"#), path: "settings"))
        var events: [Event] = []
        for name in ["station_information", "station_status", "vehicle_status"] {
            events += try connector.decode(Envelope(route: "bikes", source: .feed, origin: "http://127.0.0.1:9999/gbfs/\(name).json",
                                                    payload: get(server, "/gbfs/\(name).json"), receivedAt: now))
        }
        let stations = events.filter { $0.type == "BikeStationStatus" }
        XCTAssertEqual(stations.count, 23, "one status per station of station_information")
        XCTAssertTrue(stations.allSatisfy { $0.location != nil && $0.observedAt == now })
        assertInDemoCity(events)
        XCTAssertFalse(events.filter { $0.type == "VehicleAvailable" }.isEmpty)
    }

    func testDeparturesArePredictedFromNowWithADelayThatChanges() throws {
        let first = try decode(SIRILiteConnector.self, get(server(at: now), "/siri-lite/stop-monitoring.json"), origin: "siri")
        XCTAssertFalse(first.isEmpty)
        let later = try decode(SIRILiteConnector.self, get(server(at: now.adding(microseconds: 20_000_000)), "/siri-lite/stop-monitoring.json"),
                               origin: "siri")
        XCTAssertNotEqual(first.map { $0.attributes["departureDelay"] }, later.map { $0.attributes["departureDelay"] })
        for event in first {
            XCTAssertLessThan(abs(event.observedAt.microsecondsSinceEpoch - now.microsecondsSinceEpoch), 600_000_000, "\(event.observedAt)")
        }
    }

    func testTrafficHasTheRecordedJamsAndAlertsInTheDemoCity() throws {
        let events = try decode(WazeConnector.self, get(server(at: now), "/waze/feed.json"), origin: "waze")
        XCTAssertEqual(events.filter { $0.type == "TrafficJam" }.count, 50)
        XCTAssertEqual(events.filter { $0.type == "TrafficAlert" }.count, 1)
        assertInDemoCity(events)
    }

    func testOtherPathsAndMethodsAreRefused() throws {
        let server = try server(at: now)
        XCTAssertEqual(server.respond(to: HTTPRequest(method: "GET", path: "/gbfs/geofencing_zones.json")).status, 404)
        XCTAssertEqual(server.respond(to: HTTPRequest(method: "GET", path: "/elsewhere")).status, 404)
        XCTAssertEqual(server.respond(to: HTTPRequest(method: "POST", path: "/waze/feed.json")).status, 405)
        XCTAssertThrowsError(try PartnerFeedServer(folder: URL(fileURLWithPath: "/nonexistent"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/gtfs-rt/vehicle-positions.pb"), "\(error)")
        }
    }

    func testInvoicesAreDroppedWholeIntoTheirFormatsFolders() throws {
        let target = try TemporaryDirectory.make(prefix: "drop")
        let folders = ["ubl", "cii", "facturx"].reduce(into: [String: URL]()) { $0[$1] = target.appendingPathComponent($1) }
        let drop = try InvoiceDrop(samples: Self.demo.appendingPathComponent("invoices"), folders: folders, duration: 0.5)
        XCTAssertEqual(drop.count, 9)
        drop.start { XCTFail($0) }
        XCTAssertTrue(waitUntil(timeout: 10) {
            folders.values.reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: $1.path))?.count ?? 0) } == 9
        })
        drop.stop()
        for (format, folder) in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            XCTAssertEqual(names.count, 3, format)
            XCTAssertFalse(names.contains { $0.hasSuffix(".part") }, "\(names)")
            for name in names {
                XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent(name)),
                               try Data(contentsOf: Self.demo.appendingPathComponent("invoices/\(format)/\(name)")))
            }
        }
    }
}
