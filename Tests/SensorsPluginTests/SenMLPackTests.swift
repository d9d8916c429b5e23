import Foundation
import HubCore
import HubTesting
import SensorsPlugin
import XCTest

/// Resolution of SenML packs (RFC 8428 base fields, names, times, values), checked against the
/// resolved forms published with the SenML specification's examples.
final class SenMLPackTests: XCTestCase {
    /// The "now" the SenML spec's generator used for records without an absolute time (see SOURCES notes).
    private let generatorNow = Timestamp(microsecondsSinceEpoch: 1_498_780_179_000_000)

    private func pack(_ text: String, now: Timestamp = testKit.receivedAt) throws -> SenMLPack {
        try SenMLPack(parsing: Data(text.utf8), now: now)
    }

    private func reason(_ text: String) -> String {
        testKit.connectorError { try pack(text) }?.message ?? ""
    }

    /// Compares a resolved pack with a `.gen.resolved.json` file: names, units, values and times.
    private func assertResolution(_ example: String, now: Timestamp, file: StaticString = #filePath, line: UInt = #line) throws {
        let resolved = try SenMLPack(parsing: testKit.fixture("senml/\(example).json"), now: now).records
        let expected = try XCTUnwrap(JSONValue(parsing: testKit.fixture("senml/\(example).gen.resolved.json")).arrayValue)
        XCTAssertEqual(resolved.count, expected.count, file: file, line: line)
        for (record, want) in zip(resolved, expected) {
            XCTAssertEqual(record.name, want["n"]?.stringValue, file: file, line: line)
            XCTAssertEqual(record.unit, want["u"]?.stringValue, file: file, line: line)
            XCTAssertEqual(record.value, want["v"]?.numberValue.map(SenMLValue.number), file: file, line: line)
            let time = try XCTUnwrap(want["t"]?.numberValue.flatMap { Timestamp(secondsSinceEpoch: $0) }, file: file, line: line)
            XCTAssertEqual(record.time, time, "\(record.name)", file: file, line: line)
        }
    }

    // MARK: - The specification's examples

    func testResolvesEx2WithBaseNameAndTimesRelativeToNow() throws {
        // ex2's records have t = 0, "now": the resolved file used the generator's clock, so use it too.
        try assertResolution("senml-spec-ex2", now: generatorNow)
    }

    func testResolvesEx3WithBaseTimeBaseUnitAndNegativeOffsets() throws {
        try assertResolution("senml-spec-ex3", now: testKit.receivedAt)
    }

    func testResolvesEx6WhereTheBaseNameChangesMidPack() throws {
        try assertResolution("senml-spec-ex6", now: testKit.receivedAt)
    }

    func testResolvesEx8IgnoringTheUnknownLinkField() throws {
        try assertResolution("senml-spec-ex8", now: testKit.receivedAt)
    }

    func testResolvesEx1ARecordWithoutBaseFields() throws {
        let records = try SenMLPack(parsing: testKit.fixture("senml/senml-spec-ex1.json"), now: testKit.receivedAt).records
        XCTAssertEqual(records, [SenMLRecord(baseName: "", localName: "urn:dev:ow:10e2073a01080063", unit: "Cel",
                                             value: .number(23.1), sum: nil, time: testKit.receivedAt)])
    }

    func testResolvesStringBooleanAndDataValuesOfRFC9193() throws {
        let records = try SenMLPack(parsing: testKit.fixture("senml/rfc9193-1.json"), now: testKit.receivedAt).records
        XCTAssertEqual(records.map(\.name), ["urn:dev:ow:10e2073a01080063:temp", "urn:dev:ow:10e2073a01080063:open",
                                             "urn:dev:ow:10e2073a01080063:nfc-reader"])
        XCTAssertEqual(records.map(\.value), [.number(7.1), .boolean(false), .data("aGkgCg")])
        XCTAssertEqual(records.map(\.unit), ["Cel", nil, nil])
    }

    func testResolvesTheFMIPackOfRecordsWithoutNames() throws {
        let records = try SenMLPack(parsing: testKit.fixture("senml/fmi-helsinki.json"), now: testKit.receivedAt).records
        XCTAssertEqual(records.count, 136)
        XCTAssertTrue(records.allSatisfy { $0.name == "opendata.fmi.fi/wfs/helsinki" && $0.localName.isEmpty })
        let start = Timestamp(microsecondsSinceEpoch: 1_584_432_000_000_000)
        XCTAssertEqual(records[0].time, start)
        XCTAssertEqual(records[1].time, start)
        XCTAssertEqual(records[2].time, start.adding(microseconds: 600_000_000))
        XCTAssertEqual(records[135].time, start.adding(microseconds: 40_200_000_000))
        XCTAssertEqual(records[0].unit, "Cel")
        XCTAssertEqual(records[1].unit, "m/s")
        XCTAssertEqual(records[135].value, .number(5.8))
    }

