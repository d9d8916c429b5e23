import HubCore
@testable import HubHTTP
import XCTest

/// The NGSI-LD query language (`q`): the cases of ETSI GS CIM 009 clause 4.9, evaluated against
/// entities in the normalized form the view serves.
final class NGSILDQueryTests: XCTestCase {
    private func property(_ value: JSONValue, observedAt: String = "2026-11-22T08:00:00Z", unit: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("Property"), "value": value, "observedAt": .string(observedAt)]
        if let unit { members["unitCode"] = .string(unit) }
        return .object(members)
    }

    private lazy var station: [String: JSONValue] = [
        "id": .string("urn:ngsi-ld:AirQualityObserved:aq-1"), "type": .string("AirQualityObserved"),
        "no2": property(.number(41.5), unit: "GQ"),
        "temperature": property(.number(-2)),
        "name": property(.string("Place Bellecour")),
        "open": property(.bool(true)),
        "levels": property(.array([.number(3), .number(7)])),
        "address": property(.object(["city": .string("Lyon"), "street": .object(["number": .number(12)])])),
        "dateCalibrated": property(.object(["@type": .string("DateTime"), "@value": .string("2026-11-01T10:00:00Z")])),
        "refDevice": .object([
            "type": .string("Relationship"), "object": .string("urn:ngsi-ld:Device:aq-1"),
            "rssi": .object(["type": .string("Property"), "value": .number(-97)]),
        ]),
    ]

    private func matches(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        do {
            return try NGSILDQuery(parsing: text).matches(station)
        } catch {
            XCTFail("\(text) does not parse: \(error)", file: file, line: line)
            return false
        }
    }

    func testComparisonsOfNumbers() {
        XCTAssertTrue(matches("no2==41.5"))
        XCTAssertFalse(matches("no2==41"))
        XCTAssertTrue(matches("no2!=41"))
        XCTAssertTrue(matches("no2>40"))
        XCTAssertFalse(matches("no2>41.5"))
        XCTAssertTrue(matches("no2>=41.5"))
        XCTAssertTrue(matches("no2<42"))
        XCTAssertTrue(matches("no2<=41.5"))
        XCTAssertTrue(matches("temperature<-1"))
        XCTAssertFalse(matches("temperature>-1"))
    }

    func testListsAndRangesWithEqualAndUnequal() {
        XCTAssertTrue(matches("no2==10,41.5,90"))
        XCTAssertFalse(matches("no2==10,90"))
        XCTAssertTrue(matches("no2==40..42"))
        XCTAssertTrue(matches("no2==41.5..42"), "ranges include their bounds")
        XCTAssertTrue(matches("no2==41..41.5"), "ranges include their bounds")
        XCTAssertFalse(matches("no2==42..50"))
        XCTAssertTrue(matches("no2!=42..50"))
        XCTAssertFalse(matches("no2!=40..42"))
        XCTAssertFalse(matches("no2!=10,41.5"))
    }

    func testTextBooleansAndUnquotedURIs() {
        XCTAssertTrue(matches(#"name=="Place Bellecour""#))
        XCTAssertFalse(matches(#"name=="Place""#))
        XCTAssertTrue(matches(#"name>"Place A""#), "text orders lexicographically")
        XCTAssertTrue(matches(#"name=="a;b|c",other|name=="Place Bellecour""#), "separators inside quotes are text")
        XCTAssertTrue(matches("open==true"))
        XCTAssertFalse(matches("open==false"))
        XCTAssertTrue(matches("refDevice==urn:ngsi-ld:Device:aq-1"), "a Relationship compares its object")
        XCTAssertTrue(matches(#"refDevice=="urn:ngsi-ld:Device:aq-1""#))
        XCTAssertFalse(matches("no2==\"41.5\""), "a quoted number is text, and text is not a number")
    }

    func testLogicalOperatorsAndTheirPrecedence() {
        XCTAssertTrue(matches("no2>40;temperature<0"))
        XCTAssertFalse(matches("no2>40;temperature>0"))
        XCTAssertTrue(matches("no2>90|temperature<0"))
        // AND binds tighter: false;false|true is (false AND false) OR true.
        XCTAssertTrue(matches("no2>90;no2<0|open==true"))
        XCTAssertFalse(matches("no2>90;(no2<0|open==true)"))
        XCTAssertTrue(matches("(no2>90|open==true);(temperature<0|no2<1)"))
    }

    func testExistenceAndAbsence() {
        XCTAssertTrue(matches("no2"))
        XCTAssertFalse(matches("pm10"))
        XCTAssertTrue(matches("!pm10"))
        XCTAssertFalse(matches("!no2"))
        XCTAssertFalse(matches("pm10<100"), "a comparison on a missing attribute is false")
        XCTAssertFalse(matches("pm10!=100"), "so is an inequality")
    }

    func testMembersSubAttributesAndKeysInsideValues() {
        XCTAssertTrue(matches("no2.unitCode==\"GQ\""))
        XCTAssertTrue(matches("no2.observedAt>=2026-11-22T08:00:00Z"))
        XCTAssertFalse(matches("no2.observedAt>2026-11-22T08:00:00Z"))
        XCTAssertTrue(matches("refDevice.rssi<-90"), "a sub-property's value")
        XCTAssertTrue(matches("address[city]==\"Lyon\""))
        XCTAssertTrue(matches("address[street][number]==12"))
        XCTAssertFalse(matches("address[country]==\"FR\""))
        XCTAssertTrue(matches("dateCalibrated<2026-11-02T00:00:00Z"), "DateTime values compare as times")
        XCTAssertTrue(matches("levels==7"), "an array holds when one of its elements does")
        XCTAssertFalse(matches("levels==5"))
    }

    func testRegularExpressions() {
        XCTAssertTrue(matches("name~=Bell"))
        XCTAssertTrue(matches("name~=^Place (Bellecour|Carnot)$"), "a pattern's own | and parentheses are kept")
        XCTAssertFalse(matches("name~=^Bell"))
        XCTAssertTrue(matches("name!~=^Bell"))
        XCTAssertTrue(matches("name~=[Pp]lace;no2>1"))
        // ICU takes hours on this; the C library's matcher does not backtrack.
        let pathological: [String: JSONValue] = ["name": property(.string(String(repeating: "a", count: 40) + "!"))]
        XCTAssertFalse(try NGSILDQuery(parsing: "name~=^(a+)+$").matches(pathological))
    }

    func testFullIRIsAreCompactedToTheHubsTerms() throws {
        let context = try NGSILDContext(request: HTTPRequest(method: "GET", path: "/"))
        let query = try NGSILDQuery(parsing: "https://smartdatamodels.org/dataModel.Environment/no2>40", compact: context.compact)
        XCTAssertEqual(query.attributes, ["no2"])
        XCTAssertTrue(query.matches(station))
    }

    func testMalformedQueriesAreBadRequestData() {
        for text in ["", "no2>", "no2==", ">4", "no2>>4", "(no2>4", "no2>4)", "no2==1..", "no2>1,2", "no2>1..3", "!no2>4",
                     "no2~=(", "name~=(a)\\1", "a b==1", "no2==\"open", "a[b==1", String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)] {
            XCTAssertThrowsError(try NGSILDQuery(parsing: text), text) { error in
                XCTAssertEqual((error as? NGSILDProblem)?.kind, .badRequestData, text)
            }
        }
    }
}
