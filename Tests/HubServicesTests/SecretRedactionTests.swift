import Foundation
import HubCore
import HubServices
import XCTest

final class SecretRedactionTests: XCTestCase {
    func testSecretSettingsAreMaskedAndTheRestKept() throws {
        let settings = try JSONValue(parsing: Data("""
            {"entityType": "Device", "apiKey": "abc", "password": 1234, "tokens": ["t1", "t2"],
             "apikeys": {"k1": {"entityType": "A", "attributes": {"t": {"name": "temperature"}}}, "k2": {"entityType": "B"}},
             "nested": [{"clientSecret": "s"}], "units": {"no2": "GQ"}, "optionalKey": null}
            """.utf8))
        let redacted = SecretRedaction.settings(settings)
        XCTAssertEqual(redacted["entityType"]?.stringValue, "Device")
        XCTAssertEqual(redacted["apiKey"]?.stringValue, "***")
        XCTAssertEqual(redacted["password"]?.stringValue, "***")
        XCTAssertEqual(redacted["tokens"]?.arrayValue, [.string("***"), .string("***")])
        XCTAssertEqual(redacted["apikeys"]?.objectValue?.keys.sorted(), ["***1", "***2"])
        XCTAssertEqual(redacted["apikeys"]?["***1"]?["attributes"]?["t"]?["name"]?.stringValue, "temperature")
        XCTAssertEqual(redacted["nested"]?.arrayValue?.first?["clientSecret"]?.stringValue, "***")
        XCTAssertEqual(redacted["units"], settings["units"])
        XCTAssertEqual(redacted["optionalKey"], .null)
        XCTAssertFalse(redacted.jsonText.contains("abc") || redacted.jsonText.contains("1234") || redacted.jsonText.contains("k1"))
    }

    func testURLsLoseTheirQueryValuesAndPasswords() throws {
        XCTAssertEqual(SecretRedaction.url(try XCTUnwrap(URL(string: "https://feeds.example/rt.pb?key=s3cret&agency=1"))),
                       "https://feeds.example/rt.pb?key=***&agency=***")
        XCTAssertEqual(SecretRedaction.url(try XCTUnwrap(URL(string: "https://user:pw@feeds.example/gbfs.json"))),
                       "https://user:***@feeds.example/gbfs.json")
        XCTAssertEqual(SecretRedaction.url(try XCTUnwrap(URL(string: "https://feeds.example/gbfs.json"))), "https://feeds.example/gbfs.json")
    }

    func testTheEnvironmentFillsMemberNamesAndCollisionsAreErrors() throws {
        let document = try JSONValue(parsing: Data(#"{"apikeys": {"${KEY}": {"entityType": "A"}, "plain": {}}}"#.utf8))
        let resolved = try EnvironmentSubstitution.apply(to: document, environment: ["KEY": "k-1"])
        XCTAssertEqual(resolved["apikeys"]?.objectValue?.keys.sorted(), ["k-1", "plain"])
        XCTAssertThrowsError(try EnvironmentSubstitution.apply(to: document, environment: ["KEY": "plain"])) { error in
            XCTAssertTrue("\(error)".contains("a name another member already has"), "\(error)")
        }
        XCTAssertThrowsError(try EnvironmentSubstitution.apply(to: document, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("KEY is not set"), "\(error)")
        }
    }
}
