import HubCore
@testable import HubHTTP
import XCTest

/// Geo-queries (ETSI GS CIM 009 clause 4.10) over point locations.
final class NGSILDGeoQueryTests: XCTestCase {
    private func query(_ georel: String, _ geometry: String, _ coordinates: String) throws -> NGSILDGeoQuery {
        try XCTUnwrap(NGSILDGeoQuery(georel: georel, geometry: geometry, coordinates: coordinates, geoproperty: nil))
    }

    private let bellecour = GeoPoint(latitude: 45.7578, longitude: 4.8320)!
    private let hotelDeVille = GeoPoint(latitude: 45.7675, longitude: 4.8357)!  // 1.11 km north

    func testNearByGreatCircleDistance() throws {
        let distance = NGSILDGeoQuery.distance(.init(longitude: 4.8320, latitude: 45.7578), .init(longitude: 4.8357, latitude: 45.7675))
        XCTAssertEqual(distance, 1_118, accuracy: 5)
        let within1200 = try query("near;maxDistance==1200", "Point", "[4.8320,45.7578]")
        XCTAssertTrue(within1200.matches(bellecour))
        XCTAssertTrue(within1200.matches(hotelDeVille))
        XCTAssertFalse(try query("near;maxDistance==1000", "Point", "[4.8320,45.7578]").matches(hotelDeVille))
        XCTAssertTrue(try query("near;minDistance==1000", "Point", "[4.8320,45.7578]").matches(hotelDeVille))
        XCTAssertFalse(try query("near;minDistance==1000", "Point", "[4.8320,45.7578]").matches(bellecour))
        XCTAssertFalse(within1200.matches(nil), "an entity without a location never matches")
    }

    func testTheBoundingBoxHoldsEveryMatch() throws {
        let near = try query("near;maxDistance==1200", "Point", "[4.8320,45.7578]")
        let box = try XCTUnwrap(near.boundingBox)
        XCTAssertTrue(box.minLatitude < 45.7675 && box.maxLatitude > 45.7675, "the point 1.1 km away is inside the 1.2 km box")
        XCTAssertTrue(box.maxLatitude - box.minLatitude < 0.03)
        XCTAssertNil(try query("near;minDistance==10", "Point", "[4.8,45.7]").boundingBox, "far-away points cannot be boxed")
        XCTAssertNil(try query("disjoint", "Point", "[4.8,45.7]").boundingBox)
    }

    func testWithinIntersectsAndDisjointWithPolygonsAndHoles() throws {
        let square = "[[[4.82,45.75],[4.84,45.75],[4.84,45.765],[4.82,45.765],[4.82,45.75]]]"
        XCTAssertTrue(try query("within", "Polygon", square).matches(bellecour))
        XCTAssertFalse(try query("within", "Polygon", square).matches(hotelDeVille))
        XCTAssertTrue(try query("intersects", "Polygon", square).matches(bellecour))
        XCTAssertTrue(try query("disjoint", "Polygon", square).matches(hotelDeVille))
        let holed = "[[[4.82,45.75],[4.84,45.75],[4.84,45.765],[4.82,45.765],[4.82,45.75]],[[4.83,45.755],[4.835,45.755],[4.835,45.76],[4.83,45.76],[4.83,45.755]]]"
        XCTAssertFalse(try query("within", "Polygon", holed).matches(bellecour), "a point in a hole is outside")
        let multi = "[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[4.82,45.75],[4.84,45.75],[4.84,45.765],[4.82,45.765],[4.82,45.75]]]]"
        XCTAssertTrue(try query("within", "MultiPolygon", multi).matches(bellecour))
        XCTAssertFalse(try query("within", "MultiPolygon", multi).matches(hotelDeVille))
        let edge = GeoPoint(latitude: 45.75, longitude: 4.83)!
        XCTAssertTrue(try query("intersects", "Polygon", square).matches(edge), "the boundary intersects")
        XCTAssertFalse(try query("within", "Polygon", square).matches(edge), "but is not within")
    }

    func testPointsAndLines() throws {
        XCTAssertTrue(try query("equals", "Point", "[4.8320,45.7578]").matches(bellecour))
        XCTAssertTrue(try query("intersects", "Point", "[4.8320,45.7578]").matches(bellecour))
        XCTAssertFalse(try query("equals", "Point", "[4.8321,45.7578]").matches(bellecour))
        XCTAssertTrue(try query("contains", "Point", "[4.8320,45.7578]").matches(bellecour))
        XCTAssertTrue(try query("intersects", "MultiPoint", "[[0,0],[4.8320,45.7578]]").matches(bellecour))
        XCTAssertTrue(try query("intersects", "LineString", "[[4.8320,45.75],[4.8320,45.77]]").matches(bellecour))
        XCTAssertFalse(try query("intersects", "LineString", "[[4.83,45.75],[4.83,45.77]]").matches(bellecour))
        XCTAssertFalse(try query("overlaps", "Point", "[4.8320,45.7578]").matches(bellecour), "a point overlaps nothing")
    }

    func testMalformedGeoQueriesAreBadRequestData() {
        XCTAssertNil(try NGSILDGeoQuery(georel: nil, geometry: nil, coordinates: nil, geoproperty: nil))
        let cases: [(String?, String?, String?)] = [
            ("near;maxDistance==100", "Point", nil), ("near", "Point", "[4.8,45.7]"), ("near;maxDistance==-1", "Point", "[4.8,45.7]"),
            ("near;maxDistance==100", "Polygon", "[[[0,0],[1,0],[1,1],[0,0]]]"), ("within", "Point", "[4.8,45.7]"),
            ("around", "Point", "[4.8,45.7]"), ("within", "Polygon", "[[[0,0],[1,0],[1,1]]]"), ("within", "Polygon", "[[[0,0],[1,0],[1,1],[0,1]]]"),
            ("intersects", "Point", "[200,45]"), ("intersects", "Point", "not json"), ("intersects", "Circle", "[4.8,45.7]"),
        ]
        for (georel, geometry, coordinates) in cases {
            XCTAssertThrowsError(try NGSILDGeoQuery(georel: georel, geometry: geometry, coordinates: coordinates, geoproperty: nil),
                                 "\(georel ?? "-") \(geometry ?? "-") \(coordinates ?? "-")") { error in
                XCTAssertEqual((error as? NGSILDProblem)?.kind, .badRequestData)
            }
        }
    }
}
