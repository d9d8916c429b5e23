import Foundation
import HubTesting
import XCTest

/// `hub decode`'s options: settings as JSON text or as a file, and a fixed receiving time.
final class DecodeCommandTests: XCTestCase {
    private let settings = #"{"entityType":"AirQualityObserved","idField":"device"}"#
    private let reading = #"{"device":"aq-07","no2":41.5}"#

    private func decode(_ arguments: [String], payload: String? = nil) throws -> ExternalProgram.Result {
        let folder = try TemporaryDirectory.make(prefix: "hub-decode")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data((payload ?? reading).utf8).write(to: folder.appendingPathComponent("reading.json"))
        try Data(settings.utf8).write(to: folder.appendingPathComponent("settings.json"))
        return try ExternalProgram.run(ExternalProgram.built("hub"), ["decode"] + arguments, in: folder)
    }

    func testSettingsAreJSONTextOrTheFileHoldingIt() throws {
        let fromText = try decode(["sensors.json", "reading.json", "--settings", settings, "--received-at", "2026-11-22T08:00:02.5Z"])
        let fromFile = try decode(["sensors.json", "reading.json", "--settings", "settings.json", "--received-at", "2026-11-22T08:00:02.5Z"])
        XCTAssertEqual(fromText.status, 0, fromText.errors)
        XCTAssertEqual(fromFile.status, 0, fromFile.errors)
        XCTAssertTrue(fromText.output.contains(#""entity":"urn:ngsi-ld:AirQualityObserved:aq-07""#), fromText.output)
        XCTAssertEqual(fromFile.output, fromText.output)

        let missing = try decode(["sensors.json", "reading.json", "--settings", "nowhere.json"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.errors.contains(#"--settings: cannot read the file "nowhere.json""#), missing.errors)
        let broken = try decode(["sensors.json", "reading.json", "--settings", "reading.json"], payload: "{")
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.errors.contains(#"--settings: the file "reading.json" does not hold JSON"#), broken.errors)
    }

    func testReceivedAtSetsTheEnvelopesReceivingTime() throws {
        let first = try decode(["sensors.json", "reading.json", "--settings", settings, "--received-at", "2026-11-22T09:00:02.5+01:00"])
        XCTAssertEqual(first.status, 0, first.errors)
        // Without a time field, the observation time is the receiving time, and the id follows from it.
        XCTAssertTrue(first.output.contains(#""observedAt":"2026-11-22T08:00:02.500000Z","receivedAt":"2026-11-22T08:00:02.500000Z""#), first.output)
        let again = try decode(["sensors.json", "reading.json", "--settings", settings, "--received-at", "2026-11-22T08:00:02.5Z"])
        XCTAssertEqual(again.output, first.output)

        let now = try decode(["sensors.json", "reading.json", "--settings", settings])
        XCTAssertEqual(now.status, 0, now.errors)
        XCTAssertFalse(now.output.contains("2026-11-22T08:00:02.500000Z"), now.output)

        let bad = try decode(["sensors.json", "reading.json", "--received-at", "22/11/2026 08:00"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.errors.contains(#"--received-at "22/11/2026 08:00" is not an ISO 8601 date-time with a zone"#), bad.errors)
    }
}
