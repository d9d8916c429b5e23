import Foundation
import HubCore
import XCTest

/// Fixtures, envelopes and settings for the sensor connector tests.
enum TestSupport {
    /// 2026-11-22T08:00:00Z, the receiving time of most test envelopes.
    static let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    /// The bytes of a fixture under `Fixtures/`, e.g. `senml/senml-spec-ex1.json`.
    static func fixture(_ path: String) throws -> Data {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        let subdirectory = folder.isEmpty ? "Fixtures" : "Fixtures/\(folder)"
        let found = try XCTUnwrap(
            Bundle.module.url(forResource: name, withExtension: url.pathExtension, subdirectory: subdirectory),
            "fixture \(path) is not in the test bundle")
        return try Data(contentsOf: found)
    }

    /// An MQTT envelope carrying `payload`.
    static func envelope(_ payload: Data, topic: String = "city/sensors/up", receivedAt: Timestamp = receivedAt) -> Envelope {
        Envelope(route: "sensors", source: .mqtt, origin: topic, payload: payload, receivedAt: receivedAt)
    }

    /// An MQTT envelope carrying `text` as UTF-8.
    static func envelope(_ text: String, topic: String = "city/sensors/up", receivedAt: Timestamp = receivedAt) -> Envelope {
        envelope(Data(text.utf8), topic: topic, receivedAt: receivedAt)
    }

    /// Settings parsed from JSON text, at the path a route's settings have in the config.
    static func settings(_ json: String) throws -> Settings {
        try Settings(JSONValue(parsing: json), path: "routes[0].settings")
    }

    /// The `ConnectorError` that `body` throws; fails the test when it throws nothing or something else.
    static func connectorError<T>(
        _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
    ) -> ConnectorError? {
        do {
            let result = try body()
            XCTFail("expected a ConnectorError, got \(result)", file: file, line: line)
        } catch let error as ConnectorError {
            return error
        } catch {
            XCTFail("expected a ConnectorError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// The `SettingsError` that `body` throws; fails the test when it throws nothing or something else.
    static func settingsError<T>(
        _ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line
    ) -> SettingsError? {
        do {
            _ = try body()
            XCTFail("expected a SettingsError", file: file, line: line)
        } catch let error as SettingsError {
            return error
        } catch {
            XCTFail("expected a SettingsError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