    // MARK: - Base fields

    func testRelativeTimesCountFromNowBelowTwoToThe28() throws {
        let records = try pack(#"""
            [{"bn":"d:","bt":-10,"n":"a","v":1},{"n":"b","v":2,"t":5},{"n":"c","v":3,"bt":0,"t":268435455},
             {"n":"d","v":4,"t":268435456},{"n":"e","v":5,"t":-0.000001}]
            """#).records
        let now = testKit.receivedAt
        XCTAssertEqual(records.map(\.time), [
            now.adding(microseconds: -10_000_000),
            now.adding(microseconds: -5_000_000),
            now.adding(microseconds: 268_435_455_000_000),
            Timestamp(microsecondsSinceEpoch: 268_435_456_000_000),  // 2^28 and above: seconds since 1970
            now.adding(microseconds: -1),
        ])
    }

    func testBaseValueAndBaseSumAddToTheRecordsUntilChanged() throws {
        let records = try pack(#"""
            [{"bn":"meter:","bv":100,"bs":1000,"bu":"Wh","n":"a","v":1,"s":5},
             {"n":"b","v":-1},
             {"n":"c","s":2,"u":"kWh"},
             {"n":"d","vs":"ok"},
             {"bv":0,"bs":0,"n":"e","v":7}]
            """#).records
        XCTAssertEqual(records.map(\.value), [.number(101), .number(99), nil, .string("ok"), .number(7)])
        XCTAssertEqual(records.map(\.sum), [1005, 1000, 1002, 1000, 0])
        XCTAssertEqual(records.map(\.unit), ["Wh", "Wh", "kWh", "Wh", "Wh"])
    }

    func testAnEmptyUnitOverridesTheBaseUnit() throws {
        XCTAssertEqual(try pack(#"[{"bn":"d:","bu":"Cel","n":"a","v":1},{"n":"b","v":2,"u":""}]"#).records.map(\.unit), ["Cel", nil])
    }

    func testANewBaseNameAppliesToItsRecordAndTheFollowingOnes() throws {
        let records = try pack(#"[{"bn":"a/","n":"x","v":1},{"n":"y","v":2},{"bn":"b/","n":"x","v":3},{"n":"y","v":4}]"#).records
        XCTAssertEqual(records.map(\.name), ["a/x", "a/y", "b/x", "b/y"])
        XCTAssertEqual(records.map(\.baseName), ["a/", "a/", "b/", "b/"])
    }

    func testKeepsTheUpdateTime() throws {
        XCTAssertEqual(try pack(#"[{"n":"d:a","v":1,"ut":600}]"#).records.first?.updateTime, 600)
    }

    // MARK: - Packs that cannot be read

    func testRejectsPayloadsThatAreNotAPack() {
        XCTAssertEqual(reason(""), "payload is empty (or only whitespace); expected a SenML pack, a JSON array of records")
        XCTAssertTrue(reason("[{\"n\":\"a\",").hasPrefix("payload is not valid JSON"), reason("[{\"n\":\"a\","))
        XCTAssertEqual(reason(#"{"n":"a","v":1}"#), "a SenML pack must be a JSON array of records, found an object (wrap a single record in [ ])")
        XCTAssertEqual(reason("42"), "a SenML pack must be a JSON array of records, found a number")
        XCTAssertEqual(reason("[]"), "the SenML pack is empty: an array with no records")
        XCTAssertEqual(reason(#"[{"n":"a","v":1},"b"]"#), #"record 2 of 2 is a string ("b"); a SenML record is a JSON object"#)
        let invalid = testKit.connectorError { try SenMLPack(parsing: Data([0x5B, 0xC3, 0x28, 0x5D]), now: testKit.receivedAt) }
        XCTAssertEqual(invalid?.message, "payload is not valid UTF-8 (bad byte at offset 1); expected a SenML pack, a JSON array of records")
    }

    func testRejectsAVersionAboveTen() {
        let error = testKit.connectorError { try pack(#"[{"bver":11,"n":"a","v":1}]"#) }
        XCTAssertEqual(error?.message, "unsupported SenML version 11 (record 1 of 1); this connector reads versions up to 10")
        XCTAssertEqual(error?.code, .unsupported)
        XCTAssertNoThrow(try pack(#"[{"bver":10,"n":"a","v":1}]"#))
        XCTAssertEqual(reason(#"[{"bver":"10","n":"a","v":1}]"#), #"record 1 of 1: "bver" must be a positive whole number, found a string ("10")"#)
        XCTAssertEqual(reason(#"[{"bver":5,"n":"a","v":1},{"bver":10,"n":"b","v":1}]"#),
                       "record 2 of 2 has bver 10 but an earlier record has bver 5; all records of a pack share one version")
    }

    func testRejectsAFieldThatMustBeUnderstood() {
        let error = testKit.connectorError { try pack(#"[{"n":"a","v":1},{"n":"b","v":2,"ext_":true}]"#) }
        XCTAssertEqual(error?.message,
                       #"record 2 of 2 has field "ext_", which ends in "_" and so must be understood; this connector does not know it"#)
        XCTAssertEqual(error?.code, .unsupported)
    }

    func testIgnoresUnknownFieldsThatNeedNotBeUnderstood() throws {
        XCTAssertEqual(try pack(#"[{"n":"a","v":1,"l":"[]","foo":{"bar":1}}]"#).records.first?.value, .number(1))
    }

    func testRejectsNamesOutsideTheSenMLCharacterSet() {
        XCTAssertEqual(reason(#"[{"bn":"room 1/","n":"temperature","v":1}]"#),
                       #"record 1 of 1: name "room 1/temperature" has the character " ", which is not allowed (SenML names use only A-Z a-z 0-9 - : . / _ and start with a letter or digit)"#)
        XCTAssertEqual(reason(#"[{"n":"température","v":1}]"#),
                       #"record 1 of 1: name "température" has the character "é", which is not allowed (SenML names use only A-Z a-z 0-9 - : . / _ and start with a letter or digit)"#)
        XCTAssertEqual(reason(#"[{"n":"/a","v":1}]"#),
                       #"record 1 of 1: name "/a" does not start with a letter or digit (SenML names use only A-Z a-z 0-9 - : . / _ and start with a letter or digit)"#)
        XCTAssertEqual(reason(#"[{"v":1}]"#), "record 1 of 1 has no name: neither it nor an earlier record gives a base name bn, and it has no n")
    }

    func testRejectsRecordsWithoutExactlyOneValue() {
        let two = testKit.connectorError { try pack(#"[{"n":"a","v":1,"vs":"one"}]"#) }
        XCTAssertEqual(two?.message, "record 1 of 1 has more than one value (v and vs); a record carries exactly one of v, vs, vb or vd")
        XCTAssertEqual(two?.code, .invalidField)
        XCTAssertEqual(reason(#"[{"n":"a","v":1},{"n":"b","u":"Cel"}]"#),
                       "record 2 of 2 has no value: it needs one of v, vs, vb or vd, or a sum s")
    }

    func testRejectsFieldsOfTheWrongType() {
        XCTAssertEqual(reason(#"[{"n":"a","v":"12.5"}]"#), #"record 1 of 1: "v" must be a number, found a string ("12.5")"#)
        XCTAssertEqual(reason(#"[{"n":"a","vb":"true"}]"#), #"record 1 of 1: "vb" must be true or false, found a string ("true")"#)
        XCTAssertEqual(reason(#"[{"bn":7,"n":"a","v":1}]"#), #"record 1 of 1: "bn" must be a string, found a number (7)"#)
        XCTAssertEqual(reason(#"[{"n":"a","v":1,"t":null}]"#), #"record 1 of 1: "t" must be a number, found null"#)
    }

    func testRejectsTimesOutsideTheCalendar() {
        XCTAssertEqual(reason(#"[{"n":"a","v":1,"t":1e300}]"#),
                       "record 1 of 1: time bt + t = 1e+300 seconds since 1970 is not a date in years 1 to 9999")
        XCTAssertEqual(reason(#"[{"n":"a","v":1,"t":-1e300}]"#),
                       "record 1 of 1: relative time bt + t = -1e+300 seconds from now is too far in the past")
        XCTAssertEqual(reason(#"[{"n":"a","v":1e308,"bv":1e308}]"#), "record 1 of 1: the value bv + v is too large for a double")
    }
}
