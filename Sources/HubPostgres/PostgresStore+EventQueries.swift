import HubCore
import HubStore

// The operations API's pages of events, cut by the order events were stored (`seq`): newest first
// with a cursor, and the listing's records.
extension PostgresStore: EventReading {
    /// Events matching `filter`, newest first (by insertion order), strictly older than `seq`
    /// `before` when given, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func events(matching filter: EventFilter, before: Int64? = nil, limit: Int) throws -> [StoredEvent] {
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "e")
        if let before { clause.add("e.seq < \(clause.parameter(.bigint(before)))") }
        let sql = """
            SELECT \(Self.eventColumns) FROM \(Self.eventSource)\(clause.text) \
            ORDER BY e.seq DESC LIMIT \(clause.parameter(.bigint(PostgresWhereClause.pageSize(limit))))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.storedEvent(from:))
        }
    }

    /// The events of `events(matching:before:limit:)` as the API lists them, each event's
    /// attributes as the text `Event.attributesJSON` gives for its values (as SQLite's records).
    public func eventRecords(matching filter: EventFilter, before: Int64? = nil, limit: Int) throws -> [EventRecord] {
        try events(matching: filter, before: before, limit: limit).map(EventRecord.init)
    }

    /// Events matching `filter` stored after sequence number `after`, oldest first, at most `limit`
    /// (capped at `StoreLimits.maximumPageSize`): what a live-stream client missed, in the order it was stored.
    public func events(matching filter: EventFilter, after: Int64, limit: Int) throws -> [StoredEvent] {
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "e")
        clause.add("e.seq > \(clause.parameter(.bigint(after)))")
        let sql = """
            SELECT \(Self.eventColumns) FROM \(Self.eventSource)\(clause.text) \
            ORDER BY e.seq LIMIT \(clause.parameter(.bigint(PostgresWhereClause.pageSize(limit))))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.storedEvent(from:))
        }
    }

    /// The latest state of entities matching `filter`, ordered by entity id (byte order, as
    /// SQLite's), after `after` when given, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func entities(matching filter: EventFilter, after: String? = nil, limit: Int) throws -> [Event] {
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "l")
        if let after { clause.add("entity.name COLLATE \"C\" > \(clause.parameter(.text(after)))") }
        let sql = """
            SELECT \(Self.latestColumns) FROM \(Self.latestByName)\(clause.text) \
            ORDER BY entity.name COLLATE "C" LIMIT \(clause.parameter(.bigint(PostgresWhereClause.pageSize(limit))))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.latestEvent(from:))
        }
    }

    /// The columns a read of latest states selects, in the order `latestEvent(from:)` reads them.
    static let latestColumns = """
        l.event_id, l.observed_at, type.name, entity.name, route.name, l.received_at, l.latitude, l.longitude, l.attributes
        """

    /// The latest states with their names.
    static let latestSource = """
        latest AS l JOIN names AS entity ON entity.id = l.entity_id JOIN names AS type ON type.id = l.type_id \
        JOIN names AS route ON route.id = l.route_id
        """

    /// The latest states in the order of their entity ids, byte for byte: the dictionary read in the
    /// order of its `names_by_bytes` index, each name's latest state found by its key, so that a page
    /// reads its rows and no more (the other names, types and routes, are few).
    static let latestByName = """
        names AS entity JOIN latest AS l ON l.entity_id = entity.id JOIN names AS type ON type.id = l.type_id \
        JOIN names AS route ON route.id = l.route_id
        """

    /// An entity's latest state from a row of `latestColumns`.
    static func latestEvent(from row: PostgresRow) throws -> Event {
        let id = row.text(0)
        let location = row.double(6).flatMap { latitude in row.double(7).flatMap { GeoPoint(latitude: latitude, longitude: $0) } }
        return Event(id: EventID(rawValue: id), type: row.text(2), entity: row.text(3),
                     observedAt: Timestamp(microsecondsSinceEpoch: row.int64(1)),
                     receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(5)), route: row.text(4), location: location,
                     attributes: try StoredAttributes.values(of: row.text(8), event: id))
    }
}
