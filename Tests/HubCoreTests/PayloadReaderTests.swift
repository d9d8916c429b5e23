import Foundation
import HubCore
import XCTest

/// The kit's payload reader words every reason one way: `<path> is missing`, `<path> must be
/// <expected>, found <what>`, `payload is <what>, not <format>`.
final class PayloadReaderTests: XCTestCase {
    private func reason(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            XCTFail("expected a ConnectorError")
        } catch let error as ConnectorError {
            return error.message
        } catch {
            XCTFail("expected a ConnectorError, got \(error)")
        }
        return ""
    }

    func testPayloadsThatAreNotWhatWasExpected() {
        XCTAssertEqual(reason { try PayloadReader.object(Data("  \n".utf8), expecting: "a GBFS document") },
                       "payload is empty (or only whitespace); expected a GBFS document")
        XCTAssertEqual(reason { try PayloadReader.object(Data(#"{"a": "#.utf8), expecting: "a GBFS document") }.hasPrefix("payload is not valid JSON"), true)
        XCTAssertTrue(reason { try PayloadReader.object(Data(#"{"a": "#.utf8), expecting: "a GBFS document") }.hasSuffix("; expected a GBFS document"))
        XCTAssertEqual(reason { try PayloadReader.object(Data([0x7B, 0xFF, 0x7D]), expecting: "a GBFS document") },
                       "payload is not valid UTF-8 (bad byte at offset 1); expected a GBFS document")
        XCTAssertEqual(reason { try PayloadReader.object(Data("[1]".utf8), expecting: "a GBFS document") }, "payload is an array, not a GBFS document")
        XCTAssertEqual(reason { try PayloadReader.object(Data(#""x""#.utf8), expecting: "a GBFS document") },
                       #"payload is a string ("x"), not a GBFS document"#)
        XCTAssertEqual(try PayloadReader.object(Data(#"{"a": 1}"#.utf8), expecting: "a GBFS document"), ["a": .number(1)])
    }

    func testMembersThatAreMissingOrOfTheWrongKind() throws {
        let document = JSONValue.object([
            "data": .object(["stations": .object(["id": .number(1)])]), "port": .string("2"), "empty": .string(""), "none": .null,
            "at": .number(1_795_334_400),
        ])
        XCTAssertEqual(reason { try PayloadReader.object(document["nothing"], at: "nothing") }, "nothing is missing")
        XCTAssertEqual(reason { try PayloadReader.object(document["none"], at: "none") }, "none is missing")
        XCTAssertEqual(reason { try PayloadReader.array(document["data"]?["stations"], at: "data.stations") },
                       "data.stations must be an array, found an object")
        XCTAssertEqual(reason { try PayloadReader.integer(document["port"], at: "uplink_message.f_port") as Any },
                       #"uplink_message.f_port must be a whole number, found a string ("2")"#)
        XCTAssertEqual(reason { try PayloadReader.string(document["empty"], at: "deviceInfo.devEui") },
                       #"deviceInfo.devEui must be a non-empty string, found a string ("")"#)
        XCTAssertEqual(reason { try PayloadReader.time(document["port"], at: "time") as Any },
                       #"time must be an RFC 3339 date-time with a zone (like "2026-11-22T08:00:00Z"), found a string ("2")"#)
        XCTAssertEqual(reason { try PayloadReader.time(document["at"], at: "time") as Any },
                       #"time must be an RFC 3339 date-time with a zone (like "2026-11-22T08:00:00Z"), found a number (1795334400)"#)
        XCTAssertEqual(try PayloadReader.time(document["at"], at: "time", allowingEpochSeconds: true),
                       Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000))
        XCTAssertNil(try PayloadReader.integer(document["none"], at: "none"))
        XCTAssertEqual(PayloadReader.identifier(document["data"]?["stations"]?["id"]), "1")
        XCTAssertEqual(PayloadReader.number(document["at"], unit: "SEC"), .number(1_795_334_400, unit: "SEC"))
        XCTAssertNil(PayloadReader.text(document["at"]))
    }
}
