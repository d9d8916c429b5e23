import Foundation
import HubCore
import HubStore

/// A geo-query (ETSI GS CIM 009 clause 4.10): `georel`, `geometry` and `coordinates` (GeoJSON
/// positions, longitude first), over the entities' `location`, which in the hub is always a point.
///
/// `near;maxDistance==m` / `near;minDistance==m` (metres, great-circle, from a Point), `within`
/// (a Polygon or MultiPolygon), `intersects`, `disjoint`, `equals`, `contains`, `overlaps`.
struct NGSILDGeoQuery: Sendable {
    /// How the entity's location must relate to the geometry.
    enum Relation: Sendable, Equatable {
        case near(maxDistance: Double?, minDistance: Double?)
        case within, contains, intersects, equals, disjoint, overlaps
    }

    /// A GeoJSON geometry; positions are (longitude, latitude).
    enum Geometry: Sendable, Equatable {
        case point(Position)
        case multiPoint([Position])
        case lineString([Position])
        case multiLineString([[Position]])
        case polygon([[Position]])
        case multiPolygon([[[Position]]])
    }

    /// A longitude/latitude pair in degrees.
    struct Position: Sendable, Equatable {
        var longitude: Double
        var latitude: Double
    }

    /// The relation.
    var relation: Relation
    /// The geometry compared with.
    var geometry: Geometry
    /// The GeoProperty compared (`location` unless `geoproperty` names another).
    var property: String

    /// Mean Earth radius (IUGG), metres.
    static let earthRadius = 6_371_008.8

    /// The geo-query of `georel`, `geometry`, `coordinates` and `geoproperty`; nil when none is given.
    ///
    /// - Throws: `NGSILDProblem` (BadRequestData) when one is missing or any is malformed.
    init?(georel: String?, geometry: String?, coordinates: String?, geoproperty: String?) throws {
        guard georel != nil || geometry != nil || coordinates != nil else { return nil }
        guard let georel, let geometry, let coordinates else {
            throw NGSILDProblem.badRequest("a geo-query needs georel, geometry and coordinates together")
        }
        relation = try Self.relation(georel)
        self.geometry = try Self.geometry(geometry, coordinates)
        property = geoproperty ?? "location"
        if case .near = relation {
            guard case .point = self.geometry else { throw NGSILDProblem.badRequest("georel near takes a Point geometry") }
        }
        if relation == .within {
            switch self.geometry {
            case .polygon, .multiPolygon: break
            default: throw NGSILDProblem.badRequest("georel within takes a Polygon or MultiPolygon geometry")
            }
        }
    }

    private static func relation(_ text: String) throws -> Relation {
        let parts = text.split(separator: ";").map(String.init)
        switch parts.first {
        case "near":
            var maxDistance: Double?
            var minDistance: Double?
            for modifier in parts.dropFirst() {
                let pair = modifier.components(separatedBy: "==")
                guard pair.count == 2, let metres = Double(pair[1]), metres.isFinite, metres >= 0 else {
                    throw NGSILDProblem.badRequest("georel near takes maxDistance==<metres> or minDistance==<metres>, found \"\(modifier)\"")
                }
                switch pair[0] {
                case "maxDistance": maxDistance = metres
                case "minDistance": minDistance = metres
                default: throw NGSILDProblem.badRequest("georel near takes maxDistance or minDistance, found \"\(pair[0])\"")
                }
            }
            guard maxDistance != nil || minDistance != nil else {
                throw NGSILDProblem.badRequest("georel near needs a distance: near;maxDistance==2000")
            }
            return .near(maxDistance: maxDistance, minDistance: minDistance)
        case "within" where parts.count == 1: return .within
        case "contains" where parts.count == 1: return .contains
        case "intersects" where parts.count == 1: return .intersects
        case "equals" where parts.count == 1: return .equals
        case "disjoint" where parts.count == 1: return .disjoint
        case "overlaps" where parts.count == 1: return .overlaps
        default:
            throw NGSILDProblem.badRequest("georel must be near;maxDistance==<m>, near;minDistance==<m>, within, contains, intersects, equals, disjoint or overlaps, found \"\(text)\"")
        }
    }

