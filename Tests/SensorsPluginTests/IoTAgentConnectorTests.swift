import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// `sensors.fiware-iota`: FIWARE IoT Agent JSON and UltraLight 2.0 measures, by apikey.
final class IoTAgentConnectorTests: XCTestCase {
    private let settings = """
        {"apikeys": {
          "air-key": {"entityType": "AirQualityObserved",
                      "attributes": {"t": {"name": "temperature", "type": "Number", "unit": "CEL"},
                                     "h": {"name": "relativeHumidity", "type": "Number"},
                                     "n": {"name": "no2", "type": "Number"},
                                     "s": {"name": "status", "type": "Text"}}},
          "park-key": {"entityType": "ParkingSpot", "attributes": {"p": "status"}, "keepUnmapped": false}}}
        """

    private func decode(_ payload: String, topic: String) throws -> [Event] {
        let connector = try IoTAgentConnector(settings: testKit.settings(settings))
        return try connector.decode(testKit.envelope(payload, origin: topic))
    }

    func testUltraLightMeasuresAreMappedTypedAndUnited() throws {
        let events = try decode("t|15.5|h|0.7|n|41|s|ok|x|abc", topic: "/ul/air-key/station-7/attrs")
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].entity, "urn:ngsi-ld:AirQualityObserved:station-7")
        XCTAssertEqual(events[0].observedAt, testKit.receivedAt)
        XCTAssertEqual(events[0].attributes, [
            "temperature": .number(15.5, unit: "CEL"), "relativeHumidity": .number(0.7, unit: nil),
            "no2": .number(41, unit: "GQ"), "status": .text("ok"), "x": .text("abc"),
            "refDevice": .text("urn:ngsi-ld:Device:station-7"),
        ])
    }

    func testUltraLightGroupsAreSeparateEventsWithTheirOwnTimes() throws {
        let events = try decode("2026-11-22T07:00:00Z|t|14#2026-11-22T07:10:00Z|t|15#TimeInstant|2026-11-22T07:20:00Z|t|16",
                                topic: "/ul/air-key/station-7/attrs")
        XCTAssertEqual(events.map(\.observedAt), ["2026-11-22T07:00:00Z", "2026-11-22T07:10:00Z", "2026-11-22T07:20:00Z"].map { Timestamp(iso8601: $0)! })
        XCTAssertEqual(events.map { $0.attributes["temperature"] }, [14, 15, 16].map { .number($0, unit: "CEL") })
        XCTAssertEqual(Set(events.map(\.id)).count, 3)
    }

    func testGroupsWithoutTimesGetDistinctIds() throws {
        let events = try decode("t|14#t|15", topic: "/ul/air-key/station-7/attrs")
        XCTAssertEqual(events.count, 2)
        XCTAssertNotEqual(events[0].id, events[1].id)
    }

    func testJSONMeasuresAndTimeInstant() throws {
        let events = try decode(#"{"t":21.5,"h":"0.4","TimeInstant":"2026-11-22T07:59:00Z"}"#, topic: "/json/air-key/station-8/attrs")
        XCTAssertEqual(events.first?.observedAt, Timestamp(iso8601: "2026-11-22T07:59:00Z"))
        XCTAssertEqual(events.first?.attributes["temperature"], .number(21.5, unit: "CEL"))
        XCTAssertEqual(events.first?.attributes["relativeHumidity"], .number(0.4, unit: nil), "a Number attribute sent as text is converted")
        XCTAssertNil(events.first?.attributes["TimeInstant"])
    }

    func testAListOfJSONMeasuresGivesOneEventEach() throws {
        let events = try decode(#"[{"t":1,"TimeInstant":"2026-11-22T07:00:00Z"},{"t":2,"TimeInstant":"2026-11-22T07:01:00Z"}]"#,
                                topic: "/json/air-key/station-8/attrs")
        XCTAssertEqual(events.map { $0.attributes["temperature"] }, [.number(1, unit: "CEL"), .number(2, unit: "CEL")])
    }

    func testOneAttributeTopicCarriesItsValue() throws {
        let events = try decode("23.5", topic: "/json/air-key/station-8/attrs/t")
        XCTAssertEqual(events.first?.attributes["temperature"], .number(23.5, unit: "CEL"))
        let parking = try decode("1", topic: "/json/park-key/spot-3/attrs/p")
        XCTAssertEqual(parking.first?.attributes, ["status": .text("occupied"), "refDevice": .text("urn:ngsi-ld:Device:spot-3")])
    }

    func testEachKindOfBadMessageBecomesADeadLetterWithItsReason() throws {
        let cases: [(String, String, String)] = [
            ("t|15", "/ul/other-key/d1/attrs", "unknown apikey \"other-key\": no service group of this route has it"),
            ("t|15|h", "/ul/air-key/d1/attrs", "UltraLight measure group 1 \"t|15|h\" is not object_id|value pairs (it has 3 fields)"),
            ("t|15#", "/ul/air-key/d1/attrs", "UltraLight measure group 2 \"\" is not object_id|value pairs"),
            ("|15", "/ul/air-key/d1/attrs", "UltraLight measure group 1 has an empty object_id"),
            ("", "/ul/air-key/d1/attrs", "payload is empty; expected UltraLight 2.0 measures"),
            ("t|warm", "/ul/air-key/d1/attrs", "reading \"t\" must be a number, found a string (\"warm\")"),
            ("TimeInstant|yesterday|t|1", "/ul/air-key/d1/attrs", "TimeInstant must be an RFC 3339 date-time with a zone"),
            ("{\"t\":", "/json/air-key/d1/attrs", "payload is not valid JSON"),
            ("[1]", "/json/air-key/d1/attrs", "measure 1 is a number, not a JSON object of measures"),
            (#"{"p":"maybe"}"#, "/json/park-key/d1/attrs", "reading \"p\" is a string (\"maybe\"); ParkingSpot status is free, occupied, closed or unknown"),
            (#"{"q":1}"#, "/json/park-key/d1/attrs", "no readings left after mapping (readings present: \"q\")"),
            ("t|1", "/ul/air-key/d1/attrs/t", "UltraLight measures go to /ul/{apikey}/{device}/attrs"),
            ("t|1", "city/air/d1", "topic \"city/air/d1\" is not /json/{apikey}/{device}/attrs[/{attr}] or /ul/{apikey}/{device}/attrs"),
        ]
        for (payload, topic, reason) in cases {
            let error = testKit.connectorError { try decode(payload, topic: topic) }
            XCTAssertTrue(error?.message.hasPrefix(reason) ?? false, "\(topic) \(payload): \(error?.message ?? "no error")")
        }
    }

    func testSettingsNeedApikeys() {
        XCTAssertEqual(testKit.settingsError { try IoTAgentConnector(settings: testKit.settings("{}")) }?.path, "routes[0].settings.apikeys")
        XCTAssertEqual(testKit.settingsError {
            try IoTAgentConnector(settings: testKit.settings(#"{"apikeys":{"k":{"entityType":"X","units":{}}}}"#))
        }?.path, "routes[0].settings.apikeys.k.units")
    }
}
