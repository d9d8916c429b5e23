import Foundation
import HubCore
import HubStore
import HubTesting
import XCTest

/// `hub devices` prints the registry of the configured store, as an operator reads it.
final class DevicesCommandTests: XCTestCase {
    func testListsEachDeviceWithItsCountsRSSIAndStatus() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-devices")
        let databasePath = directory.appendingPathComponent("hub.sqlite").path
        let configuration = directory.appendingPathComponent("hub.json")
        try Data(#"{"store":{"path":"\#(databasePath)"},"routes":[{"name":"parking","webhook":{},"connector":"sensors.ttn"}]}"#.utf8)
            .write(to: configuration)

        let empty = try ExternalProgram.run(ExternalProgram.built("hub"), ["devices", "--config", configuration.path])
        XCTAssertEqual(empty.status, 0, empty.output)
        XCTAssertTrue(empty.output.contains("no store at \(databasePath) yet"), empty.output)

        let t0 = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)
        func reading(_ device: String, _ seconds: Int64, rssi: Double?) -> Event {
            var attributes: [String: Value] = ["status": .text("free"), "refDevice": .text("urn:ngsi-ld:Device:\(device)")]
            if let rssi { attributes["rssi"] = .number(rssi, unit: nil) }
            let time = t0.adding(microseconds: seconds * 1_000_000)
            return Event(type: "ParkingSpot", entity: "urn:ngsi-ld:ParkingSpot:\(device)", observedAt: time, receivedAt: time,
                         route: "parking", attributes: attributes)
        }
        let store = try SQLiteStore(path: databasePath, logger: quietLogger)
        try store.write(events: [reading("a1", 0, rssi: -97), reading("a1", 60, rssi: -88), reading("b2", 30, rssi: nil)], deadLetters: [])
        try store.write(events: [Event(type: "DeviceInactive", entity: "urn:ngsi-ld:Device:b2", observedAt: t0.adding(microseconds: 90_000_000),
                                       receivedAt: t0, route: "parking", attributes: [:])], deadLetters: [])
        try store.close()

        let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["devices", "--config", configuration.path])
        XCTAssertEqual(result.status, 0, result.output)
        let lines = result.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(lines.first, ["DEVICE", "ROUTE", "FIRST", "SEEN", "LAST", "SEEN", "MESSAGES", "LAST", "RSSI", "STATUS"])
        XCTAssertEqual(lines.dropFirst().first, ["urn:ngsi-ld:Device:a1", "parking", "2026-11-22T08:00:00.000000Z", "2026-11-22T08:01:00.000000Z", "2", "-88", "active"])
        XCTAssertEqual(lines.dropFirst(2).first, ["urn:ngsi-ld:Device:b2", "parking", "2026-11-22T08:00:30.000000Z", "2026-11-22T08:00:30.000000Z", "1", "-",
                                                  "inactive", "since", "2026-11-22T08:01:30.000000Z"])
        XCTAssertTrue(result.output.hasSuffix("2 device(s), 1 inactive\n"), result.output)
    }
}