    private static func geometry(_ name: String, _ text: String) throws -> Geometry {
        guard let json = try? JSONValue(parsing: text) else {
            throw NGSILDProblem.badRequest("coordinates must be a JSON array of GeoJSON positions, found \"\(text.prefix(100))\"")
        }
        func position(_ value: JSONValue) throws -> Position {
            guard let pair = value.arrayValue, pair.count == 2 || pair.count == 3,
                  let longitude = pair[0].numberValue, let latitude = pair[1].numberValue,
                  (-180...180).contains(longitude), (-90...90).contains(latitude) else {
                throw NGSILDProblem.badRequest("coordinates of a \(name): each position is [longitude, latitude] in degrees, found \(value.jsonText.prefix(100))")
            }
            return Position(longitude: longitude, latitude: latitude)
        }
        func positions(_ value: JSONValue, atLeast count: Int) throws -> [Position] {
            guard let items = value.arrayValue, items.count >= count else {
                throw NGSILDProblem.badRequest("coordinates of a \(name) need at least \(count) positions")
            }
            return try items.map(position)
        }
        func ring(_ value: JSONValue) throws -> [Position] {
            let ring = try positions(value, atLeast: 4)
            guard ring.first == ring.last else { throw NGSILDProblem.badRequest("a \(name) ring must end where it starts") }
            return ring
        }
        func rings(_ value: JSONValue) throws -> [[Position]] {
            guard let items = value.arrayValue, !items.isEmpty else { throw NGSILDProblem.badRequest("a \(name) needs at least one ring") }
            return try items.map(ring)
        }
        func list(_ value: JSONValue) throws -> [JSONValue] {
            guard let items = value.arrayValue, !items.isEmpty else { throw NGSILDProblem.badRequest("coordinates of a \(name) must be a non-empty array") }
            return items
        }
        switch name {
        case "Point": return .point(try position(json))
        case "MultiPoint": return .multiPoint(try positions(json, atLeast: 1))
        case "LineString": return .lineString(try positions(json, atLeast: 2))
        case "MultiLineString": return .multiLineString(try list(json).map { try positions($0, atLeast: 2) })
        case "Polygon": return .polygon(try rings(json))
        case "MultiPolygon": return .multiPolygon(try list(json).map(rings))
        default:
            throw NGSILDProblem.badRequest("geometry must be Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon, found \"\(name)\"")
        }
    }

    // MARK: - Evaluation

    /// Whether a location satisfies the query; an entity without one never does.
    func matches(_ location: GeoPoint?) -> Bool {
        guard let location else { return false }
        let point = Position(longitude: location.longitude, latitude: location.latitude)
        switch relation {
        case .near(let maxDistance, let minDistance):
            guard case .point(let centre) = geometry else { return false }
            let distance = Self.distance(point, centre)
            return distance <= (maxDistance ?? .infinity) && distance >= (minDistance ?? 0)
        case .within: return Self.inside(point, geometry, boundary: false)
        case .intersects: return Self.intersects(point, geometry)
        case .disjoint: return !Self.intersects(point, geometry)
        case .equals, .contains:
            // A point equals (and contains) only the same point (or points all the same).
            switch geometry {
            case .point(let other): return Self.same(point, other)
            case .multiPoint(let others): return others.allSatisfy { Self.same(point, $0) }
            default: return false
            }
        case .overlaps: return false  // a point overlaps nothing: overlapping needs two shapes of one dimension, neither containing the other
        }
    }

    /// A box every match lies in, for the store to narrow the candidates; nil when none is cheaper
    /// than reading them all (distance from below, disjoint, boxes over the antimeridian or a pole).
    var boundingBox: BoundingBox? {
        switch relation {
        case .near(let maxDistance?, _):
            guard case .point(let centre) = geometry else { return nil }
            let latitudeDelta = maxDistance / Self.earthRadius * 180 / .pi
            let cosine = cos(centre.latitude * .pi / 180)
            guard cosine > 0.01 else { return nil }
            let longitudeDelta = latitudeDelta / cosine
            return BoundingBox(minLongitude: centre.longitude - longitudeDelta, minLatitude: centre.latitude - latitudeDelta,
                               maxLongitude: centre.longitude + longitudeDelta, maxLatitude: centre.latitude + latitudeDelta)
        case .within, .intersects, .equals, .contains:
            let all = Self.positions(of: geometry)
            guard let first = all.first else { return nil }
            var box = (west: first.longitude, south: first.latitude, east: first.longitude, north: first.latitude)
            for position in all {
                box = (min(box.west, position.longitude), min(box.south, position.latitude),
                       max(box.east, position.longitude), max(box.north, position.latitude))
            }
            let margin = 1e-9
            return BoundingBox(minLongitude: box.west - margin, minLatitude: box.south - margin,
                               maxLongitude: box.east + margin, maxLatitude: box.north + margin)
        default:
            return nil
        }
    }

