import Foundation
import HubCore
import HubTesting
@testable import SensorsPlugin
import XCTest

/// The Smart Data Models' own examples are the reference: a gateway message carrying an example's
/// readings decodes to an event whose entity, time, attribute names, values and unit codes match it.
final class SmartDataModelsTests: XCTestCase {
    /// The example's attributes that hold a number or text: name -> (value, unitCode).
    private func expectations(_ fixture: String) throws -> (id: String, attributes: [String: (JSONValue, String?)]) {
        let example = try XCTUnwrap(JSONValue(parsing: testKit.fixture("smart-data-models/\(fixture)")).objectValue)
        var attributes: [String: (JSONValue, String?)] = [:]
        for (name, member) in example {
            guard let value = member["value"], value.numberValue != nil || value.stringValue != nil else { continue }
            // NGSI-v2 puts the unit in metadata.unitCode.value, NGSI-LD in unitCode.
            let unit = member["metadata"]?["unitCode"]?["value"]?.stringValue ?? member["unitCode"]?.stringValue
            attributes[name] = (value, unit)
        }
        return (try XCTUnwrap(example["id"]?.stringValue), attributes)
    }

    private func assertMatches(_ event: Event, _ expected: [String: (JSONValue, String?)], names: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        for name in names {
            guard let (value, unit) = expected[name] else { return XCTFail("\(name) is not in the example", file: file, line: line) }
            switch value {
            case .number(let number):
                XCTAssertEqual(event.attributes[name]?.number, number, name, file: file, line: line)
                if let unit { XCTAssertEqual(event.attributes[name]?.unit, unit, "unit of \(name)", file: file, line: line) }
            default:
                XCTAssertEqual(event.attributes[name], .text(value.stringValue ?? ""), name, file: file, line: line)
            }
        }
    }

    func testAnUltraLightStationDecodesToTheAirQualityObservedExample() throws {
        let (id, expected) = try expectations("AirQualityObserved/example-normalized.json")
        let names = ["no2", "no", "nox", "so2", "co", "temperature", "relativeHumidity", "windSpeed", "airQualityLevel"]
        let measures = names.map { "\($0)|\(expected[$0]!.0.stringValue ?? expected[$0]!.0.jsonText)" }.joined(separator: "|")
        let connector = try IoTAgentConnector(settings: testKit.settings(
            #"{"apikeys":{"madrid":{"entityType":"AirQualityObserved","attributes":{"airQualityLevel":{"name":"airQualityLevel","type":"Text"}}}}}"#))
        let device = "Madrid-AmbientObserved-28079004-2016-03-15T11:00:00"
        let events = try connector.decode(testKit.envelope("2016-03-15T11:00:00Z|" + measures, origin: "/ul/madrid/\(device)/attrs"))
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event.type, "AirQualityObserved")
        XCTAssertEqual(event.entity, "urn:ngsi-ld:AirQualityObserved:\(id)")
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: "2016-03-15T11:00:00Z"), "the example's dateObserved, read as UTC")
        assertMatches(event, expected, names: names)
        XCTAssertEqual(event.attributes["no2"]?.unit, "GQ")
        XCTAssertEqual(event.attributes["co"]?.unit, "GP")
        XCTAssertEqual(event.attributes["temperature"]?.unit, "CEL", "the model's unit where the example states none")
    }

    func testASenMLSoundMeterDecodesToTheNoiseLevelObservedExample() throws {
        let (id, expected) = try expectations("NoiseLevelObserved/example-normalized.jsonld")
        let device = String(id.dropFirst("urn:ngsi-ld:NoiseLevelObserved:".count))
        let pack = """
            [{"bn":"\(device)/","bt":\(Timestamp(iso8601: "2016-12-28T12:00:00Z")!.secondsSinceEpoch),"bu":"dB","n":"LAeq","v":67.8},
             {"n":"LAmax","v":94.5},{"n":"LAS","v":91.6},{"n":"LAeq_d","v":65.4}]
            """
        let connector = try SenMLConnector(settings: testKit.settings(#"{"entityType":"NoiseLevelObserved"}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(pack)).first)
        XCTAssertEqual(event.entity, id)
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: expected["dateObservedTo"]?.0.stringValue ?? "2016-12-28T12:00:00Z"))
        assertMatches(event, expected, names: ["LAeq", "LAmax", "LAS", "LAeq_d"])
        XCTAssertEqual(event.attributes["LAeq"]?.unit, "2N", "decibel")
        XCTAssertEqual(event.attributes["refDevice"], .text("urn:ngsi-ld:Device:\(device)"))
    }

    func testALoRaWANPresenceSensorDecodesToTheParkingSpotExample() throws {
        let (id, expected) = try expectations("ParkingSpot/example-normalized.json")
        let connector = try TTNConnector(settings: testKit.settings("""
            {"entityType":"ParkingSpot","deviceId":"device_id","codecs":{"2":{"fields":[{"name":"status","type":"uint8"}]}}}
            """))
        let uplink = """
            {"end_device_ids":{"device_id":"\(id)"},"received_at":"2018-09-21T12:00:00Z","uplink_message":{"f_port":2,"frm_payload":"AA=="}}
            """
        let event = try XCTUnwrap(connector.decode(testKit.envelope(uplink)).first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:ParkingSpot:\(id)")
        XCTAssertEqual(event.observedAt, Timestamp(iso8601: "2018-09-21T12:00:00Z"))
        assertMatches(event, expected, names: ["status"])
        let occupied = uplink.replacingOccurrences(of: "AA==", with: "AQ==")
        XCTAssertEqual(try connector.decode(testKit.envelope(occupied)).first?.attributes["status"], .text("occupied"))
    }

    func testAChirpStackLoopCounterDecodesToTheTrafficFlowObservedExample() throws {
        let (id, expected) = try expectations("TrafficFlowObserved/example-normalized.jsonld")
        let device = String(id.dropFirst("urn:ngsi-ld:TrafficFlowObserved:".count))
        let up = """
            {"time":"2016-12-07T11:15:00Z","deviceInfo":{"deviceName":"\(device)","devEui":"0101"},"fPort":1,
             "object":{"intensity":197,"occupancy":0.76,"averageVehicleSpeed":52.6,"averageVehicleLength":9.87,"laneDirection":"forward"}}
            """
        let connector = try ChirpStackConnector(settings: testKit.settings(#"{"entityType":"TrafficFlowObserved","deviceId":"deviceName"}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(up)).first)
        XCTAssertEqual(event.entity, id)
        assertMatches(event, expected, names: ["intensity", "occupancy", "averageVehicleSpeed", "averageVehicleLength", "laneDirection"])
        XCTAssertEqual(event.attributes["averageVehicleSpeed"]?.unit, "KMH")
    }

    func testWaterConsumptionObservedGetsLitres() throws {
        let connector = try IoTAgentConnector(settings: testKit.settings(
            #"{"apikeys":{"w":{"entityType":"WaterConsumptionObserved","attributes":{"c":"waterConsumption"}}}}"#))
        let event = try XCTUnwrap(connector.decode(testKit.envelope(#"{"c":12.5}"#, origin: "/json/w/meter-1/attrs")).first)
        XCTAssertEqual(event.entity, "urn:ngsi-ld:WaterConsumptionObserved:meter-1")
        XCTAssertEqual(event.attributes["waterConsumption"], .number(12.5, unit: "LTR"))
    }
}
