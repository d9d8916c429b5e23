import HubCore

/// A stored event as the API lists it: its fields, and its attributes as the JSON text
/// `Event.attributesJSON` gives them, without the attributes read into `Value`s (a page of a
/// listing is written out as it is and never looked into).
///
/// `SQLiteStore.eventRecords(matching:before:limit:)` makes them; the text is the same as the
/// attributes of `events(matching:before:limit:)`'s event for the same row, byte for byte.
public struct EventRecord: Sendable, Hashable {
    /// Its place in the order events were stored (as `StoredEvent.seq`).
    public var seq: Int64
    /// The event id.
    public var id: EventID
    /// The kind of observation.
    public var type: String
    /// The entity it is about.
    public var entity: String
    /// When the observation was made.
    public var observedAt: Timestamp
    /// When the hub received it.
    public var receivedAt: Timestamp
    /// The route it came through.
    public var route: String
    /// Where it was observed, when known.
    public var location: GeoPoint?
    /// The attributes: a JSON object of `Value.storedForm`s, keys sorted (`Event.attributesJSON`).
    public var attributesJSON: String

    /// A record with these fields.
    public init(seq: Int64, id: EventID, type: String, entity: String, observedAt: Timestamp, receivedAt: Timestamp,
                route: String, location: GeoPoint?, attributesJSON: String) {
        self.seq = seq
        self.id = id
        self.type = type
        self.entity = entity
        self.observedAt = observedAt
        self.receivedAt = receivedAt
        self.route = route
        self.location = location
        self.attributesJSON = attributesJSON
    }

    /// The record of a stored event.
    public init(_ stored: StoredEvent) {
        let event = stored.event
        self.init(seq: stored.seq, id: event.id, type: event.type, entity: event.entity, observedAt: event.observedAt,
                  receivedAt: event.receivedAt, route: event.route, location: event.location, attributesJSON: event.attributesJSON)
    }
}
