import Foundation
import HubCore
import XCTest

final class EventTests: XCTestCase {
    private let observed = Timestamp(microsecondsSinceEpoch: 1_795_334_400_000_000)

    func testIdsAreDeterministicAndDependOnTypeEntityTimeAndKey() {
        let id = EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed)
        XCTAssertEqual(id, EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed))
        XCTAssertEqual(id.rawValue.count, 32)
        XCTAssertTrue(id.rawValue.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let others = [
            EventID.make(type: "NoiseLevelObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed),
            EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:b", observedAt: observed),
            EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed.adding(microseconds: 1)),
            EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed, key: "2"),
            // Length prefixes keep shifted boundaries apart: ("ab","c") is not ("a","bc").
            EventID.make(type: "AirQualityObservedu", entity: "rn:ngsi-ld:AirQualityObserved:a", observedAt: observed),
        ]
        XCTAssertEqual(Set(others + [id]).count, others.count + 1)
    }

    func testIdsKeepTheirValuesAcrossReleases() {
        // Stored ids make re-delivery idempotent: a change of encoding would duplicate every event
        // delivered again after an upgrade. Values computed apart from the hub, with Python's hashlib.
        XCTAssertEqual(EventID.make(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:a", observedAt: observed).rawValue,
                       "800660d8dd2a40008ba8bf6a89a69469")
        XCTAssertEqual(EventID.make(type: "T", entity: "urn:x", observedAt: Timestamp(microsecondsSinceEpoch: -5_000_000), key: "é2").rawValue,
                       "7fffffffffb3b4c00304d164aa338a1b")
    }

    func testIdsSortInObservationOrder() {
        let times: [Int64] = [-5_000_000, -1, 0, 1, 1_795_334_400_000_000, 1_795_334_400_000_001, 253_402_300_799_999_999]
        let ids = times.map { EventID.make(type: "T", entity: "urn:\($0 % 7)", observedAt: Timestamp(microsecondsSinceEpoch: $0)) }
        XCTAssertEqual(ids, ids.sorted(), "ids of later observations sort after earlier ones")
        XCTAssertTrue(ids[4].rawValue.hasPrefix("800660d8dd2a4000"), ids[4].rawValue)
    }

    func testEventInitializerUsesTheDeterministicId() {
        let event = Event(type: "T", entity: "urn:x", observedAt: observed, receivedAt: .now(), route: "r",
                          attributes: ["n": .number(1, unit: "CEL")])
        XCTAssertEqual(event.id, EventID.make(type: "T", entity: "urn:x", observedAt: observed))
    }

    func testStoredFormRoundTripsEveryKindOfValue() throws {
        let values: [Value] = [
            .number(21.5, unit: "CEL"), .number(-3, unit: nil), .text("free"), .text(""), .boolean(false),
            .json(.object(["stops": .array([.string("A"), .number(2)])])), .json(.string("looks like text")),
        ]
        for value in values {
            let text = value.storedForm.jsonText
            let parsed = try JSONValue(parsing: Data(text.utf8))
            XCTAssertEqual(Value(storedForm: parsed), value, text)
        }
    }

    func testAttributesJSONIsTheKeySortedStoredFormAndFollowsChanges() throws {
        var event = Event(type: "T", entity: "urn:x", observedAt: observed, receivedAt: observed, route: "r",
                          attributes: ["b": .number(2.5, unit: "CEL"), "a": .text("q\"uote"), "c": .boolean(true),
                                       "d": .json(.array([.null])), "e": .number(-1, unit: nil)])
        XCTAssertEqual(event.attributesJSON, JSONValue.object(event.attributes.mapValues(\.storedForm)).jsonText)
        XCTAssertEqual(event.attributesJSON,
                       #"{"a":{"value":"q\"uote"},"b":{"unitCode":"CEL","value":2.5},"c":{"value":true},"d":{"json":[null]},"e":{"value":-1}}"#)
        event.attributes["a"] = .text("changed")
        XCTAssertTrue(event.attributesJSON.hasPrefix(#"{"a":{"value":"changed"}"#), event.attributesJSON)
    }

    func testJSONLineIsStableAndCarriesISOTimesAndGeoJSON() throws {
        let event = Event(type: "ParkingSpot", entity: "urn:ngsi-ld:ParkingSpot:p1", observedAt: observed,
                          receivedAt: observed, route: "parking",
                          location: GeoPoint(latitude: 45.76, longitude: 4.83),
                          attributes: ["status": .text("free"), "b": .boolean(true)])
        XCTAssertEqual(event.jsonLine, event.jsonLine)
        let parsed = try JSONValue(parsing: Data(event.jsonLine.utf8))
        XCTAssertEqual(parsed["observedAt"], .string("2026-11-22T08:00:00.000000Z"))
        XCTAssertEqual(parsed["location"]?["coordinates"], .array([.number(4.83), .number(45.76)]))
        XCTAssertEqual(parsed["attributes"]?["status"]?["value"], .string("free"))
    }

    func testSHA256MatchesPublishedVectors() {
        XCTAssertEqual(SHA256.hash(Array("".utf8)).hexString,
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hash(Array("abc".utf8)).hexString,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hexString,
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hash(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)).hexString,
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
