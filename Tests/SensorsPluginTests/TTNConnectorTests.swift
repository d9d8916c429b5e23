import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// `sensors.ttn` on The Things Stack uplinks from the fixtures, and on each kind of bad input.
final class TTNConnectorTests: XCTestCase {
    private let topic = "v3/home-assistant-casa@ttn/devices/distance-03/up"

    private func decode(_ fixture: String, settings: String = "{}") throws -> [Event] {
        let connector = try TTNConnector(settings: testKit.settings(settings))
        return try connector.decode(testKit.envelope(testKit.fixture("lorawan/ttn/\(fixture).json"), origin: topic))
    }

    /// The Cayenne LPP readings of `default_valid.json` as the network server decoded them.
    private let cayenneCodec = """
        {"codecs": {"1": {"fields": [
            {"name": "analog_in_3", "offset": 8, "type": "int16", "scale": 0.01},
            {"name": "temperature_41", "offset": 12, "type": "int16", "scale": 0.1, "unit": "CEL"},
            {"name": "analog_in_42", "offset": 16, "type": "int16", "scale": 0.01},
            {"name": "analog_in_43", "offset": 20, "type": "int16", "scale": 0.01},
            {"name": "illuminance_44", "offset": 24, "type": "uint16"}]}}}
        """

    func testDecodedPayloadBecomesAttributesWithRadioMetadataAndDevice() throws {
        let events = try decode("default_valid")
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.type, "Device")
        XCTAssertEqual(event.entity, "urn:ngsi-ld:Device:22D11357891CB769")
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: "2024-07-06T09:19:21.381961Z"), "received_at, nanoseconds rounded")
        XCTAssertEqual(event.attributes["refDevice"], .text("urn:ngsi-ld:Device:22D11357891CB769"))
        XCTAssertEqual(event.attributes["temperature_41"], .number(24.6, unit: nil))
        XCTAssertEqual(event.attributes["analog_in_43"], .number(39.36, unit: nil))
        XCTAssertEqual(event.attributes["illuminance_44"], .number(2008, unit: nil))
        XCTAssertEqual(event.attributes["boolean_1"], .boolean(true))
        XCTAssertEqual(event.attributes["accelerometer_77"], .json(.object(["x": .number(1), "y": .number(0.5), "z": .number(9.8)])))
        XCTAssertEqual(event.attributes["rssi"], .number(-54, unit: nil))
        XCTAssertEqual(event.attributes["snr"], .number(9, unit: "2N"))
        XCTAssertEqual(event.attributes["gateway"], .text("eui-a840411dbd104150"))
        XCTAssertEqual(event.attributes["fCnt"], .number(41, unit: nil))
        XCTAssertEqual(event.attributes["fPort"], .number(1, unit: nil))
    }

    func testTheApplicationUpAloneDecodesLikeTheWrappedEvent() throws {
        let wrapped = try XCTUnwrap(JSONValue(parsing: testKit.fixture("lorawan/ttn/default_valid.json"))["data"])
        let connector = try TTNConnector(settings: testKit.settings("{}"))
        let alone = try connector.decode(testKit.envelope(wrapped.jsonText, origin: topic))
        XCTAssertEqual(alone, try decode("default_valid"))
    }

    func testMappingNamesTheModelAttributesAndDropsTheRest() throws {
        let event = try XCTUnwrap(decode("default_valid", settings: """
            {"entityType": "AirQualityObserved", "deviceId": "device_id", "keepUnmapped": false,
             "attributes": {"temperature_41": "temperature", "analog_in_3": {"name": "pm10", "unit": "GQ"}}}
            """).first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:AirQualityObserved:distance-03")
        XCTAssertEqual(event.attributes["temperature"], .number(24.6, unit: "CEL"), "the model's unit for temperature")
        XCTAssertEqual(event.attributes["pm10"], .number(3.1, unit: "GQ"))
        XCTAssertNil(event.attributes["illuminance_44"])
        XCTAssertEqual(event.attributes["refDevice"], .text("urn:ngsi-ld:Device:distance-03"))
    }

    func testWithoutDecodedPayloadAndCodecTheUplinkIsADeadLetter() throws {
        let error = testKit.connectorError { try decode("default_no_decoded_payload") }
        XCTAssertEqual(error?.code, .missingField)
        XCTAssertEqual(error?.message, "uplink has no decoded payload and no codec is configured for port 1; add one under settings.codecs or decode on the network server")
    }

    func testACodecDecodesFrmPayloadToWhatTheNetworkServerDecoded() throws {
        let raw = try XCTUnwrap(decode("default_no_decoded_payload", settings: cayenneCodec).first)
        let decoded = try XCTUnwrap(decode("default_valid").first)
        for name in ["analog_in_3", "analog_in_42", "analog_in_43", "illuminance_44"] {
            XCTAssertEqual(try XCTUnwrap(raw.attributes[name]?.number), try XCTUnwrap(decoded.attributes[name]?.number), accuracy: 1e-9, name)
        }
        XCTAssertEqual(try XCTUnwrap(raw.attributes["temperature_41"]?.number), 24.6, accuracy: 1e-9)
        XCTAssertEqual(raw.attributes["temperature_41"]?.unit, "CEL")
        XCTAssertEqual(raw.entity, decoded.entity)
        XCTAssertEqual(raw.observedAt, decoded.observedAt)
    }

    func testSenseCAPUplinkKeepsItsMessagesAndTheDeviceLocation() throws {
        let event = try XCTUnwrap(decode("sensecap_valid").first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:Device:2xxxxxx044300279")
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: "2024-07-05T16:16:30.899243Z"))
        XCTAssertEqual(event.location, GeoPoint(latitude: 58.01392692747555, longitude: 11.5839771760278))
        XCTAssertEqual(event.attributes["rssi"], .number(-73, unit: nil))
        XCTAssertEqual(event.attributes["snr"], .number(14.5, unit: "2N"))
        XCTAssertEqual(event.attributes["valid"], .boolean(true))
        XCTAssertEqual(event.attributes["fPort"], .number(3, unit: nil))
        XCTAssertNil(event.attributes["messages"], "SenseCAP's measurement list becomes readings")
        XCTAssertEqual(event.attributes["airTemperature"], .number(13.3, unit: nil))
        XCTAssertEqual(event.attributes["airHumidity"], .number(77, unit: nil))
        XCTAssertEqual(event.attributes["lightIntensity"], .number(3911, unit: nil))
        XCTAssertEqual(event.attributes["uvIndex"], .number(0, unit: nil))
        XCTAssertEqual(event.attributes["windSpeed"], .number(2.1, unit: nil))
        XCTAssertEqual(event.attributes["windDirectionSensor"], .number(127, unit: nil))
        XCTAssertEqual(event.attributes["rainGauge"], .number(0, unit: nil))
        XCTAssertEqual(event.attributes["barometricPressure"], .number(99660, unit: nil))
        XCTAssertEqual(event.attributes["Battery(%)"], .number(100, unit: nil))
        XCTAssertEqual(event.attributes["payload"], .text("0100854D00000F4700001502007F0000000026EE0364"))
    }

    func testSenseCAPMeasurementsMapToAWeatherModel() throws {
        let event = try XCTUnwrap(decode("sensecap_valid", settings: """
            {"entityType": "AirQualityObserved", "keepUnmapped": false,
             "attributes": {"airTemperature": "temperature", "airHumidity": {"name": "relativeHumidity", "unit": "P1"},
                            "windSpeed": {"name": "windSpeed", "unit": "MTS"}, "Battery(%)": "batteryLevel"}}
            """).first)
        XCTAssertEqual(event.attributes["temperature"], .number(13.3, unit: "CEL"))
        XCTAssertEqual(event.attributes["relativeHumidity"], .number(77, unit: "P1"))
        XCTAssertEqual(event.attributes["windSpeed"], .number(2.1, unit: "MTS"))
        XCTAssertEqual(event.attributes["batteryLevel"], .number(100, unit: nil))
        XCTAssertNil(event.attributes["uvIndex"])
    }

    func testTheBestGatewayIsKept() throws {
        let uplink = """
            {"end_device_ids":{"device_id":"p1","dev_eui":"0011"},"received_at":"2026-11-22T08:00:00Z",
             "uplink_message":{"f_port":1,"decoded_payload":{"status":"free"},"rx_metadata":[
               {"gateway_ids":{"gateway_id":"far"},"rssi":-110,"snr":-3},{"gateway_ids":{"gateway_id":"near"},"rssi":-60,"snr":8}]}}
            """
        let connector = try TTNConnector(settings: testKit.settings(#"{"entityType":"ParkingSpot"}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(uplink)).first)
        XCTAssertEqual(event.attributes["gateway"], .text("near"))
        XCTAssertEqual(event.attributes["rssi"], .number(-60, unit: nil))
        XCTAssertEqual(event.attributes["status"], .text("free"))
    }

    func testEachKindOfBadUplinkBecomesADeadLetterWithItsReason() throws {
        let cases: [(String, String)] = [
            ("{\"end_device_ids\":", "payload is not valid JSON"),
            ("[1,2]", "payload is an array, not a The Things Stack uplink JSON object"),
            (#"{"uplink_message":{"f_port":1,"decoded_payload":{"a":1}}}"#, "end_device_ids is missing"),
            (#"{"end_device_ids":{"device_id":"d"},"join_accept":{}}"#, "not an uplink: the message has no uplink_message"),
            (#"{"end_device_ids":{"device_id":""},"uplink_message":{"decoded_payload":{"a":1}}}"#, "end_device_ids.device_id must be a non-empty string"),
            (#"{"end_device_ids":{"device_id":"d"},"uplink_message":{"decoded_payload":[1]}}"#, "uplink_message.decoded_payload must be an object, found an array"),
            (#"{"end_device_ids":{"device_id":"d"},"uplink_message":{"f_port":1,"frm_payload":"%%%"}}"#, "uplink_message.frm_payload is not base64"),
            (#"{"end_device_ids":{"device_id":"d"},"uplink_message":{"f_port":1,"frm_payload":"AQ=="}}"#, "payload has 1 bytes but the codec for port 1 reads \"analog_in_3\" from bytes 8..<10"),
            (#"{"end_device_ids":{"device_id":"d"},"uplink_message":{"f_port":1}}"#, "uplink has neither decoded readings nor uplink_message.frm_payload to decode"),
            (#"{"end_device_ids":{"device_id":"d"},"received_at":"yesterday","uplink_message":{"decoded_payload":{"a":1}}}"#, "received_at must be an RFC 3339 date-time with a zone"),
            (#"{"end_device_ids":{"device_id":"d"},"uplink_message":{"decoded_payload":{}}}"#, "no readings in the message"),
            (#"{"end_device_ids":{"device_id":"a b"},"uplink_message":{"decoded_payload":{"x":1}}}"#, "the device id contains a space"),
        ]
        let connector = try TTNConnector(settings: testKit.settings(cayenneCodec))
        for (payload, reason) in cases {
            let error = testKit.connectorError { try connector.decode(testKit.envelope(payload)) }
            XCTAssertTrue(error?.message.hasPrefix(reason) ?? false, "\(payload): \(error?.message ?? "no error")")
        }
    }

    func testBadSettingsNameTheSetting() {
        let cases: [(String, String)] = [
            (#"{"codec":{}}"#, "routes[0].settings.codec"),
            (#"{"codecs":{"0":{"fields":[{"name":"a","type":"uint8"}]}}}"#, "routes[0].settings.codecs.0"),
            (#"{"codecs":{"1":{"fields":[{"name":"a","type":"float"}]}}}"#, "routes[0].settings.codecs.1.fields[0].type"),
            (#"{"codecs":{"1":{"fields":[{"name":"a","type":"uint8","unit":"celsius"}]}}}"#, "routes[0].settings.codecs.1.fields[0].unit"),
            (#"{"codecs":{"1":{"fields":[]}}}"#, "routes[0].settings.codecs.1.fields"),
            (#"{"deviceId":"name"}"#, "routes[0].settings.deviceId"),
            (#"{"attributes":{"a":"x","b":"x"}}"#, "routes[0].settings.attributes.b"),
            (#"{"attributes":{"a":{"name":"x","type":"Float"}}}"#, "routes[0].settings.attributes.a.type"),
            (#"{"entityType":"9lives"}"#, "routes[0].settings.entityType"),
        ]
        for (settings, path) in cases {
            XCTAssertEqual(testKit.settingsError { try TTNConnector(settings: testKit.settings(settings)) }?.path, path, settings)
        }
    }
}
