import Foundation
import HubCore
import HubTesting
import MobilityPlugin
import XCTest

/// The GBFS connector on the gbfs-json-schema test fixtures of versions 2.3 and 3.0.
final class GBFSConnectorTests: XCTestCase {
    private func decode(_ connector: inout GBFSConnector, _ path: String) throws -> [Event] {
        try connector.decode(testKit.envelope(testKit.fixture(path), origin: "https://gbfs.example/\(path)"))
    }

    func testVersion23StationsJoinInformationWithStatus() throws {
        var connector = try GBFSConnector(settings: testKit.settings(#"{"system": "tst"}"#))
        XCTAssertEqual(try decode(&connector, "gbfs/v2.3/gbfs.json").count, 0)
        XCTAssertEqual(try decode(&connector, "gbfs/v2.3/system_information.json").count, 0)
        XCTAssertEqual(try decode(&connector, "gbfs/v2.3/station_information.json").count, 0)
        let stations = try decode(&connector, "gbfs/v2.3/station_status.json")
        XCTAssertEqual(stations.map(\.type), ["BikeStationStatus", "BikeStationStatus"])
        let first = stations[0]
        XCTAssertEqual(first.entity, "urn:ngsi-ld:BikeHireDockingStation:tst:TST:Station:1")
        XCTAssertEqual(first.attributes["name"], .text("Cool bikes"))
        XCTAssertEqual(first.attributes["vehiclesAvailable"], .number(1, unit: nil), "num_bikes_available in 2.x")
        XCTAssertEqual(first.attributes["docksAvailable"], .number(3, unit: nil))
        XCTAssertEqual(first.attributes["isRenting"], .boolean(true))
        XCTAssertEqual(first.location, GeoPoint(latitude: 12.34, longitude: 45.67))
        XCTAssertEqual(first.observedAt, Timestamp(microsecondsSinceEpoch: 1_751_437_263_000_000), "last_reported as epoch seconds")
        XCTAssertEqual(stations[1].attributes["vehiclesAvailable"], .number(6, unit: nil))
        // The same status again: nothing changed, nothing new.
        XCTAssertEqual(try decode(&connector, "gbfs/v2.3/station_status.json").count, 0)
    }

    func testVersion23FreeBikeStatus() throws {
        var connector = try GBFSConnector(settings: testKit.settings())
        let vehicles = try decode(&connector, "gbfs/v2.3/free_bike_status.json")
        XCTAssertEqual(vehicles.count, 1)
        XCTAssertEqual(vehicles[0].type, "VehicleAvailable")
        XCTAssertEqual(vehicles[0].entity, "urn:ngsi-ld:Vehicle:TST:Scooter:1234")
        XCTAssertEqual(vehicles[0].attributes["isDisabled"], .boolean(true))
        XCTAssertEqual(vehicles[0].attributes["currentRange"], .number(1431.2, unit: "MTR"))
        XCTAssertEqual(vehicles[0].observedAt, Timestamp(microsecondsSinceEpoch: 1_606_857_968_000_000))
    }

    func testVersion30LocalizedNamesRFC3339TimesAndVehicleStatus() throws {
        var connector = try GBFSConnector(settings: testKit.settings(#"{"language": "en"}"#))
        XCTAssertEqual(try decode(&connector, "gbfs/v3.0/gbfs.json").count, 0)
        XCTAssertEqual(try decode(&connector, "gbfs/v3.0/station_information.json").count, 0)
        let stations = try decode(&connector, "gbfs/v3.0/station_status.json")
        XCTAssertEqual(stations.count, 1)
        XCTAssertEqual(stations[0].attributes["name"], .text("2 ROUES"), "localized name, language en")
        XCTAssertEqual(stations[0].attributes["names"], .json(.object(["en": .string("2 ROUES")])))
        XCTAssertEqual(stations[0].attributes["vehiclesAvailable"], .number(0, unit: nil), "num_vehicles_available in 3.0")
        XCTAssertEqual(stations[0].observedAt.iso8601, "2019-07-04T13:33:03.969000Z", "RFC 3339 last_reported")
        XCTAssertEqual(try XCTUnwrap(stations[0].location?.latitude), 48.8456017931977, accuracy: 1e-9)
        let vehicles = try decode(&connector, "gbfs/v3.0/vehicle_status.json")
        XCTAssertEqual(vehicles.count, 7)  // the file lists 7 vehicles
        XCTAssertEqual(vehicles[0].attributes["vehicleTypeId"], .text("ebicycle_paris"))
        XCTAssertEqual(vehicles[0].location, GeoPoint(latitude: 48.84627, longitude: 2.332335))
        XCTAssertEqual(try decode(&connector, "gbfs/v3.0/vehicle_status.json").count, 0, "unchanged vehicles yield nothing")
    }

    func testEveryFixtureFileOfBothVersionsIsAccepted() throws {
        let files = ["gbfs", "system_information", "vehicle_types", "station_information", "station_status"]
        for (version, vehicles) in [("v2.3", "free_bike_status"), ("v3.0", "vehicle_status")] {
            var connector = try GBFSConnector(settings: testKit.settings())
            var types: [String] = []
            for file in files + [vehicles] {
                types += try decode(&connector, "gbfs/\(version)/\(file).json").map(\.type)
            }
            // Only station_status and the vehicles file yield events; the others are read and yield nothing.
            let expected = version == "v2.3" ? (2, 1) : (1, 7)
            XCTAssertEqual(types.filter { $0 == "BikeStationStatus" }.count, expected.0, version)
            XCTAssertEqual(types.filter { $0 == "VehicleAvailable" }.count, expected.1, version)
        }
    }

    func testWrongShapesAreRefusedWithAReason() throws {
        var connector = try GBFSConnector(settings: testKit.settings())
        func reason(_ text: String) -> String {
            testKit.connectorError { try connector.decode(testKit.envelope(text)) }?.message ?? ""
        }
        XCTAssertTrue(reason("[1, 2]").contains("payload is an array, not a GBFS document"))
        XCTAssertTrue(reason("{\"data\": {}}").contains("last_updated is missing"))
        XCTAssertTrue(reason(#"{"last_updated": "yesterday", "data": {}}"#).contains(#"last_updated must be an RFC 3339 date-time with a zone (like "2026-11-22T08:00:00Z") or seconds since 1970, found a string ("yesterday")"#))
        XCTAssertTrue(reason(#"{"last_updated": 1, "data": {"stations": {}}}"#).contains("data.stations must be an array, found an object"))
        XCTAssertTrue(reason(#"{"last_updated": 1, "data": {"stations": [{"num_bikes_available": 1}]}}"#)
            .contains("data.stations[0].station_id is missing"))
        XCTAssertTrue(reason(#"{"last_updated": 1, "data": {"bikes": [{"bike_id": "b", "lat": 123, "lon": 0}]}}"#)
            .contains("is not a WGS84 position"))
        XCTAssertTrue(reason("{\"last_updated\": 1, ").contains("not valid JSON"))
    }
}
