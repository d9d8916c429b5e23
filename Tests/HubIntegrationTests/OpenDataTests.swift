import Foundation
import HubCore
import HubServices
import HubTesting
import XCTest

/// Open data over real HTTP: GeoJSON as GIS tools read it, CSV pages and downloads, the DCAT-AP
/// catalog of published routes, and their whole exports, streamed past the page limit.
final class OpenDataTests: XCTestCase {
    private typealias Hub = OperationsHub
    private var broker: MosquittoBroker!

    override func setUpWithError() throws {
        broker = try MosquittoBroker()
    }

    override func tearDown() {
        broker?.stop()
        broker = nil
    }

    private func datasetNames(_ response: HTTPTestResponse) -> [String] {
        (response.json?["dcat:dataset"]?.arrayValue ?? []).compactMap { $0["dct:identifier"]?.stringValue }
    }

    func testTheCatalogListsThePublishedRoutesEachTokenMayRead() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        try hub.publish(0..<3, expectedEvents: 3)
        let catalog = try hub.client.send("GET", "/api/v1/datasets", token: Hub.readerToken)
        XCTAssertEqual(catalog.status, 200, catalog.text)
        XCTAssertEqual(catalog.headers["content-type"], "application/ld+json")
        XCTAssertEqual(catalog.json?["@type"], .string("dcat:Catalog"))
        XCTAssertEqual(datasetNames(catalog), ["air-quality"], "the partner route is not published; invoices are restricted")
        let air = try XCTUnwrap(catalog.json?["dcat:dataset"]?.arrayValue?.first)
        let base = "http://127.0.0.1:\(hub.port)/api/v1/datasets/air-quality"
        XCTAssertEqual(air["@id"], .string(base))
        XCTAssertEqual(air["dct:title"], .string("Qualité de l'air"))
        XCTAssertEqual(air["dct:license"]?["@id"], .string(Hub.airLicence))
        XCTAssertEqual(air["dct:rights"]?["rdfs:label"], .string("Ville de Lyon, capteurs air"))
        XCTAssertEqual(air["dct:publisher"]?["foaf:name"], .string("Ville de Lyon"))
        XCTAssertEqual(air["dcat:keyword"], .array([.string("air"), .string("NO2")]))
        XCTAssertNotNil(air["dct:modified"]?["@value"]?.stringValue.flatMap(Timestamp.init(iso8601:)))
        let downloads = air["dcat:distribution"]?.arrayValue?.compactMap { $0["dcat:downloadURL"]?["@id"]?.stringValue }
        XCTAssertEqual(downloads, ["\(base)/events.csv", "\(base)/entities.geojson"])

