import Foundation
import HubCore
import HubServices
import HubTesting
import SensorsPlugin
import XCTest

final class SensorJSONConnectorTests: XCTestCase {
    private let airQuality = #"{"device":"aq-07","ts":"2026-11-22T08:00:00Z","no2":41.5,"pm10":18,"temperature":12.3}"#
    private let baseSettings = #""entityType":"AirQualityObserved","idField":"device""#

    private func connector(_ extra: String = "") throws -> SensorJSONConnector {
        try SensorJSONConnector(settings: testKit.settings("{\(baseSettings)\(extra.isEmpty ? "" : ",")\(extra)}"))
    }

    private func decodeOne(_ payload: String, _ extra: String = "", topic: String = "city/air/up") throws -> Event {
        let events = try connector(extra).decode(testKit.envelope(payload, origin: topic))
        XCTAssertEqual(events.count, 1)
        return try XCTUnwrap(events.first)
    }

    private func reason(_ payload: String, _ extra: String = "", topic: String = "city/air/up") throws -> String {
        let connector = try connector(extra)
        return testKit.connectorError { try connector.decode(testKit.envelope(payload, origin: topic)) }?.message ?? ""
    }

    // MARK: - Events

    func testDecodesReadingsWithUnitsIntoOneEvent() throws {
        let event = try decodeOne(airQuality, #""timeField":"ts","units":{"temperature":"CEL","no2":"GQ"}"#)
        XCTAssertEqual(event.type, "AirQualityObserved")
        XCTAssertEqual(event.entity, "urn:ngsi-ld:AirQualityObserved:aq-07")
        XCTAssertEqual(event.observedAt, testKit.receivedAt)
        XCTAssertEqual(event.receivedAt, testKit.receivedAt)
        XCTAssertEqual(event.route, "sensors")
        XCTAssertNil(event.location)
        XCTAssertEqual(event.attributes, [
            "no2": .number(41.5, unit: "GQ"),
            "pm10": .number(18, unit: nil),
            "temperature": .number(12.3, unit: "CEL"),
            "refDevice": .text("urn:ngsi-ld:Device:aq-07"),
        ])
        XCTAssertEqual(event.id, EventID.make(type: event.type, entity: event.entity, observedAt: event.observedAt))
    }

    func testKeepsEveryKindOfValueAndSkipsNulls() throws {
        let payload = #"{"device":"p-1","status":"free","charging":true,"spots":[1,2],"meta":{"fw":"1.2"},"battery":null,"level":3}"#
        let event = try decodeOne(payload)
        XCTAssertEqual(event.attributes, [
            "status": .text("free"),
            "charging": .boolean(true),
            "spots": .json(.array([.number(1), .number(2)])),
            "meta": .json(.object(["fw": .string("1.2")])),
            "refDevice": .text("urn:ngsi-ld:Device:p-1"),
            "level": .number(3, unit: nil),
        ])
    }

    func testWithoutTimeFieldTheEventIsObservedWhenReceived() throws {
        let later = testKit.receivedAt.adding(microseconds: 1_500_000)
        let events = try connector().decode(testKit.envelope(#"{"device":"a","no2":1}"#, receivedAt: later))
        XCTAssertEqual(events.first?.observedAt, later)
        XCTAssertEqual(events.first?.attributes["ts"], nil)
    }

    func testReadsISO8601TimesWithAnyZone() throws {
        let event = try decodeOne(#"{"device":"a","ts":"2026-11-22T09:30:00.25+01:30","no2":1}"#, #""timeField":"ts""#)
        XCTAssertEqual(event.observedAt, testKit.receivedAt.adding(microseconds: 250_000))
        XCTAssertNil(event.attributes["ts"])
    }

    func testReadsUnixSecondsAsNumbersOrNumericText() throws {
        let settings = #""timeField":"ts","timeFormat":"unix-seconds""#
        XCTAssertEqual(try decodeOne(#"{"device":"a","ts":1795334400,"no2":1}"#, settings).observedAt, testKit.receivedAt)
        XCTAssertEqual(try decodeOne(#"{"device":"a","ts":"1795334400.5","no2":1}"#, settings).observedAt,
                       testKit.receivedAt.adding(microseconds: 500_000))
    }

    func testReadsUnixMilliseconds() throws {
        let event = try decodeOne(#"{"device":"a","ts":1795334400123,"no2":1}"#, #""timeField":"ts","timeFormat":"unix-millis""#)
        XCTAssertEqual(event.observedAt, testKit.receivedAt.adding(microseconds: 123_000))
    }

    func testTakesTheIdFromATopicLevel() throws {
        let connector = try SensorJSONConnector(settings: testKit.settings(
            #"{"entityType":"AirQualityObserved","idFromTopicLevel":2}"#))
        let events = try connector.decode(testKit.envelope(#"{"device":"ignored","no2":41.5}"#, origin: "city/air/aq-07/up"))
        XCTAssertEqual(events.first?.entity, "urn:ngsi-ld:AirQualityObserved:aq-07")
        // With the id in the topic, every field of the payload is a reading.
        XCTAssertEqual(events.first?.attributes["device"], .text("ignored"))

        let reason = testKit.connectorError {
            try connector.decode(testKit.envelope(#"{"no2":1}"#, origin: "city/air"))
        }?.message
        XCTAssertEqual(reason, #"topic "city/air" has no level 2 to take the id from (it has 2 levels, counted from 0)"#)
        let empty = testKit.connectorError {
            try connector.decode(testKit.envelope(#"{"no2":1}"#, origin: "city/air//up"))
        }?.message
        XCTAssertEqual(empty, #"topic level 2 of "city/air//up" is empty; it must hold the device id"#)
    }

    func testAcceptsWholeNumbersAsIds() throws {
        XCTAssertEqual(try decodeOne(#"{"device":42,"no2":1}"#).entity, "urn:ngsi-ld:AirQualityObserved:42")
        XCTAssertEqual(try reason(#"{"device":4.5,"no2":1}"#),
                       #"id field "device" is 4.5; a numeric id must be a whole number (below 10^15)"#)
    }

    func testReadsTheLocationFromTwoFields() throws {
        let settings = #""latitudeField":"lat","longitudeField":"lon""#
        let event = try decodeOne(#"{"device":"a","lat":45.76,"lon":4.83,"no2":1}"#, settings)
        XCTAssertEqual(event.location, GeoPoint(latitude: 45.76, longitude: 4.83))
        XCTAssertEqual(Set(event.attributes.keys), ["no2", "refDevice"])
        XCTAssertNil(try decodeOne(#"{"device":"a","no2":1}"#, settings).location, "no fix: no location, still an event")

        XCTAssertEqual(try reason(#"{"device":"a","lat":95,"lon":4.83,"no2":1}"#, settings),
                       "location (lat 95, lon 4.83) is outside WGS84 ranges (latitude -90...90, longitude -180...180)")
        XCTAssertEqual(try reason(#"{"device":"a","lat":45.76,"no2":1}"#, settings),
                       #"location field "lon" is missing while the other one is present"#)
        XCTAssertEqual(try reason(#"{"device":"a","lat":"45.76","lon":4.83,"no2":1}"#, settings),
                       #"location field "lat" must be a number of degrees, found a string ("45.76")"#)
    }

    func testAllowListAndRenameChooseAndNameAttributes() throws {
        let settings = #""fields":["no2","temperature"],"rename":{"temperature":"airTemperature"},"units":{"temperature":"CEL"}"#
        let event = try decodeOne(airQuality, settings)
        XCTAssertEqual(event.attributes, [
            "no2": .number(41.5, unit: nil), "airTemperature": .number(12.3, unit: "CEL"), "refDevice": .text("urn:ngsi-ld:Device:aq-07"),
        ])

        let renameOnly = try decodeOne(airQuality, #""rename":{"no2":"nitrogenDioxide"}"#)
        XCTAssertEqual(Set(renameOnly.attributes.keys), ["nitrogenDioxide", "pm10", "temperature", "ts", "refDevice"])
    }

    // MARK: - Dead letters

    func testRejectsPayloadsThatAreNotOneJSONObject() throws {
        XCTAssertEqual(try reason(""), "payload is empty (or only whitespace); expected a JSON object of readings")
        XCTAssertEqual(try reason(" \n"), "payload is empty (or only whitespace); expected a JSON object of readings")
        XCTAssertTrue(try reason(#"{"device":"a","no2":}"#).hasPrefix("payload is not valid JSON"))
        XCTAssertEqual(try reason(#"[{"device":"a"},{"device":"b"}]"#),
                       "payload is a JSON array (of 2 elements), not an object; this connector reads one flat object of readings per message (for SenML packs use sensors.senml)")
        XCTAssertEqual(try reason(#""aq-07""#), #"payload is a string ("aq-07"), not a JSON object of readings"#)

        let connector = try connector()
        let invalid = testKit.connectorError {
            try connector.decode(testKit.envelope(Data([0x7B, 0x22, 0x61, 0xFF, 0x22, 0x3A, 0x31, 0x7D])))
        }
        XCTAssertEqual(invalid?.message, "payload is not valid UTF-8 (bad byte at offset 3); expected a JSON object of readings")
        XCTAssertEqual(invalid?.code, .malformedPayload)
    }

    func testRejectsAMissingOrMistypedId() throws {
        XCTAssertEqual(try reason(#"{"no2":1,"pm10":2}"#), #"id field "device" is missing (fields present: "no2", "pm10")"#)
        XCTAssertEqual(try reason(#"{"device":null,"no2":1}"#), #"id field "device" is missing (fields present: "device", "no2")"#)
        XCTAssertEqual(try reason(#"{"device":true,"no2":1}"#), #"id field "device" must be a string or a whole number, found a boolean"#)
        XCTAssertEqual(try reason(#"{"device":{"id":"a"},"no2":1}"#), #"id field "device" must be a string or a whole number, found an object"#)
        XCTAssertEqual(try reason(#"{"device":"","no2":1}"#), #"id field "device" is empty; it must hold the device id"#)
        XCTAssertEqual(try reason(#"{"device":"aq 07","no2":1}"#), #"id field "device" contains a space or control character: "aq 07""#)
        XCTAssertEqual(try reason("{\"device\":\"aq\u{3000}07\",\"no2\":1}"), "id field \"device\" contains a space or control character: \"aq\u{3000}07\"",
                       "an ideographic space, beyond ASCII")
        XCTAssertEqual(try reason(#"{"device":"aq\u007f07","no2":1}"#), "id field \"device\" contains a space or control character: \"aq\u{7F}07\"")
    }

    func testRejectsAMissingOrUnreadableTimeQuotingIt() throws {
        XCTAssertEqual(try reason(#"{"device":"a","no2":1}"#, #""timeField":"ts""#),
                       #"time field "ts" is missing or null (fields present: "device", "no2")"#)
        XCTAssertEqual(try reason(#"{"device":"a","ts":"22/11/2026 08:00","no2":1}"#, #""timeField":"ts""#),
                       #"time field "ts" must be an ISO 8601 date-time with a zone (like "2026-11-22T08:00:00Z"), found a string ("22/11/2026 08:00")"#)
        XCTAssertEqual(try reason(#"{"device":"a","ts":"2026-11-22T08:00:00","no2":1}"#, #""timeField":"ts""#),
                       #"time field "ts" must be an ISO 8601 date-time with a zone (like "2026-11-22T08:00:00Z"), found a string ("2026-11-22T08:00:00")"#)
        let long = String(repeating: "x", count: 200)
        XCTAssertEqual(try reason(#"{"device":"a","ts":"\#(long)","no2":1}"#, #""timeField":"ts""#),
                       #"time field "ts" must be an ISO 8601 date-time with a zone (like "2026-11-22T08:00:00Z"), found a string (""# + String(repeating: "x", count: 40) + "…\")")
        XCTAssertEqual(try reason(#"{"device":"a","ts":1795334400,"no2":1}"#, #""timeField":"ts""#),
                       #"time field "ts" must be an ISO 8601 date-time with a zone (like "2026-11-22T08:00:00Z"), found a number (1795334400)"#)
        XCTAssertEqual(try reason(#"{"device":"a","ts":"soon","no2":1}"#, #""timeField":"ts","timeFormat":"unix-seconds""#),
                       #"time field "ts" must be a number of seconds since 1970, found a string ("soon")"#)
        XCTAssertEqual(try reason(#"{"device":"a","ts":1795334400123,"no2":1}"#, #""timeField":"ts","timeFormat":"unix-seconds""#),
                       #"time field "ts" is 1795334400123 seconds since 1970, which is not a date in years 1 to 9999 (if it counts milliseconds, set timeFormat to "unix-millis")"#)
    }

    func testRejectsAUnitOnAFieldThatIsNotANumber() throws {
        XCTAssertEqual(try reason(#"{"device":"a","temperature":"warm"}"#, #""units":{"temperature":"CEL"}"#),
                       #"field "temperature" has unit CEL but its value is a string ("warm")"#)
        XCTAssertEqual(try reason(#"{"device":"a","temperature":[12]}"#, #""units":{"temperature":"CEL"}"#),
                       #"field "temperature" has unit CEL but its value is an array"#)
        // A unit for a field the message does not carry, or carries as null, is no error.
        XCTAssertEqual(try decodeOne(#"{"device":"a","no2":1,"temperature":null}"#, #""units":{"temperature":"CEL"}"#).attributes.count, 2, "no2 and refDevice")
    }

    /// Of several refused fields, the reason names the first by name, whatever order the object's
    /// members come in (the connector reads them in the object's order and, once one is refused,
    /// again in name order): of 20 refused fields, "f00" is named; read in the object's order
    /// alone, it would be named about once in twenty runs (Swift seeds hashing per process).
    func testOfSeveralRefusedFieldsTheFirstByNameIsNamed() throws {
        let names = (0..<20).map { String(format: "f%02d", $0) }
        let fields = names.shuffled().map { #""\#($0)":"warm""# }.joined(separator: ",")
        let units = names.map { #""\#($0)":"CEL""# }.joined(separator: ",")
        XCTAssertEqual(try reason(#"{"device":"a",\#(fields)}"#, #""units":{\#(units)}"#),
                       #"field "f00" has unit CEL but its value is a string ("warm")"#)
        XCTAssertEqual(try reason(#"{"device":"a","":1,"b":1}"#),
                       #"a field has an empty name; attributes need one (rename can give it one: "rename": {"": "..."})"#)
    }

    func testRejectsAMessageWithoutReadings() throws {
        XCTAssertEqual(try reason(#"{"device":"a","ts":"2026-11-22T08:00:00Z"}"#, #""timeField":"ts""#),
                       #"no readings: the object has no fields besides the id, time and location (fields present: "device", "ts")"#)
        XCTAssertEqual(try reason(#"{"device":"a","no2":null}"#),
                       #"no readings: every reading in the object is null (fields present: "device", "no2")"#)
        XCTAssertEqual(try reason(#"{"device":"a","rssi":-80}"#, #""fields":["no2","pm10"]"#),
                       #"no readings: none of the fields the fields setting lists (no2, pm10) is in the object (fields present: "device", "rssi")"#)
        XCTAssertEqual(try reason("{}"), #"id field "device" is missing (the object is empty)"#)
    }

    func testRejectsTwoFieldsRenamedToOneAttribute() throws {
        XCTAssertEqual(try reason(#"{"device":"a","temp":1,"temperature":2}"#, #""rename":{"temp":"temperature"}"#),
                       #"fields "temp" and "temperature" both become attribute "temperature"; change the rename setting"#)
    }

    func testErrorCodesSaySortOfFailure() throws {
        let connector = try connector(#""timeField":"ts""#)
        func code(_ payload: String) -> ConnectorError.Code? {
            testKit.connectorError { try connector.decode(testKit.envelope(payload)) }?.code
        }
        XCTAssertEqual(code("nope"), .malformedPayload)
        XCTAssertEqual(code(#"{"no2":1}"#), .missingField)
        XCTAssertEqual(code(#"{"device":"a","ts":"later","no2":1}"#), .invalidField)
    }

    // MARK: - Settings

    func testSettingsErrorsNameTheSetting() throws {
        func error(_ json: String) -> String {
            testKit.settingsError { try SensorJSONConnector(settings: testKit.settings(json)) }?.description ?? ""
        }
        XCTAssertEqual(
            error(#"{"entityType":"AirQualityObserved","idfield":"device"}"#),
            "routes[0].settings.idfield: unknown setting; known: entityType, fields, idField, idFromTopicLevel, latitudeField, longitudeField, rename, timeField, timeFormat, units")
        XCTAssertEqual(error(#"{"idField":"device"}"#), "routes[0].settings.entityType: required string is missing")
        XCTAssertEqual(error(#"{"entityType":"Air Quality","idField":"device"}"#),
                       #"routes[0].settings.entityType: "Air Quality" is not a type name: start with a letter and use only letters, digits, "_", "-" and "." (e.g. "AirQualityObserved")"#)
        XCTAssertEqual(error(#"{"entityType":"T"}"#),
                       "routes[0].settings.idField: required: name the field that holds the device id, or set idFromTopicLevel to the 0-based topic level that does")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","idFromTopicLevel":1}"#),
                       "routes[0].settings.idFromTopicLevel: give either idField or idFromTopicLevel, not both")
        XCTAssertEqual(error(#"{"entityType":"T","idFromTopicLevel":-1}"#),
                       "routes[0].settings.idFromTopicLevel: expected a whole number from 0 to 1023, found -1")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","timeField":"ts","timeFormat":"epoch"}"#),
                       #"routes[0].settings.timeFormat: unknown format "epoch"; known: "iso8601", "unix-seconds", "unix-millis""#)
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","timeFormat":"unix-seconds"}"#),
                       "routes[0].settings.timeFormat: has no effect without timeField; name the field that holds the time")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","units":{"temperature":"°C"}}"#),
                       #"routes[0].settings.units.temperature: "°C" is not a UN/CEFACT common code; use 2 or 3 capital letters or digits such as CEL, P1, GQ"#)
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","units":{"temperature":12}}"#),
                       "routes[0].settings.units.temperature: expected a string, found number")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","latitudeField":"lat"}"#),
                       "routes[0].settings.longitudeField: required when latitudeField is set")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","fields":[]}"#),
                       "routes[0].settings.fields: an empty list lets no reading through; remove the setting to keep every field")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","fields":["no2",3]}"#),
                       "routes[0].settings.fields[1]: expected a field name, found a number (3)")
        XCTAssertEqual(error(#"{"entityType":"T","idField":"d","rename":{"a":"x","b":"x"}}"#),
                       #"routes[0].settings.rename.b: "x" is already the new name of "a""#)
    }

    func testIsListedInThePluginUnderItsId() {
        XCTAssertEqual(SensorJSONConnector.id, "sensors.json")
        XCTAssertEqual(SensorsPlugin.connectors.map { $0.id }, ["sensors.json", "sensors.senml", "sensors.ttn", "sensors.chirpstack", "sensors.fiware-iota"])
        XCTAssertNotNil(ConnectorCatalog(SensorsPlugin.connectors).type(withID: "sensors.json"))
    }
}
