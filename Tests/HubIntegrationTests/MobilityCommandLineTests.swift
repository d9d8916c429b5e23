import Foundation
import HubTesting
import XCTest

/// The mobility example configuration and each mobility connector's sample, through the `hub` tool.
final class MobilityCommandLineTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func runHub(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try HubProcess.executable()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    func testTheMobilityExampleConfigurationIsValid() throws {
        let result = try runHub(["check", "--config", repository.appendingPathComponent("config/mobility.json").path])
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
            let result = try runHub(["decode", sample.connector, repository.appendingPathComponent("Plugins/Mobility/\(sample.file)").path])
            XCTAssertEqual(result.status, 0, result.output)
            let types = result.output.split(separator: "\n").compactMap { line -> String? in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["type"] as? String
            }
            XCTAssertEqual(types, sample.types, "\(sample.file): \(result.output)")
        }
    }
}