        XCTAssertEqual(datasetNames(try hub.client.send("GET", "/api/v1/datasets", token: Hub.accountantToken)), ["invoices"])
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/datasets/air-quality", token: Hub.readerToken).json?["@id"], .string(base))
        for (path, token) in [("/api/v1/datasets/invoices", Hub.readerToken), ("/api/v1/datasets/invoices/events.csv", Hub.readerToken),
                              ("/api/v1/datasets/partner/events.csv", Hub.adminToken), ("/api/v1/datasets/air-quality/x.csv", Hub.readerToken)] {
            XCTAssertEqual(try hub.client.send("GET", path, token: token).status, 404, path)
        }
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/datasets").status, 401, "closed unless datasets is an open endpoint")
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/datasets/invoices/events.csv", token: Hub.accountantToken).status, 200)
    }

    func testAnOpenCatalogShowsTheUnrestrictedDatasetsToEveryone() throws {
        let hub = try OperationsHub(broker: broker, openEndpoints: ["healthz", "readyz", "datasets"])
        defer { hub.stop() }
        let catalog = try hub.client.send("GET", "/api/v1/datasets")
        XCTAssertEqual(datasetNames(catalog), ["air-quality"], catalog.text)
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/datasets/air-quality/entities.geojson").status, 200)
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/datasets/invoices/events.csv").status, 404)
        XCTAssertEqual(datasetNames(try hub.client.send("GET", "/api/v1/datasets", token: Hub.accountantToken)), ["invoices"])
        XCTAssertEqual(try hub.client.send("GET", "/api/v1/events").status, 401, "only the datasets are opened")
    }

    func testTheExportsHoldEverythingPastThePageLimitStreamed() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let count = 2_345
        try hub.publish(0..<count, expectedEvents: count)
        let csv = try hub.client.send("GET", "/api/v1/datasets/air-quality/events.csv", token: Hub.readerToken)
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.headers["content-disposition"], #"attachment; filename="air-quality-events.csv""#)
        XCTAssertTrue(csv.headers["content-type"]?.hasPrefix("text/csv") ?? false)
        let lines = csv.text.split(separator: "\r\n")
        XCTAssertEqual(lines.first.map { String($0) + "\r\n" }, csvHeader)
        XCTAssertEqual(lines.count, count + 1, "every event, past the \(1000)-row page limit")
        let ids = lines.dropFirst().map { String($0.prefix { $0 != "," }) }
        XCTAssertEqual(Set(ids).count, count, "each once")
        let observed = lines.dropFirst().map { $0.split(separator: ",")[3] }
        XCTAssertEqual(observed.first.map(String.init), Hub.observedAt(0).iso8601, "oldest first")
        XCTAssertEqual(observed.last.map(String.init), Hub.observedAt(count - 1).iso8601)

        let geo = try hub.client.send("GET", "/api/v1/datasets/air-quality/entities.geojson", token: Hub.readerToken)
        XCTAssertEqual(geo.headers["content-disposition"], #"attachment; filename="air-quality-entities.geojson""#)
        XCTAssertEqual(geo.json?["type"], .string("FeatureCollection"))
        XCTAssertEqual(geo.json?["features"]?.arrayValue?.count, 10)
    }

    func testGeoJSONIsFlatAndKeepsUnlocatedEntitiesAndCSVPagesLink() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        try hub.publish(0..<12, expectedEvents: 12)
        let unlocated = Data(#"{"device":"no-gps","observedAt":"2026-11-22T08:00:00Z","no2":7}"#.utf8)
        XCTAssertEqual(try hub.client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: unlocated).status, 202)

        let page = try hub.client.send("GET", "/api/v1/entities.geojson", token: Hub.readerToken)
        let features = try XCTUnwrap(page.json?["features"]?.arrayValue)
        XCTAssertEqual(features.count, 11, "ten located stations and the one without a position")
        let missing = try XCTUnwrap(features.first { $0["id"] == .string("urn:ngsi-ld:PartnerReading:no-gps") })
        XCTAssertEqual(missing["geometry"], .null)
        let station = try XCTUnwrap(features.first { $0["id"] == .string(Hub.entity(3)) })
        XCTAssertEqual(station["geometry"]?["type"], .string("Point"))
        let properties = try XCTUnwrap(station["properties"]?.objectValue)
        XCTAssertEqual(properties["no2"], .number(3), "one member per attribute, the value itself")
        XCTAssertEqual(properties["no2_unit"], .string("GQ"), "its unit beside it")
        XCTAssertEqual(properties["entityType"], .string("AirQualityObserved"))
        XCTAssertEqual(properties["entity"], .string(Hub.entity(3)))
        XCTAssertEqual(properties["route"], .string("air-quality"))
        XCTAssertTrue(properties.values.allSatisfy { $0.objectValue == nil && $0.arrayValue == nil }, "flat: \(properties)")

        let csv = try hub.client.send("GET", "/api/v1/events.csv?route=air-quality&limit=5&access_token=\(Hub.readerToken)")
        XCTAssertEqual(csv.headers["content-disposition"], #"attachment; filename="events.csv""#)
        let next = try XCTUnwrap(csv.headers["x-next-cursor"])
        let link = try XCTUnwrap(csv.headers["link"])
        XCTAssertEqual(link, #"</api/v1/events.csv?route=air-quality&limit=5&cursor=\#(next)>; rel="next""#, "no token in the link")
        let second = try hub.client.send("GET", String(link.dropFirst().prefix { $0 != ">" }), token: Hub.readerToken)
        XCTAssertEqual(second.status, 200)
        XCTAssertEqual(second.text.split(separator: "\r\n").count, 6)
    }
}

/// The CSV header the exports start with.
private let csvHeader = "id,type,entity,observedAt,receivedAt,route,latitude,longitude,attributes\r\n"
