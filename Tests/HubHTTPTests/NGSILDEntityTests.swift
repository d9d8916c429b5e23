import HubCore
@testable import HubHTTP
import XCTest

/// How events read as NGSI-LD: the normalized and simplified forms, the temporal representation,
/// the JSON-LD context negotiation and the query arguments.
final class NGSILDEntityTests: XCTestCase {
    private let t0 = Timestamp(iso8601: "2026-11-22T08:00:00Z")!

    private func parking(at time: Timestamp, status: String = "occupied") -> Event {
        Event(type: "ParkingSpot", entity: "urn:ngsi-ld:ParkingSpot:a13", observedAt: time, receivedAt: time, route: "ttn",
              location: GeoPoint(latitude: 45.76, longitude: 4.83), attributes: [
                  "status": .text(status), "batteryLevel": .number(0.87, unit: "P1"), "refDevice": .text("urn:ngsi-ld:Device:a13"),
                  "rssi": .number(-97, unit: nil), "snr": .number(4.5, unit: "2N"), "gateway": .text("gw-1"),
                  "fCnt": .number(812, unit: nil), "fPort": .number(1, unit: nil),
                  "lastCalibration": .text("2026-10-01T00:00:00Z"), "occupancy": .json(.object(["spots": .number(3)])),
              ])
    }

    func testTheNormalizedFormHasPropertiesARelationshipAndNetworkMetadataUnderIt() {
        let entity = NGSILDEntity.normalized(parking(at: t0))
        let observedAt = JSONValue.string(t0.iso8601)
        XCTAssertEqual(entity["id"], .string("urn:ngsi-ld:ParkingSpot:a13"))
        XCTAssertEqual(entity["type"], .string("ParkingSpot"))
        XCTAssertEqual(entity["batteryLevel"], .object([
            "type": .string("Property"), "value": .number(0.87), "unitCode": .string("P1"), "observedAt": observedAt,
        ]))
        XCTAssertEqual(entity["status"]?["value"], .string("occupied"))
        XCTAssertEqual(entity["refDevice"], .object([
            "type": .string("Relationship"), "object": .string("urn:ngsi-ld:Device:a13"), "observedAt": observedAt,
            "rssi": .object(["type": .string("Property"), "value": .number(-97)]),
            "snr": .object(["type": .string("Property"), "value": .number(4.5), "unitCode": .string("2N")]),
            "gateway": .object(["type": .string("Property"), "value": .string("gw-1")]),
            "fCnt": .object(["type": .string("Property"), "value": .number(812)]),
            "fPort": .object(["type": .string("Property"), "value": .number(1)]),
        ]))
        for metadata in ["rssi", "snr", "gateway", "fCnt", "fPort"] {
            XCTAssertNil(entity[metadata], "\(metadata) is how the reading travelled, not an observation")
        }
        XCTAssertEqual(entity["lastCalibration"]?["value"], .object(["@type": .string("DateTime"), "@value": .string("2026-10-01T00:00:00Z")]))
        XCTAssertEqual(entity["occupancy"]?["value"], .object(["spots": .number(3)]))
        XCTAssertEqual(entity["location"], .object([
            "type": .string("GeoProperty"), "observedAt": observedAt,
            "value": .object(["type": .string("Point"), "coordinates": .array([.number(4.83), .number(45.76)])]),
        ]))
    }

    func testWithoutARelationshipNetworkMetadataStaysAnAttribute() {
        let event = Event(type: "NoiseLevelObserved", entity: "urn:ngsi-ld:NoiseLevelObserved:n1", observedAt: t0, receivedAt: t0,
                          route: "noise", attributes: ["LAeq": .number(61, unit: "2N"), "rssi": .number(-80, unit: nil)])
        let entity = NGSILDEntity.normalized(event)
        XCTAssertEqual(entity["rssi"]?["value"], .number(-80))
        XCTAssertNil(entity["refDevice"])
    }

