import Foundation
import HubCore
import XCTest

/// What a connector test needs, set up once per test target: its fixtures, envelopes as its
/// connectors receive them, route settings, and the errors a payload or a setting must raise.
///
/// ```swift
/// let testKit = ConnectorTestKit(bundle: .module, route: "sensors", source: .mqtt, origin: "city/sensors/up")
/// var connector = try SenMLConnector(settings: testKit.settings(#"{"entityType": "Device"}"#))
/// let events = try connector.decode(testKit.envelope(testKit.fixture("senml/senml-spec-ex1.json")))
/// ```
public struct ConnectorTestKit: Sendable {
    /// 2026-11-22T08:00:00Z, the time test envelopes are received at unless a test says otherwise.
    public static let receivedAt = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    /// The target's `Fixtures` folder in its bundle (`resources: [.copy("Fixtures")]`).
    private let fixtures: URL?
    /// The route test envelopes arrive on.
    public let route: String
    /// The door they come through.
    public let source: Envelope.Source
    /// Where they come from unless a test says otherwise (a topic, a feed URL, a file name).
    public let origin: String

    /// A kit for the test target whose bundle is `bundle` (pass `.module`).
    public init(bundle: Bundle, route: String, source: Envelope.Source, origin: String) {
        fixtures = bundle.url(forResource: "Fixtures", withExtension: nil)
        self.route = route
        self.source = source
        self.origin = origin
    }

    /// The time test envelopes are received at (`ConnectorTestKit.receivedAt`).
    public var receivedAt: Timestamp { Self.receivedAt }

    /// The URL of a fixture under `Fixtures/`, e.g. `senml/senml-spec-ex1.json`.
    public func fixtureURL(_ path: String) throws -> URL {
        guard let fixtures else {
            throw TestSupportError(.toolNotFound, "this test target's bundle has no Fixtures folder")
        }
        let url = fixtures.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestSupportError(.toolNotFound, "fixture \(path) is not in the test bundle")
        }
        return url
    }

    /// The bytes of a fixture under `Fixtures/`.
    public func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: fixtureURL(path))
    }

    /// The names of the fixtures in one folder under `Fixtures/`, sorted.
    public func fixtureNames(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtureURL(folder).path).sorted()
    }

    /// An envelope carrying `payload` on the kit's route.
    public func envelope(_ payload: Data, origin: String? = nil, receivedAt: Timestamp = receivedAt) -> Envelope {
        Envelope(route: route, source: source, origin: origin ?? self.origin, payload: payload, receivedAt: receivedAt)
    }

    /// An envelope carrying `text` as UTF-8 on the kit's route.
    public func envelope(_ text: String, origin: String? = nil, receivedAt: Timestamp = receivedAt) -> Envelope {
        envelope(Data(text.utf8), origin: origin, receivedAt: receivedAt)
    }

    /// Settings parsed from JSON text, at the path a route's settings have in the config
    /// (`routes[0].settings`), so that errors name it as they would at start-up.
    public func settings(_ json: String = "{}") throws -> Settings {
        try Settings(JSONValue(parsing: json), path: "routes[0].settings")
    }

    /// The `ConnectorError` that `body` throws; fails the test when it throws nothing or something else.
    public func connectorError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> ConnectorError? {
        thrownError(ConnectorError.self, file: file, line: line, body)
    }

    /// The `SettingsError` that `body` throws; fails the test when it throws nothing or something else.
    public func settingsError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> SettingsError? {
        thrownError(SettingsError.self, file: file, line: line, body)
    }
}

/// The error of type `E` that `body` throws; fails the test when it throws nothing or something else.
public func thrownError<E: Error, T>(_ type: E.Type, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> E? {
    do {
        let result = try body()
        XCTFail("expected \(E.self), got \(result)", file: file, line: line)
    } catch let error as E {
        return error
    } catch {
        XCTFail("expected \(E.self), got \(error)", file: file, line: line)
    }
    return nil
}
