import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// `sensors.chirpstack` on ChirpStack v4 up events (shaped as the v4 integration documents them).
final class ChirpStackConnectorTests: XCTestCase {
    static let upEvent = """
        {"deduplicationId":"3ac7e3c4-4401-4b8d-9386-a5c902f9202d","time":"2022-07-18T09:34:15.775023242+00:00",
         "deviceInfo":{"tenantId":"52f14cd4-c6f1-4fbd-8f87-4025e1d49242","tenantName":"ChirpStack",
           "applicationId":"17c82e96-be03-4f38-aef3-f83d48582d97","applicationName":"Test application",
           "deviceProfileName":"E2E test profile","deviceName":"Test device","devEui":"0101010101010101","tags":{"key":"value"}},
         "devAddr":"00189440","adr":true,"dr":1,"fCnt":4,"fPort":1,"confirmed":false,"data":"qg==",
         "object":{"intensity":197,"occupancy":0.76,"averageVehicleSpeed":52.6},
         "rxInfo":[{"gatewayId":"0016c001f153a14c","uplinkId":4217106255,"rssi":-36,"snr":10.5,"context":"E3OWOQ=="},
                   {"gatewayId":"0016c001f153a14d","uplinkId":1,"rssi":-90,"snr":1}],
         "txInfo":{"frequency":867100000,"modulation":{"lora":{"bandwidth":125000,"spreadingFactor":11,"codeRate":"CR_4_5"}}}}
        """
    private let topic = "application/17c82e96-be03-4f38-aef3-f83d48582d97/device/0101010101010101/event/up"

    private func decode(_ payload: String, settings: String = "{}") throws -> [Event] {
        let connector = try ChirpStackConnector(settings: testKit.settings(settings))
        return try connector.decode(testKit.envelope(payload, origin: topic))
    }

    func testObjectBecomesAModelEventWithRadioMetadata() throws {
        let event = try XCTUnwrap(decode(Self.upEvent, settings: #"{"entityType":"TrafficFlowObserved"}"#).first)
        XCTAssertEqual(event.type, "TrafficFlowObserved")
        XCTAssertEqual(event.entity, "urn:ngsi-ld:TrafficFlowObserved:0101010101010101")
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: "2022-07-18T09:34:15.775023Z"))
        XCTAssertEqual(event.attributes, [
            "intensity": .number(197, unit: nil), "occupancy": .number(0.76, unit: nil),
            "averageVehicleSpeed": .number(52.6, unit: "KMH"),
            "refDevice": .text("urn:ngsi-ld:Device:0101010101010101"),
            "rssi": .number(-36, unit: nil), "snr": .number(10.5, unit: "2N"), "gateway": .text("0016c001f153a14c"),
            "fCnt": .number(4, unit: nil), "fPort": .number(1, unit: nil),
        ])
    }

    func testDeviceNameCanNameTheEntity() throws {
        let named = Self.upEvent.replacingOccurrences(of: "\"Test device\"", with: "\"crossing-12\"")
        let event = try XCTUnwrap(decode(named, settings: #"{"deviceId":"deviceName"}"#).first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:Device:crossing-12")
        let error = testKit.connectorError { try decode(Self.upEvent, settings: #"{"deviceId":"deviceName"}"#) }
        XCTAssertEqual(error?.message, "the device id contains a space or control character: \"Test device\"")
    }

    func testWithoutObjectTheDataIsDecodedByTheCodecOfItsPort() throws {
        var payload = try XCTUnwrap(JSONValue(parsing: Self.upEvent).objectValue)
        payload["object"] = nil
        payload["data"] = .string(Data([0x01, 0x02, 0xF4]).base64EncodedString())
        let event = try XCTUnwrap(decode(JSONValue.object(payload).jsonText, settings: """
            {"entityType":"WaterConsumptionObserved","codecs":{"1":{"fields":[{"name":"waterConsumption","offset":1,"type":"uint16"}]}}}
            """).first)
        XCTAssertEqual(event.attributes["waterConsumption"], .number(0x02F4, unit: "LTR"))
    }

    func testEachKindOfBadEventBecomesADeadLetterWithItsReason() throws {
        let cases: [(String, String)] = [
            ("{\"deviceInfo\":", "payload is not valid JSON"),
            (#"{"time":"2026-11-22T08:00:00Z","object":{"a":1}}"#, "deviceInfo is missing"),
            (#"{"deviceInfo":{"deviceName":"x"},"object":{"a":1}}"#, "deviceInfo.devEui is missing"),
            (#"{"deviceInfo":{"devEui":"01"},"fPort":2,"data":"AQ=="}"#, "uplink has no decoded payload and no codec is configured for port 2"),
            (#"{"deviceInfo":{"devEui":"01"},"object":"x"}"#, "object must be an object, found a string"),
            (#"{"deviceInfo":{"devEui":"01"},"fPort":1.5,"object":{"a":1}}"#, "fPort must be a whole number"),
        ]
        for (payload, reason) in cases {
            let error = testKit.connectorError { try decode(payload) }
            XCTAssertTrue(error?.message.hasPrefix(reason) ?? false, "\(payload): \(error?.message ?? "no error")")
        }
    }
}