    func testADeviceKeepsItsTypeAndSaysItsStateWhenItGoesInactive() {
        for (storeType, state) in [("DeviceInactive", "inactive"), ("DeviceActive", "active")] {
            let event = Event(type: storeType, entity: "urn:ngsi-ld:Device:a13", observedAt: t0, receivedAt: t0, route: "ttn",
                              attributes: ["lastSeen": .text("2026-11-22T07:58:00.000000Z"), "messageCount": .number(12, unit: nil)])
            let entity = NGSILDEntity.normalized(event)
            XCTAssertEqual(entity["type"], .string("Device"))
            XCTAssertEqual(entity["deviceState"]?["value"], .string(state))
            XCTAssertEqual(entity["lastSeen"]?["value"]?["@type"], .string("DateTime"))
        }
        XCTAssertEqual(NGSILDEntity.storeTypes(for: "Device"), ["Device", "DeviceActive", "DeviceInactive"])
        XCTAssertEqual(NGSILDEntity.storeTypes(for: "ParkingSpot"), ["ParkingSpot"])
    }

    func testKeyValuesProjectionAndSystemTimes() {
        let created = t0.adding(microseconds: -3_600_000_000)
        let entity = NGSILDEntity.normalized(parking(at: t0), system: .init(createdAt: created, modifiedAt: t0))
        XCTAssertEqual(entity["createdAt"], .string(created.iso8601))
        XCTAssertEqual(entity["status"]?["modifiedAt"], .string(t0.iso8601))
        let simple = NGSILDEntity.keyValues(NGSILDEntity.projected(entity, to: ["status", "refDevice", "lastCalibration", "location"]))
        XCTAssertEqual(simple, [
            "id": .string("urn:ngsi-ld:ParkingSpot:a13"), "type": .string("ParkingSpot"),
            "createdAt": .string(created.iso8601), "modifiedAt": .string(t0.iso8601),
            "status": .string("occupied"), "refDevice": .string("urn:ngsi-ld:Device:a13"),
            "lastCalibration": .string("2026-10-01T00:00:00Z"),
            "location": .object(["type": .string("Point"), "coordinates": .array([.number(4.83), .number(45.76)])]),
        ])
    }

    func testTheTemporalRepresentationListsInstancesOldestFirst() throws {
        let events = [parking(at: t0.adding(microseconds: 120_000_000), status: "free"), parking(at: t0),
                      parking(at: t0.adding(microseconds: 60_000_000), status: "free")]
        let full = try XCTUnwrap(NGSILDTemporal.entity(id: "urn:ngsi-ld:ParkingSpot:a13", events: events, attributes: ["status"],
                                                       lastN: nil, temporalValues: false))
        XCTAssertEqual(Set(full.keys), ["id", "type", "status"])
        XCTAssertEqual(full["status"]?.arrayValue?.compactMap { $0["value"]?.stringValue }, ["occupied", "free", "free"])
        XCTAssertEqual(full["status"]?.arrayValue?.first?["observedAt"], .string(t0.iso8601))
        let simplified = try XCTUnwrap(NGSILDTemporal.entity(id: "urn:ngsi-ld:ParkingSpot:a13", events: events, attributes: nil,
                                                             lastN: 2, temporalValues: true))
        XCTAssertEqual(simplified["status"], .object(["type": .string("Property"), "values": .array([
            .array([.string("free"), .string(t0.adding(microseconds: 60_000_000).iso8601)]),
            .array([.string("free"), .string(t0.adding(microseconds: 120_000_000).iso8601)]),
        ])]))
        XCTAssertEqual(simplified["refDevice"]?["objects"]?.arrayValue?.count, 2)
        XCTAssertEqual(simplified["lastCalibration"]?["values"]?.arrayValue?.first?.arrayValue?.first, .string("2026-10-01T00:00:00Z"))
        XCTAssertNil(NGSILDTemporal.entity(id: "x", events: [], attributes: nil, lastN: nil, temporalValues: false))
    }