    private static func positions(of geometry: Geometry) -> [Position] {
        switch geometry {
        case .point(let position): [position]
        case .multiPoint(let positions), .lineString(let positions): positions
        case .multiLineString(let lines): lines.flatMap { $0 }
        case .polygon(let rings): rings.flatMap { $0 }
        case .multiPolygon(let polygons): polygons.flatMap { $0.flatMap { $0 } }
        }
    }

    /// Great-circle distance in metres (haversine).
    static func distance(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (b.latitude - a.latitude) * radians
        let dLongitude = (b.longitude - a.longitude) * radians
        let h = sin(dLatitude / 2) * sin(dLatitude / 2)
            + cos(a.latitude * radians) * cos(b.latitude * radians) * sin(dLongitude / 2) * sin(dLongitude / 2)
        return 2 * earthRadius * asin(min(1, sqrt(h)))
    }

    private static let tolerance = 1e-9

    private static func same(_ a: Position, _ b: Position) -> Bool {
        abs(a.longitude - b.longitude) <= tolerance && abs(a.latitude - b.latitude) <= tolerance
    }

    private static func intersects(_ point: Position, _ geometry: Geometry) -> Bool {
        switch geometry {
        case .point(let other): same(point, other)
        case .multiPoint(let others): others.contains { same(point, $0) }
        case .lineString(let line): onLine(point, line)
        case .multiLineString(let lines): lines.contains { onLine(point, $0) }
        case .polygon, .multiPolygon: inside(point, geometry, boundary: true)
        }
    }

    /// Inside a polygon's outer ring and outside its holes (planar, in degrees); on the boundary
    /// counts as inside only when `boundary` (intersects, not within).
    private static func inside(_ point: Position, _ geometry: Geometry, boundary: Bool) -> Bool {
        func inPolygon(_ rings: [[Position]]) -> Bool {
            guard let outer = rings.first else { return false }
            if rings.contains(where: { onLine(point, $0) }) { return boundary }
            return crossings(point, outer) && !rings.dropFirst().contains { crossings(point, $0) }
        }
        switch geometry {
        case .polygon(let rings): return inPolygon(rings)
        case .multiPolygon(let polygons): return polygons.contains(where: inPolygon)
        default: return false
        }
    }

    /// Ray casting: whether a ray from the point crosses the ring an odd number of times.
    private static func crossings(_ point: Position, _ ring: [Position]) -> Bool {
        var inside = false
        var previous = ring[ring.count - 1]
        for current in ring {
            if (current.latitude > point.latitude) != (previous.latitude > point.latitude) {
                let longitude = (previous.longitude - current.longitude) * (point.latitude - current.latitude)
                    / (previous.latitude - current.latitude) + current.longitude
                if point.longitude < longitude { inside.toggle() }
            }
            previous = current
        }
        return inside
    }

    private static func onLine(_ point: Position, _ line: [Position]) -> Bool {
        for (a, b) in zip(line, line.dropFirst()) {
            let cross = (b.longitude - a.longitude) * (point.latitude - a.latitude) - (b.latitude - a.latitude) * (point.longitude - a.longitude)
            guard abs(cross) <= tolerance else { continue }
            if point.longitude >= min(a.longitude, b.longitude) - tolerance, point.longitude <= max(a.longitude, b.longitude) + tolerance,
               point.latitude >= min(a.latitude, b.latitude) - tolerance, point.latitude <= max(a.latitude, b.latitude) + tolerance {
                return true
            }
        }
        return false
    }
}
