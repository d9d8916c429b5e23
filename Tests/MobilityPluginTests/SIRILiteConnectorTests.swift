import Foundation
import HubCore
import HubTesting
import MobilityPlugin
import XCTest

/// The SIRI-Lite StopMonitoring connector on a response shaped as French authorities publish it.
final class SIRILiteConnectorTests: XCTestCase {
    func testStopVisitsCarryAimedAndExpectedTimesAndTheDelay() throws {
        var connector = try SIRILiteConnector(settings: testKit.settings(#"{"language": "en"}"#))
        let visits = try connector.decode(testKit.envelope(testKit.fixture("siri-lite/stop-monitoring.json")))
        XCTAssertEqual(visits.count, 2)
        let late = visits[0]
        XCTAssertEqual(late.type, "StopVisit")
        XCTAssertEqual(late.entity, "urn:ngsi-ld:StopPoint:EX:StopPoint:Q:41555:")
        XCTAssertEqual(late.observedAt.iso8601, "2026-11-22T07:59:50.000000Z")
        XCTAssertEqual(late.attributes["lineId"], .text("EX:Line::C01742:"))
        XCTAssertEqual(late.attributes["destination"], .text("Central Station"), "the English name, as set")
        XCTAssertEqual(late.attributes["stopName"], .text("Place de la Mairie"))
        XCTAssertEqual(late.attributes["aimedArrival"], .text("2026-11-22T08:03:00.000000Z"))
        XCTAssertEqual(late.attributes["expectedArrival"], .text("2026-11-22T08:05:30.000000Z"))
        XCTAssertEqual(late.attributes["arrivalDelay"], .number(150, unit: "SEC"))
        XCTAssertEqual(late.attributes["departureDelay"], .number(150, unit: "SEC"))
        XCTAssertEqual(late.attributes["journeyId"], .text("EX:VehicleJourney::112_5_3:LOC"))
        XCTAssertEqual(visits[1].attributes["departureDelay"], .number(-30, unit: "SEC"), "early is a negative delay")
        XCTAssertEqual(visits[1].attributes["vehicleAtStop"], .boolean(true))
        XCTAssertNil(visits[1].attributes["arrivalDelay"])
        XCTAssertEqual(try connector.decode(testKit.envelope(testKit.fixture("siri-lite/stop-monitoring.json"))).count, 0,
                       "visits that did not change yield nothing")
    }

    func testWrongShapesAreRefusedWithAReason() throws {
        var connector = try SIRILiteConnector(settings: testKit.settings())
        func reason(_ text: String) -> String {
            testKit.connectorError { try connector.decode(testKit.envelope(text)) }?.message ?? ""
        }
        XCTAssertEqual(reason("{}"), "Siri is missing")
        XCTAssertEqual(reason(#"{"Siri": {"ServiceDelivery": {"StopMonitoringDelivery": {}}}}"#),
                       "Siri.ServiceDelivery.StopMonitoringDelivery must be an array, found an object")
        XCTAssertEqual(reason(#"{"Siri": {"ServiceDelivery": {"StopMonitoringDelivery": [{"MonitoredStopVisit": [{"MonitoringRef": {"value": "S"}}]}]}}}"#),
                       "Siri.ServiceDelivery.StopMonitoringDelivery[0].MonitoredStopVisit[0].MonitoredVehicleJourney is missing")
        let noTimes = #"{"Siri": {"ServiceDelivery": {"StopMonitoringDelivery": [{"MonitoredStopVisit": [{"MonitoringRef": {"value": "S"}, "MonitoredVehicleJourney": {"MonitoredCall": {"AimedArrivalTime": "08:00"}}}]}]}}}"#
        XCTAssertTrue(reason(noTimes).contains(#"AimedArrivalTime must be an RFC 3339 date-time with a zone (like "2026-11-22T08:00:00Z") or seconds since 1970, found a string ("08:00")"#))
        XCTAssertTrue(reason("not json").contains("not valid JSON"))
    }
}