    func testTheContextGoesInTheBodyForJSONLDAndInALinkForJSON() throws {
        let body = JSONValue.array([.object(["id": .string("urn:x"), "type": .string("T")])])
        let json = try NGSILDContext(request: HTTPRequest(method: "GET", path: "/", headers: ["accept": "application/json"]))
        let plain = json.respond(body)
        XCTAssertEqual(plain.headers["Content-Type"], "application/json")
        XCTAssertEqual(plain.headers["Link"], "<\(NGSILDContext.core)>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"")
        let ld = try NGSILDContext(request: HTTPRequest(method: "GET", path: "/", headers: [
            "accept": "application/json;q=0.5, application/ld+json",
            "link": "<https://smartdatamodels.org/context.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"",
        ]))
        let linked = ld.respond(body)
        XCTAssertEqual(linked.headers["Content-Type"], "application/ld+json")
        XCTAssertNil(linked.headers["Link"])
        guard case .bytes(let data) = linked.body else { return XCTFail("a whole body") }
        XCTAssertEqual(try JSONValue(parsing: data).arrayValue?.first?["@context"],
                       .array([.string("https://smartdatamodels.org/context.jsonld"), .string(NGSILDContext.core)]))
        XCTAssertFalse(NGSILDContext.prefersJSONLD("application/ld+json;q=0.2, application/json"))
        XCTAssertFalse(NGSILDContext.prefersJSONLD("*/*"))
        XCTAssertTrue(NGSILDContext.prefersJSONLD("application/ld+json"))
        XCTAssertEqual(ld.compact("https://smartdatamodels.org/dataModel.Environment/AirQualityObserved"), "AirQualityObserved")
        XCTAssertEqual(ld.compact("https://uri.etsi.org/ngsi-ld/default-context/no2"), "no2")
        XCTAssertEqual(ld.compact("http://example.org/Other"), "http://example.org/Other")
        XCTAssertThrowsError(try NGSILDContext(request: HTTPRequest(method: "GET", path: "/", headers: [
            "link": "https://x/context.jsonld; rel=\"http://www.w3.org/ns/json-ld#context\"",
        ])))
    }

    func testQueryArgumentsAreCheckedAsTheSpecificationSays() throws {
        let context = try NGSILDContext(request: HTTPRequest(method: "GET", path: "/"))
        func parameters(_ query: [(String, String)]) throws -> NGSILDParameters {
            try NGSILDParameters(HTTPRequest(method: "GET", path: "/", query: query.map { (name: $0.0, value: $0.1) }),
                                 allowed: NGSILDParameters.temporalQuery, context: context)
        }
        let probe = try parameters([("type", "None"), ("limit", "0"), ("count", "true")])
        XCTAssertEqual(probe.limit, 0)
        XCTAssertTrue(probe.count && probe.selectsEntities && !probe.needsEvaluation)
        let full = try parameters([("type", "A|https://smartdatamodels.org/dataModel.Parking/ParkingSpot"), ("attrs", "no2,status"),
                                   ("options", "keyValues,sysAttrs"), ("timerel", "between"), ("timeAt", "2026-11-22T08:00:00Z"),
                                   ("endTimeAt", "2026-11-22T09:00:00Z"), ("lastN", "5"), ("offset", "40")])
        XCTAssertEqual(full.types, ["A", "ParkingSpot"])
        XCTAssertEqual(full.attributes, ["no2", "status"])
        XCTAssertTrue(full.keyValues && full.systemAttributes)
        XCTAssertEqual(full.from, t0)
        XCTAssertEqual(full.to, t0.adding(microseconds: 3_600_000_000))
        XCTAssertEqual(full.lastN, 5)
        XCTAssertEqual(full.offset, 40)
        XCTAssertEqual(try parameters([("timerel", "before"), ("timeAt", "2026-11-22T08:00:00Z")]).to, t0)

        let refusals: [([(String, String)], NGSILDProblem.Kind)] = [
            ([("limit", "0")], .badRequestData), ([("limit", "-1")], .badRequestData), ([("limit", "1001")], .tooManyResults),
            ([("offset", "x")], .badRequestData), ([("count", "yes")], .badRequestData), ([("colour", "red")], .badRequestData),
            ([("options", "fancy")], .badRequestData), ([("options", "concise")], .operationNotSupported),
            ([("csf", "x")], .operationNotSupported), ([("idPattern", "(")], .badRequestData), ([("attrs", ",")], .badRequestData),
            ([("timerel", "before")], .badRequestData), ([("timerel", "during"), ("timeAt", "2026-11-22T08:00:00Z")], .badRequestData),
            ([("timerel", "between"), ("timeAt", "2026-11-22T08:00:00Z")], .badRequestData), ([("timeAt", "yesterday")], .badRequestData),
            ([("timeproperty", "modifiedAt")], .operationNotSupported), ([("lastN", "0")], .badRequestData),
        ]
        for (query, kind) in refusals {
            XCTAssertThrowsError(try parameters(query), "\(query)") { error in
                XCTAssertEqual((error as? NGSILDProblem)?.kind, kind, "\(query)")
            }
        }
        XCTAssertEqual(NGSILDProblem(.operationNotSupported, "x").status, 501)
        XCTAssertEqual(NGSILDProblem(.resourceNotFound, "x").json["type"], .string("https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound"))
    }
}
