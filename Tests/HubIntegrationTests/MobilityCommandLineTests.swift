import Foundation
import HubTesting
import XCTest

/// The mobility example configuration and each mobility connector's sample, through the `hub` tool.
final class MobilityCommandLineTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheMobilityExampleConfigurationIsValid() throws {
        let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["check", "--config", repository.appendingPathComponent("config/mobility.json").path])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("configuration is valid: 4 route(s)"), result.output)
    }

    func testEachMobilitySampleDecodesToItsEvents() throws {
        let samples: [(connector: String, file: String, types: [String])] = [
            ("mobility.gtfs-rt", "GTFSRealtime/sample.pb", ["ServiceAlert"]),
            ("mobility.gbfs", "GBFS/sample.json", ["BikeStationStatus"]),
            ("mobility.siri-lite", "SIRILite/sample.json", ["StopVisit", "StopVisit"]),
            ("mobility.waze", "Waze/sample.json", ["TrafficAlert", "TrafficJam"]),
        ]
        for sample in samples {
            let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["decode", sample.connector, repository.appendingPathComponent("Plugins/Mobility/\(sample.file)").path])
            XCTAssertEqual(result.status, 0, result.output)
            let types = result.output.split(separator: "\n").compactMap { line -> String? in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["type"] as? String
            }
            XCTAssertEqual(types, sample.types, "\(sample.file): \(result.output)")
        }
    }
}
