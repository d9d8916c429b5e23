import Foundation
import HubCore
import HubServices
import HubTesting
import SensorsPlugin
import XCTest

final class SenMLConnectorTests: XCTestCase {
    private func connector(_ settings: String = "{}") throws -> SenMLConnector {
        try SenMLConnector(settings: testKit.settings(settings))
    }

    private func decode(_ text: String, receivedAt: Timestamp = testKit.receivedAt) throws -> [Event] {
        try connector().decode(testKit.envelope(text, receivedAt: receivedAt))
    }

    private func decodeFixture(_ name: String, receivedAt: Timestamp = testKit.receivedAt) throws -> [Event] {
        try connector().decode(testKit.envelope(testKit.fixture("senml/\(name).json"), receivedAt: receivedAt))
    }

    // MARK: - Grouping into events

    func testEx6GivesOneEventPerDeviceAndTime() throws {
        let events = try decodeFixture("senml-spec-ex6")
        let observed = Timestamp(microsecondsSinceEpoch: 1_320_078_429_000_000)
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events.map(\.entity), ["urn:ngsi-ld:Device:2001:db8::2", "urn:ngsi-ld:Device:2001:db8::1"])
        XCTAssertEqual(events.map(\.type), ["Device", "Device"])
        XCTAssertEqual(events.map(\.observedAt), [observed, observed])
        XCTAssertEqual(events[0].attributes, ["temperature": .number(25.2, unit: "CEL"), "humidity": .number(30, unit: "P1")])
        XCTAssertEqual(events[1].attributes, ["temperature": .number(12.3, unit: "CEL"), "humidity": .number(67, unit: "P1")])
        XCTAssertEqual(events[0].receivedAt, testKit.receivedAt)
        XCTAssertEqual(events[0].route, "sensors")
    }

    func testEx3GivesOneEventPerTime() throws {
        let events = try decodeFixture("senml-spec-ex3")
        let last = Timestamp(microsecondsSinceEpoch: 1_276_020_076_001_000)
        XCTAssertEqual(events.count, 6)
        XCTAssertEqual(Set(events.map(\.entity)), ["urn:ngsi-ld:Device:urn:dev:ow:10e2073a0108006"])
        XCTAssertEqual(events[0].observedAt, last)
        XCTAssertEqual(events[0].attributes, ["voltage": .number(120.1, unit: "VLT"), "current": .number(1.7, unit: "AMP")])
        XCTAssertEqual(events[1].observedAt, last.adding(microseconds: -5_000_000))
        XCTAssertEqual(events[1].attributes, ["current": .number(1.2, unit: "AMP")])
        XCTAssertEqual(events[3].attributes, ["current": .number(1.4, unit: "AMP")], "0.14e1 is 1.4")
    }

    func testEx2RecordsWithoutTimeAreObservedWhenReceived() throws {
        let events = try decodeFixture("senml-spec-ex2")
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].entity, "urn:ngsi-ld:Device:urn:dev:ow:10e2073a01080063")
        XCTAssertEqual(events[0].observedAt, testKit.receivedAt)
        XCTAssertEqual(events[0].attributes, ["voltage": .number(120.1, unit: "VLT"), "current": .number(1.2, unit: "AMP")])
    }

    func testEx1ADeviceURNWithoutBaseNameIsTheDeviceAndItsReadingIsValue() throws {
        let events = try decodeFixture("senml-spec-ex1")
        XCTAssertEqual(events.map(\.entity), ["urn:ngsi-ld:Device:urn:dev:ow:10e2073a01080063"])
        XCTAssertEqual(events.first?.attributes, ["value": .number(23.1, unit: "CEL")])
    }

    func testRFC9193KeepsStringBooleanAndDataValues() throws {
        let events = try decodeFixture("rfc9193-1")
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].attributes, [
            "temp": .number(7.1, unit: "CEL"),
            "open": .boolean(false),
            "nfc-reader": .text("aGkgCg"),
        ])
    }

    func testFMIRecordsSharingANameAtOneTimeGoToSeparateEvents() throws {
        let events = try decodeFixture("fmi-helsinki")
        let start = Timestamp(microsecondsSinceEpoch: 1_584_432_000_000_000)
        XCTAssertEqual(events.count, 136, "68 times, two readings named alike at each")
        XCTAssertEqual(Set(events.map(\.entity)), ["urn:ngsi-ld:Device:opendata.fmi.fi/wfs/helsinki"])
        XCTAssertEqual(Set(events.map(\.observedAt)).count, 68)
        XCTAssertEqual(events[0].observedAt, start)
        XCTAssertEqual(events[0].attributes, ["value": .number(2.9, unit: "CEL")])
        XCTAssertEqual(events[1].observedAt, start)
        XCTAssertEqual(events[1].attributes, ["value": .number(5, unit: "MTS")])
        XCTAssertEqual(events[1].id, EventID.make(type: "Device", entity: events[1].entity, observedAt: start, key: "2"))
        XCTAssertEqual(Set(events.map(\.id)).count, 136, "every event has its own id")
    }

    func testSumsBecomeAttributesNamedAfterTheRecord() throws {
        let events = try decode(#"[{"bn":"meter-3/","bt":1795334400,"n":"energy","u":"kWh","v":2.5,"s":1520.5},{"n":"flow","s":12}]"#)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].entity, "urn:ngsi-ld:Device:meter-3")
        XCTAssertEqual(events[0].attributes, [
            "energy": .number(2.5, unit: "KWH"),
            "energy_sum": .number(1520.5, unit: "KWH"),
            "flow_sum": .number(12, unit: nil),
        ])
    }

    func testRecordsWithoutBaseNameAreSplitAtTheirLastSeparator() throws {
        let events = try decode(#"""
            [{"n":"room1/temperature","v":20,"u":"Cel","bt":1795334400},
             {"n":"room1/co2","v":415,"u":"ppm"},
             {"n":"urn:dev:ow:10e2073a01080063:voltage","v":230,"u":"V"},
             {"n":"gateway","vs":"online"}]
            """#)
        XCTAssertEqual(events.map(\.entity), [
            "urn:ngsi-ld:Device:room1", "urn:ngsi-ld:Device:urn:dev:ow:10e2073a01080063", "urn:ngsi-ld:Device:gateway",
        ])
        XCTAssertEqual(events[0].attributes, ["temperature": .number(20, unit: "CEL"), "co2": .number(415, unit: "59")])
        XCTAssertEqual(events[1].attributes, ["voltage": .number(230, unit: "VLT")])
        XCTAssertEqual(events[2].attributes, ["value": .text("online")])
    }

    func testBaseNameWithoutTrailingSeparatorAndRecordsWithoutName() throws {
        let events = try decode(#"[{"bn":"pump-4","bt":1795334400,"v":3,"u":"Hz"},{"n":"state","vs":"on"},{"v":9,"u":"beat/min","t":60}]"#)
        XCTAssertEqual(events.map(\.entity), ["urn:ngsi-ld:Device:pump-4", "urn:ngsi-ld:Device:pump-4"])
        XCTAssertEqual(events[0].attributes, ["value": .number(3, unit: "HTZ"), "state": .text("on")])
        XCTAssertEqual(events[1].attributes, ["value": .number(9, unit: "beat/min")], "no UN/CEFACT code: the SenML unit is kept")
    }

    func testEntityTypeSettingNamesTheEventsAndEntities() throws {
        let events = try connector(#"{"entityType":"WeatherObserved"}"#)
            .decode(testKit.envelope(testKit.fixture("senml/senml-spec-ex6.json")))
        XCTAssertEqual(events.first?.type, "WeatherObserved")
        XCTAssertEqual(events.first?.entity, "urn:ngsi-ld:WeatherObserved:2001:db8::2")
    }

    // MARK: - Event ids

    func testEventIdsAreDeterministic() throws {
        let first = try decodeFixture("senml-spec-ex6")
        let again = try decodeFixture("senml-spec-ex6", receivedAt: testKit.receivedAt.adding(microseconds: 90_000_000))
        XCTAssertEqual(first.map(\.id), again.map(\.id), "absolute times: re-delivery later gives the same ids")
        XCTAssertNotEqual(first[0].id, first[1].id)

        let moved = try decode(#"[{"bn":"2001:db8::2/","bt":1320078430,"n":"temperature","v":25.2,"u":"Cel"},{"n":"humidity","v":30,"u":"%RH"}]"#)
        XCTAssertEqual(moved[0].entity, first[0].entity)
        XCTAssertNotEqual(moved[0].id, first[0].id, "a different time is a different observation")
    }

    // MARK: - Dead letters through the connector

    func testDeadLetterReasonsComeFromThePack() throws {
        let connector = try connector()
        func reason(_ text: String) -> String {
            testKit.connectorError { try connector.decode(testKit.envelope(text)) }?.message ?? ""
        }
        XCTAssertEqual(reason(#"{"n":"a","v":1}"#), "a SenML pack must be a JSON array of records, found an object (wrap a single record in [ ])")
        XCTAssertEqual(reason("[]"), "the SenML pack is empty: an array with no records")
        XCTAssertTrue(reason("[{").hasPrefix("payload is not valid JSON"))
        XCTAssertEqual(reason(#"[{"bver":12,"n":"a","v":1}]"#), "unsupported SenML version 12 (record 1 of 1); this connector reads versions up to 10")
        XCTAssertEqual(reason(#"[{"n":"a","v":1,"vb":true}]"#),
                       "record 1 of 1 has more than one value (v and vb); a record carries exactly one of v, vs, vb or vd")
    }

    // MARK: - Settings

    func testSettingsErrorsNameTheSetting() {
        func error(_ json: String) -> String {
            testKit.settingsError { try SenMLConnector(settings: testKit.settings(json)) }?.description ?? ""
        }
        XCTAssertEqual(error(#"{"entitytype":"Device"}"#), "routes[0].settings.entitytype: unknown setting; known: entityType")
        XCTAssertEqual(error(#"{"entityType":""}"#),
                       #"routes[0].settings.entityType: must not be empty; give an NGSI-LD type such as "AirQualityObserved""#)
        XCTAssertEqual(error(#"{"entityType":"urn:x"}"#),
                       #"routes[0].settings.entityType: "urn:x" is not a type name: start with a letter and use only letters, digits, "_", "-" and "." (e.g. "AirQualityObserved")"#)
        XCTAssertEqual(error(#"{"entityType":3}"#), "routes[0].settings.entityType: expected a string, found number")
        XCTAssertNoThrow(try SenMLConnector(settings: testKit.settings("null")))
    }

    func testIsListedInThePluginUnderItsId() {
        XCTAssertEqual(SenMLConnector.id, "sensors.senml")
        XCTAssertEqual(SenMLConnector.defaultEntityType, "Device")
        XCTAssertNotNil(ConnectorCatalog(SensorsPlugin.connectors).type(withID: "sensors.senml"))
    }
}
