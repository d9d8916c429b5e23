/// A WGS84 position, as events carry it.
public struct GeoPoint: Sendable, Hashable {
    /// Degrees north, -90...90.
    public var latitude: Double
    /// Degrees east, -180...180.
    public var longitude: Double

    /// Creates a point; nil when a coordinate is out of range or not finite.
    public init?(latitude: Double, longitude: Double) {
        guard latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude)
        else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The point as a GeoJSON geometry (`[longitude, latitude]` order).
    public var geoJSON: JSONValue {
        .object(["type": .string("Point"), "coordinates": .array([.number(longitude), .number(latitude)])])
    }
}
