import HubCore
import HubServices
import XCTest

/// The `http` section of the configuration and the metrics the operations API reports.
final class OperationsSettingsTests: XCTestCase {
    private func settings(_ json: String) throws -> HTTPSettings {
        try HTTPSettings(settings: Settings(JSONValue(parsing: json), path: "http"))
    }

    func testTheHTTPSectionIsReadWithItsDefaults() throws {
        let parsed = try settings(#"""
            {"port": 9000, "maxConnections": 8, "tls": {"certFile": "c.pem", "keyFile": "k.pem"},
             "openEndpoints": ["metrics"], "tokens": [{"name": "ops", "token": "0123456789abcdef", "scopes": ["read", "ingest:partner"]}]}
            """#)
        XCTAssertEqual(parsed.port, 9000)
        XCTAssertEqual(parsed.address, "127.0.0.1")
        XCTAssertEqual(parsed.maxConnections, 8)
        XCTAssertEqual(parsed.certFile, "c.pem")
        XCTAssertEqual(parsed.openEndpoints, ["metrics"])
        XCTAssertEqual(parsed.tokens.first?.scopes, ["read", "ingest:partner"])
        XCTAssertEqual(parsed.maxRequestBytes, 8 << 20)
    }

    func testMistakesNameTheirPlace() {
        for (json, path) in [
            (#"{"tokens": [{"name": "x", "token": "short", "scopes": []}]}"#, "http.tokens[0].token"),
            (#"{"tokens": [{"name": "x", "token": "0123456789abcdef", "scopes": ["write"]}]}"#, "http.tokens[0].scopes[0]"),
            (#"{"openEndpoints": ["events"]}"#, "http.openEndpoints[0]"),
            (#"{"address": "localhost"}"#, "http.address"),
            (#"{"tls": {"certFile": "c.pem"}}"#, "http.tls.keyFile"),
            (#"{"colour": 1}"#, "http.colour"),
        ] {
            XCTAssertThrowsError(try settings(json), json) { error in
                XCTAssertEqual((error as? SettingsError)?.path, path, json)
            }
        }
    }

    func testRatesCoverTheirWindowOnly() {
        let window = RateWindow()
        let start = Timestamp(microsecondsSinceEpoch: 1_000_000_000_000_000)
        for second in 0..<600 { window.record(at: start.adding(microseconds: Int64(second) * 1_000_000)) }
        let end = start.adding(microseconds: 599_000_000)
        XCTAssertEqual(window.rate(over: 60, at: end), 1, accuracy: 1e-9)
        XCTAssertEqual(window.rate(over: 900, at: end), 600.0 / 900, accuracy: 1e-9)
        // Twenty minutes later the window is empty.
        XCTAssertEqual(window.rate(over: 900, at: end.adding(microseconds: 1_200_000_000)), 0)
    }

    func testTheHistogramCountsCumulatively() {
        let histogram = Histogram(bounds: [0.01, 0.1, 1])
        for value in [0.005, 0.05, 0.05, 5] { histogram.observe(value) }
        let snapshot = histogram.snapshot
        XCTAssertEqual(snapshot.cumulative, [1, 3, 3])
        XCTAssertEqual(snapshot.count, 4)
        XCTAssertEqual(snapshot.sum, 5.105, accuracy: 1e-9)
    }
}
