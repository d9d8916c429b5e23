import HubCore

/// What the operations API may filter events and entities by; every filter given must match.
public struct EventFilter: Sendable, Hashable {
    /// Any of these types (empty: any type).
    public var types: [String] = []
    /// Exactly this entity.
    public var entity: String?
    /// Any of these routes (empty: any route).
    public var routes: [String] = []
    /// None of these routes (restricted routes the caller may not read).
    public var hiddenRoutes: [String] = []
    /// Observed at or after this time.
    public var from: Timestamp?
    /// Observed before this time.
    public var to: Timestamp?
    /// Located inside this box (events without a location never match).
    public var boundingBox: BoundingBox?

    /// A filter that matches everything.
    public init() {}
}

/// A longitude/latitude rectangle (WGS84), west/south/east/north as in GeoJSON `bbox`.
public struct BoundingBox: Sendable, Hashable {
    /// Western edge, degrees.
    public var minLongitude: Double
    /// Southern edge, degrees.
    public var minLatitude: Double
    /// Eastern edge, degrees.
    public var maxLongitude: Double
    /// Northern edge, degrees.
    public var maxLatitude: Double

    /// Creates a box; nil when the edges are out of range or crossed.
    public init?(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        guard (-180...180).contains(minLongitude), (-180...180).contains(maxLongitude),
              (-90...90).contains(minLatitude), (-90...90).contains(maxLatitude),
              minLongitude <= maxLongitude, minLatitude <= maxLatitude else { return nil }
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }
}

/// An event with its place in the store's insertion order, which pages are cut by.
public struct StoredEvent: Sendable, Hashable {
    /// Insertion order: larger is newer.
    public var seq: Int64
    /// The event.
    public var event: Event

    /// Pairs an event with its sequence number.
    public init(seq: Int64, event: Event) {
        self.seq = seq
        self.event = event
    }
}
