import Foundation
import HubCore
import HubTesting
import XCTest

/// The `hub` subcommands an operator uses besides `run`, on the repository's own files.
final class CommandLineTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testCheckPrintsTheRoutesOfTheDefaultConfiguration() throws {
        let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["check", "--config", repository.appendingPathComponent("config/hub.json").path])
        XCTAssertEqual(result.status, 0, result.output)
        let airQuality = result.output.split(separator: "\n").first { $0.hasPrefix("air-quality ") }
        XCTAssertEqual(airQuality?.split(separator: " ", omittingEmptySubsequences: true),
                       ["air-quality", "mqtt", "city/air/+/reading", "(qos", "1)", "sensors.json"], result.output)
        XCTAssertTrue(result.output.contains("ttn-parking"), result.output)
        XCTAssertTrue(result.output.contains("configuration is valid: 8 route(s), 6 rule(s)"), result.output)
        XCTAssertTrue(result.output.contains("rule no2-hourly-limit (major): hourly mean of no2 > 200 (clears at 180) on AirQualityObserved"),
                      result.output)
        XCTAssertTrue(result.output.contains("rule air-station-silent (minor): no AirQualityObserved for 1800 s on air-quality; AirQualityObserved"),
                      result.output)
        XCTAssertTrue(result.output.contains("retention: air-quality for ever (store default), "), result.output)
        XCTAssertTrue(result.output.contains(", other routes for ever, dead letters for ever, roll-ups for ever"), result.output)
    }

    func testCheckNamesTheOffendingEntry() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-check")
        let text = try String(contentsOf: repository.appendingPathComponent("config/hub.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"sensors.senml\"", with: "\"sensors.senmll\"")
        let broken = directory.appendingPathComponent("broken.json")
        try Data(text.utf8).write(to: broken)
        let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["check", "--config", broken.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.errors.contains(
            #"invalid configuration: routes[1].connector: unknown connector "sensors.senmll"; known: sensors.json, sensors.senml"#),
            result.errors)
    }

    func testCheckPrintsTheSubscriptionsAndNamesABadOne() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOf: repository.appendingPathComponent("config/hub.json"), encoding: .utf8)
        func check(_ subscription: String) throws -> ExternalProgram.Result {
            var json = try XCTUnwrap(JSONValue(parsing: text).objectValue)
            json["subscriptions"] = .array([try JSONValue(parsing: subscription)])
            let file = directory.appendingPathComponent("hub.json")
            try Data(JSONValue.object(json).jsonText.utf8).write(to: file)
            return try ExternalProgram.run(ExternalProgram.built("hub"), ["check", "--config", file.path])
        }
        let good = try check(#"{"name":"partner","http":{"url":"https://partner.example/hook?key=abc","secret":"${HOME}"},"onLagLimit":"dropOldest"}"#)
        XCTAssertEqual(good.status, 0, good.output)
        XCTAssertTrue(good.output.contains(
            "subscription partner: POST https://partner.example/hook?key=*** (signed), 100 per batch, at most 100000 waiting (dropOldest)"),
            good.output)
        let bad = try check(#"{"name":"partner","http":{"url":"https://partner.example/hook"},"maxLag":0}"#)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.errors.contains("invalid configuration: subscriptions[0].maxLag:"), bad.errors)
    }

    func testCheckShowsTheFleetsPostgreSQLWithoutItsPassword() throws {
        let result = try ExternalProgram.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "HUB_PG_URL=postgresql://hub:s3cret@db.example:5432/hub?sslmode=verify-full", "HUB_NAME=hub-a",
            ExternalProgram.built("hub").path, "check", "--config", repository.appendingPathComponent("config/fleet.json").path,
        ])
        XCTAssertEqual(result.status, 0, result.output + result.errors)
        XCTAssertTrue(result.output.contains("store: PostgreSQL postgresql://hub:***@db.example:5432/hub?sslmode=***, local files ./data/hub"),
                      result.output)
        XCTAssertFalse(result.output.contains("s3cret"), result.output)
        XCTAssertFalse(result.output.contains("write-ahead log"), "SQLite's log cap does not apply: \(result.output)")
    }

    func testCheckPrintsTheHubAndItsShareGroupAndRefusesOneOnMQTT311() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try String(contentsOf: repository.appendingPathComponent("config/hub.json"), encoding: .utf8)
        func check(mqtt extra: [String: JSONValue]) throws -> ExternalProgram.Result {
            var json = try XCTUnwrap(JSONValue(parsing: text).objectValue)
            var mqtt = try XCTUnwrap(json["mqtt"]?.objectValue)
            mqtt.merge(extra) { _, new in new }
            mqtt["clientId"] = .string("")  // the default: derived from the hub's name
            json["mqtt"] = .object(mqtt)
            json["hub"] = .object(["name": .string("hub-b")])
            let file = directory.appendingPathComponent("hub.json")
            try Data(JSONValue.object(json).jsonText.utf8).write(to: file)
            return try ExternalProgram.run(ExternalProgram.built("hub"), ["check", "--config", file.path])
        }
        let shared = try check(mqtt: ["shareGroup": .string("hubs")])
        XCTAssertEqual(shared.status, 0, shared.output + shared.errors)
        XCTAssertTrue(shared.output.contains("hub: hub-b (leases of 15 s renewed every 5 s: a dead hub's tasks move within 20 s)"), shared.output)
        XCTAssertTrue(shared.output.contains("client id territory-hub-hub-b"), shared.output)
        XCTAssertTrue(shared.output.contains("mqtt: shared subscriptions in group hubs: each route's filter is subscribed as $share/hubs/<filter>"),
                      shared.output)
        let old = try check(mqtt: ["shareGroup": .string("hubs"), "protocolVersion": .string("3.1.1")])
        XCTAssertEqual(old.status, 1)
        XCTAssertTrue(old.errors.contains("invalid configuration: mqtt.shareGroup: a shared subscription needs MQTT 5"), old.errors)
    }

    func testConnectorsListsTheCompiledInConnectors() throws {
        let result = try ExternalProgram.run(ExternalProgram.built("hub"), ["connectors"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("sensors.json "), result.output)
        XCTAssertTrue(result.output.contains("sensors.senml "), result.output)
        for id in ["einvoicing.ubl", "einvoicing.cii", "einvoicing.facturx", "einvoicing.chorus-status"] {
            XCTAssertTrue(result.output.contains(id + " "), result.output)
        }
    }

    func testDecodePrintsEventsOrTheDeadLetterReason() throws {
        let sample = repository.appendingPathComponent("Plugins/Sensors/SenML/sample.json").path
        let good = try ExternalProgram.run(ExternalProgram.built("hub"), ["decode", "sensors.senml", sample])
        XCTAssertEqual(good.status, 0, good.output)
        let lines = good.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, good.output)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("{\"attributes\":") && $0.contains("\"type\":\"Device\"") }, good.output)

        let bad = try ExternalProgram.run(ExternalProgram.built("hub"), ["decode", "sensors.json", sample, "--settings", #"{"entityType":"AirQualityObserved","idField":"device"}"#])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.errors.hasPrefix("dead letter: payload is a JSON array"), bad.errors)
    }

    func testACommandHubDoesNotKnowRunsTheExecutableOfThatNameBesideIt() throws {
        // `hub bench` is `hub-bench`, built apart so that `hub` links no benchmark code.
        let bench = try ExternalProgram.run(ExternalProgram.built("hub"), ["bench", "--no-such-option", "1"])
        XCTAssertEqual(bench.status, 2, bench.errors)
        XCTAssertTrue(bench.errors.hasPrefix("hub bench: unknown option --no-such-option"), bench.errors)
        let unknown = try ExternalProgram.run(ExternalProgram.built("hub"), ["no-such-command"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.errors.hasPrefix("unknown command \"no-such-command\""), unknown.errors)
    }
}
