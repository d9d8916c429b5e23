import Foundation
import HubCore
import HubTesting
import MobilityPlugin
import XCTest

/// The Waze for Cities connector on Louisville Metro's published sample feed.
final class WazeConnectorTests: XCTestCase {
    func testJamsFromTheLouisvilleSampleKeepTheirLineAsGeoJSON() throws {
        var connector = try WazeConnector(settings: testKit.settings())
        let jams = try connector.decode(testKit.envelope(testKit.fixture("waze/SampeData1.json")))
        XCTAssertEqual(jams.count, 50)  // the sample has 50 jams, no alerts or irregularities
        let first = jams[0]
        XCTAssertEqual(first.type, "TrafficJam")
        XCTAssertEqual(first.entity, "urn:ngsi-ld:TrafficJam:1125557715")
        XCTAssertEqual(first.attributes["street"], .text("S Brook St"))
        XCTAssertEqual(first.attributes["level"], .number(5, unit: nil))
        XCTAssertEqual(first.attributes["length"], .number(158, unit: "MTR"))
        XCTAssertEqual(first.attributes["line"], .json(.object(["type": .string("LineString"), "coordinates": .array([
            .array([.number(-85.757742), .number(38.212001)]), .array([.number(-85.757455), .number(38.213111)]),
            .array([.number(-85.75741), .number(38.213397)]),
        ])])))
        XCTAssertEqual(first.observedAt, Timestamp(microsecondsSinceEpoch: 1_550_646_620_425_000))
        XCTAssertEqual(first.location, GeoPoint(latitude: 38.212001, longitude: -85.757742))
    }

    func testReportsAlreadySeenAreNotRepeatedAndUpdatesAre() throws {
        var connector = try WazeConnector(settings: testKit.settings())
        let first = try connector.decode(testKit.envelope(testKit.fixture("waze/SampeData1.json")))
        XCTAssertEqual(first.count, 50)
        XCTAssertEqual(try connector.decode(testKit.envelope(testKit.fixture("waze/SampeData1.json"))).count, 0)
        let feed = """
        {"alerts": [{"uuid": "a-1", "pubMillis": 1550646600000, "type": "ACCIDENT", "subtype": "ACCIDENT_MAJOR",
                     "location": {"x": -85.75, "y": 38.21}, "reliability": 7, "street": "S Brook St"}],
         "jams": [{"uuid": 1125557715, "pubMillis": 1550646680425, "level": 3,
                   "line": [{"x": -85.757742, "y": 38.212001}, {"x": -85.757455, "y": 38.213111}]}]}
        """
        let update = try connector.decode(testKit.envelope(feed))
        XCTAssertEqual(update.map(\.type), ["TrafficAlert", "TrafficJam"], "a new alert, and the jam republished later")
        XCTAssertEqual(update[0].attributes["subtype"], .text("ACCIDENT_MAJOR"))
        XCTAssertEqual(update[0].location, GeoPoint(latitude: 38.21, longitude: -85.75))
        XCTAssertEqual(try connector.decode(testKit.envelope(feed)).count, 0)
    }

    func testWrongShapesAreRefusedWithAReason() throws {
        var connector = try WazeConnector(settings: testKit.settings())
        func reason(_ text: String) -> String {
            testKit.connectorError { try connector.decode(testKit.envelope(text)) }?.message ?? ""
        }
        XCTAssertTrue(reason(#"{"startTimeMillis": 1}"#).contains("none of alerts, jams or irregularities"))
        XCTAssertEqual(reason(#"{"jams": {}}"#), "jams must be an array, found an object")
        XCTAssertEqual(reason(#"{"jams": [{"pubMillis": 1}]}"#), "jams[0].uuid is missing")
        XCTAssertEqual(reason(#"{"alerts": [{"uuid": "x", "pubMillis": 1550646600000}]}"#),
                       "alerts[0].location needs numbers x (longitude) and y (latitude)")
        XCTAssertEqual(reason(#"{"jams": [{"uuid": "x", "pubMillis": 1550646600000, "line": [{"x": 1, "y": 2}]}]}"#),
                       "jams[0].line has 1 point(s); a jam's line needs 2")
    }
}
