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

    /// The attributes' text is what the store keeps and compares, and ids make re-delivery harmless:
    /// both must stay byte for byte what they were when these values were taken (from the renderer
    /// that appended to a `String`, before the byte buffer; every kind of value and escape).
    func testAttributesTextAndIdsArePinnedAcrossReleases() {
        let nested: JSONValue = .object([
            "zeta": .array([.number(1e15), .number(-1e15), .number(999_999_999_999_999), .number(0.1), .number(-0.0),
                            .number(1e-7), .number(123_456.789), .number(Double.greatestFiniteMagnitude), .number(.nan),
                            .number(-.infinity), .number(-42), .number(.leastNonzeroMagnitude)]),
            "Alpha": .object([:]), "alpha": .array([]), "é": .string("accent"), "e": .null, "\u{1F600}": .bool(false),
            "b": .object(["y": .string("\u{2028}\u{2029}\u{2027}"), "x": .string("ctl\u{00}\u{07}\u{08}\u{0C}\u{1F}\u{7F}"),
                          "w": .string("tab\tcr\rnl\n\\slash/ \"q\" é €")]),
        ])
        let event = Event(type: "TripUpdate", entity: "urn:ngsi-ld:Trip:t-1", observedAt: observed, receivedAt: observed,
                          route: "buses", attributes: [
                              "stopTimeUpdates": .json(nested), "delay": .number(-90, unit: "SEC"), "speed": .number(8.5, unit: "MTS"),
                              "name": .text("Gare Part-Dieu \u{2013} Villette"), "empty": .text(""), "ok": .boolean(true),
                              "off": .boolean(false), "Zulu": .number(3, unit: nil), "ünit": .number(0.5, unit: "P\"1"),
                              "list": .json(.array([.string("a"), .object(["k": .number(1)])])),
                          ], key: "e7#9f3a")
        XCTAssertEqual(event.attributesJSON, #"{"Zulu":{"value":3},"delay":{"unitCode":"SEC","value":-90},"empty":{"value":""},"list":{"json":["a",{"k":1}]},"name":{"value":"Gare Part-Dieu – Villette"},"off":{"value":false},"ok":{"value":true},"speed":{"unitCode":"MTS","value":8.5},"stopTimeUpdates":{"json":{"Alpha":{},"alpha":[],"b":{"w":"tab\tcr\rnl\n\\slash/ \"q\" é €","x":"ctl\u0000\u0007\b\f\u001f\#u{7F}","y":"\u2028\u2029‧"},"e":null,"zeta":[1000000000000000.0,-1000000000000000.0,999999999999999,0.1,0,1e-07,123456.789,1.7976931348623157e+308,null,null,-42,5e-324],"é":"accent","😀":false}},"ünit":{"unitCode":"P\"1","value":0.5}}"#)
        XCTAssertEqual(event.id.rawValue, "800660d8dd2a4000bebec3830284a621")
        XCTAssertEqual(EventID.make(type: "VehiclePosition", entity: "urn:ngsi-ld:Vehicle:bus-1", observedAt: Timestamp(microsecondsSinceEpoch: 0),
                                    key: String(repeating: "k", count: 70)).rawValue, "80000000000000000dabd95df8acebed")
        XCTAssertEqual(EventID.make(type: "", entity: "", observedAt: Timestamp(microsecondsSinceEpoch: .min + 1)).rawValue, "0000000000000001e636ffa6cd93dec0")
    }

    func testAttributesAddedInNameOrderGiveTheRenderedTextAndTheSameEvent() {
        var added = EventAttributes(count: 4, textCapacity: 8)  // too small: the text grows
        added.append("Zulu", .number(3, unit: nil))
        added.append("absent", nil)
        added.append("delay", .number(-90, unit: "SEC"))
        added.appendJSON("stops") { out in
            // Written by hand, members in key order, as a connector writes a fixed shape.
            out.append("[{\"a\":")
            out.appendNumber(1)
            out.append(",\"b\":")
            out.appendString("q\"\u{2028}")
            out.append("}]")
            return .array([.object(["b": .string("q\"\u{2028}"), "a": .number(1)])])
        }
        added.append("ünit", .text("x"))
        let values: [String: Value] = [
            "Zulu": .number(3, unit: nil), "delay": .number(-90, unit: "SEC"), "ünit": .text("x"),
            "stops": .json(.array([.object(["a": .number(1), "b": .string("q\"\u{2028}")])])),
        ]
        XCTAssertEqual(added.values, values)
        let written = Event(type: "T", entity: "urn:x", observedAt: observed, receivedAt: observed, route: "r",
                            attributes: added, key: "k")
        let rendered = Event(type: "T", entity: "urn:x", observedAt: observed, receivedAt: observed, route: "r",
                             attributes: values, key: "k")
        XCTAssertEqual(written.attributesJSON, #"{"Zulu":{"value":3},"delay":{"unitCode":"SEC","value":-90},"stops":{"json":[{"a":1,"b":"q\"\u2028"}]},"ünit":{"value":"x"}}"#)
        XCTAssertEqual(written.attributesJSON, Event.render(values))
        XCTAssertEqual(written, rendered)
        let empty = Event(type: "T", entity: "urn:x", observedAt: observed, receivedAt: observed, route: "r",
                          attributes: EventAttributes(count: 0, textCapacity: 0))
        XCTAssertEqual(empty.attributesJSON, "{}")
        XCTAssertEqual(empty.attributes, [:])
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

    func testSHA256HashersAreValuesThatStartOverAfterFinalizing() {
        var hasher = SHA256()
        hasher.update("ab")
        var copy = hasher  // taken part-way: goes on on its own
        hasher.update("c")
        copy.update("d")
        XCTAssertEqual(hasher.finalize().hexString, SHA256.hash(Array("abc".utf8)).hexString)
        XCTAssertEqual(copy.finalize(), SHA256.hash(Array("abd".utf8)))
        hasher.update("abc")
        XCTAssertEqual(hasher.finalize().hexString, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
