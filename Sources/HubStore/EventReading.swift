import HubCore

/// The reads of stored events the API and the hub's stages make: listings, the live stream's
/// catch-up, latest states, histories and roll-up series.
///
/// Every store backend answers them the same way (`SQLiteStore`, and the PostgreSQL store): the
/// API's answers do not depend on the engine.
public protocol EventReading: AnyObject, Sendable {
    /// Events matching `filter`, newest first (by insertion order), strictly older than `seq`
    /// `before` when given, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    func events(matching filter: EventFilter, before: Int64?, limit: Int) throws -> [StoredEvent]
    /// The same listing with each event's attributes kept as their JSON text.
    func eventRecords(matching filter: EventFilter, before: Int64?, limit: Int) throws -> [EventRecord]
    /// The rows of `eventRecords(matching:before:limit:)`, each handed to `body` as it is read (a
    /// page of the API is written from them directly); a row is valid only inside `body`.
    func forEachEventRecord(matching filter: EventFilter, before: Int64?, limit: Int,
                            _ body: (EventRecordRow) throws -> Void) throws
    /// Events matching `filter` stored after sequence number `after`, oldest first, at most `limit`
    /// (capped at `StoreLimits.maximumPageSize`): what a live-stream client missed.
    func events(matching filter: EventFilter, after: Int64, limit: Int) throws -> [StoredEvent]
    /// The most recently stored events, newest first (by the order they were written), keeping
    /// only those that match every filter given (nil: any), at most `limit` (no page cap).
    func recentEvents(entity: String?, type: String?, route: String?, limit: Int) throws -> [Event]
    /// The event with this id, if stored.
    func event(id: EventID) throws -> Event?
    /// How many events are stored.
    func eventCount() throws -> Int

    /// The latest state of an entity: the stored event with the latest observation time.
    func latest(entity: String) throws -> Event?
    /// The latest state of entities matching `filter`, ordered by entity id, after `after` when given.
    func entities(matching filter: EventFilter, after: String?, limit: Int) throws -> [Event]
    /// The latest state of entities matching `filter`, ordered by entity id, skipping the first
    /// `offset`, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    func entities(matching filter: EventFilter, offset: Int, limit: Int) throws -> [Event]
    /// How many entities match `filter` (their latest state).
    func entityCount(matching filter: EventFilter) throws -> Int
    /// Each stored type with its number of entities and, per attribute name, how many of them
    /// carry it in their latest state, leaving out the entities of `hiddenRoutes`.
    func entityTypeSummaries(hiddenRoutes: [String]) throws -> [EntityTypeSummary]
    /// When the hub received the first stored event of `entity`, if any.
    func firstReceived(entity: String) throws -> Timestamp?
    /// The stored events of `entity` observed from `from` to `to` (each bound optional), most
    /// recently observed first, at most `limit` (capped at one more than `StoreLimits.maximumPageSize`).
    func history(entity: String, from: Timestamp?, to: Timestamp?, limit: Int) throws -> [Event]
    /// The roll-up buckets of `attribute` of `entity` at `step`, oldest first, from the bucket
    /// holding `from` to before `to`; at most `StoreLimits.maximumSeriesPoints`.
    func series(entity: String, attribute: String, step: SeriesStep, from: Timestamp, to: Timestamp) throws -> [SeriesPoint]
    /// The status events of invoice `number`, newest first, leaving out `hiddenRoutes`, at most
    /// `limit` (capped at `StoreLimits.maximumPageSize`).
    func invoiceStatuses(number: String, hiddenRoutes: [String], limit: Int) throws -> [StoredEvent]
}

extension EventReading {
    /// The most recently stored events, newest first, of `entity`, `type` and `route` when given.
    public func events(entity: String? = nil, type: String? = nil, route: String? = nil, limit: Int) throws -> [Event] {
        try recentEvents(entity: entity, type: type, route: route, limit: limit)
    }

    /// Hands each record of `eventRecords(matching:before:limit:)` to `body`, for a backend that
    /// reads its rows into records first.
    public func forEachEventRecord(matching filter: EventFilter, before: Int64?, limit: Int,
                                   _ body: (EventRecordRow) throws -> Void) throws {
        for record in try eventRecords(matching: filter, before: before, limit: limit) {
            try body(EventRecordRow(record))
        }
    }
}
