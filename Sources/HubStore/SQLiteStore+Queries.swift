import Foundation
import HubCore

// Filtered, paginated reads for the operations API. Each is one statement on the read-only
// connection; the SQL text depends only on which filters are present, so statements are reused.
extension SQLiteStore {
    /// Events matching `filter`, newest first (by insertion order), strictly older than `seq`
    /// `before` when given, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func events(matching filter: EventFilter, before: Int64? = nil, limit: Int) throws -> [StoredEvent] {
        var clause = WhereClause()
        clause.add(events: filter)
        if let before { clause.add("e.seq < ?", .integer(before)) }
        let sql = "SELECT \(StoreSQL.eventColumns), e.seq FROM \(StoreSQL.eventSource)\(clause.text) ORDER BY e.seq DESC LIMIT ?"
        let values = clause.values + [.integer(Int64(Self.pageSize(limit)))]
        return try withReadConnection { connection in
            try connection.query(sql, values) { row in
                StoredEvent(seq: row.int64(10), event: try Self.event(from: row))
            }
        }
    }

    /// The events of `events(matching:before:limit:)` as the API lists them: the events table read
    /// alone (names and attribute templates come from the read connection's `ReadDictionary`), and
    /// each event's attribute text given as stored when reading it into values would give the same
    /// text (`StoredAttributes`).
    public func eventRecords(matching filter: EventFilter, before: Int64? = nil, limit: Int) throws -> [EventRecord] {
        let (sql, values) = Self.eventRecordsQuery(matching: filter, before: before, limit: limit)
        return try withReadConnection { connection in
            try connection.query(sql, values) { row in try EventRecordRow(row, on: connection).record() }
        }
    }

    /// The rows of `eventRecords(matching:before:limit:)`, each handed to `body` as it is read,
    /// before anything of it is copied out: a page of the API is written from them directly. `body`
    /// runs while the read connection is borrowed.
    public func forEachEventRecord(matching filter: EventFilter, before: Int64? = nil, limit: Int,
                                   _ body: (EventRecordRow) throws -> Void) throws {
        let (sql, values) = Self.eventRecordsQuery(matching: filter, before: before, limit: limit)
        try withReadConnection { connection in
            try connection.statement(sql).forEachRow(values) { row in try body(EventRecordRow(row, on: connection)) }
        }
    }

    /// The statement of `eventRecords(matching:before:limit:)` and its parameters.
    static func eventRecordsQuery(matching filter: EventFilter, before: Int64?, limit: Int) -> (sql: String, values: [SQLiteValue]) {
        var clause = WhereClause()
        clause.add(events: filter)
        if let before { clause.add("e.seq < ?", .integer(before)) }
        let sql = "SELECT \(listingColumns) FROM events AS e\(clause.text) ORDER BY e.seq DESC LIMIT ?"
        return (sql, clause.values + [.integer(Int64(pageSize(limit)))])
    }

    /// The columns a listing selects from `events AS e` alone, in the order `EventRecordRow` reads
    /// them: the id as stored (`EventKey` spells it), names and the attribute
    /// template by id (a read connection's `ReadDictionary` knows their texts), the sequence number last.
    static let listingColumns = """
        e.id, e.type_id, e.entity_id, e.observed_at, e.received_at, e.route_id, e.latitude, e.longitude, e.attributes, e.shape_id, e.seq
        """

    /// Events matching `filter` stored after sequence number `after`, oldest first, at most `limit`
    /// (capped at `StoreLimits.maximumPageSize`): what a live-stream client missed, in the order it was stored.
    public func events(matching filter: EventFilter, after: Int64, limit: Int) throws -> [StoredEvent] {
        var clause = WhereClause()
        clause.add(events: filter)
        clause.add("e.seq > ?", .integer(after))
        let sql = "SELECT \(StoreSQL.eventColumns), e.seq FROM \(StoreSQL.eventSource)\(clause.text) ORDER BY e.seq LIMIT ?"
        let values = clause.values + [.integer(Int64(Self.pageSize(limit)))]
        return try withReadConnection { connection in
            try connection.query(sql, values) { row in
                StoredEvent(seq: row.int64(10), event: try Self.event(from: row))
            }
        }
    }

    /// The latest state of entities matching `filter`, ordered by entity id, after `after` when given.
    public func entities(matching filter: EventFilter, after: String? = nil, limit: Int) throws -> [Event] {
        var clause = WhereClause()
        clause.add(filter, time: "observed_at")
        if let after { clause.add("entity > ?", .text(after)) }
        let sql = """
            SELECT event_id, type, entity, observed_at, received_at, route, latitude, longitude, attributes
            FROM latest\(clause.text) ORDER BY entity LIMIT ?
            """
        let values = clause.values + [.integer(Int64(Self.pageSize(limit)))]
        return try withReadConnection { connection in
            try connection.query(sql, values, row: Self.event(from:))
        }
    }

    /// Dead letters, newest first, of the given routes (all when empty) except the hidden ones,
    /// older than id `before` when given.
    public func deadLetters(routes: [String] = [], hiddenRoutes: [String] = [], before: Int64? = nil,
                            limit: Int) throws -> [StoredDeadLetter] {
        var filter = EventFilter()
        filter.routes = routes
        filter.hiddenRoutes = hiddenRoutes
        var clause = WhereClause()
        clause.add(filter, time: nil)
        if let before { clause.add("id < ?", .integer(before)) }
        let sql = "SELECT \(StoreSQL.deadLetterColumns) FROM dead_letters\(clause.text) ORDER BY id DESC LIMIT ?"
        let values = clause.values + [.integer(Int64(Self.pageSize(limit)))]
        return try withReadConnection { connection in
            try connection.query(sql, values, row: Self.deadLetter(from:))
        }
    }

    /// Records that the dead letter `id` was replayed at `time`. False when it does not exist or
    /// was replayed already.
    public func markReplayed(deadLetter id: Int64, at time: Timestamp) throws -> Bool {
        try withWriteConnection { connection in
            try !connection.query(
                "UPDATE dead_letters SET replayed_at = ?1 WHERE id = ?2 AND replayed_at IS NULL RETURNING id",
                [.integer(time.microsecondsSinceEpoch), .integer(id)]) { $0.int64(0) }.isEmpty
        }
    }

    static func pageSize(_ limit: Int) -> Int { min(max(limit, 1), StoreLimits.maximumPageSize) }
}

/// A `WHERE` clause built from the filters present, with its parameters in order (shared by the
/// store's query files).
struct WhereClause {
    private var conditions: [String] = []
    private(set) var values: [SQLiteValue] = []

    var text: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    mutating func add(_ condition: String, _ parameters: SQLiteValue...) {
        conditions.append(condition)
        values += parameters
    }

    mutating func addIn(_ column: String, _ texts: [String], negated: Bool = false) {
        guard !texts.isEmpty else { return }
        let marks = Array(repeating: "?", count: texts.count).joined(separator: ", ")
        conditions.append("\(column) \(negated ? "NOT IN" : "IN") (\(marks))")
        values += texts.map(SQLiteValue.text)
    }

    /// The filter over `StoreSQL.eventSource`: names become their `names` ids inside the query (a
    /// name never stored matches nothing), so the integer indexes serve it. With an entity, the
    /// type and route terms are written `+e.type_id` and `+e.route_id`, which no index serves: the
    /// rows are then found by the entity (a few), never by a type or route that may have millions.
    mutating func add(events filter: EventFilter) {
        func keys(_ texts: [String]) -> String {
            "(SELECT id FROM names WHERE name IN (" + Array(repeating: "?", count: texts.count).joined(separator: ", ") + "))"
        }
        let byEntityOnly = filter.entity == nil ? "" : "+"
        if filter.types.count == 1 {
            add("\(byEntityOnly)e.type_id = (SELECT id FROM names WHERE name = ?)", .text(filter.types[0]))
        } else if !filter.types.isEmpty {
            conditions.append("\(byEntityOnly)e.type_id IN \(keys(filter.types))")
            values += filter.types.map(SQLiteValue.text)
        }
        if let entity = filter.entity { add("e.entity_id = (SELECT id FROM names WHERE name = ?)", .text(entity)) }
        if filter.routes.count == 1 {
            add("\(byEntityOnly)e.route_id = (SELECT id FROM names WHERE name = ?)", .text(filter.routes[0]))
        } else if !filter.routes.isEmpty {
            conditions.append("\(byEntityOnly)e.route_id IN \(keys(filter.routes))")
            values += filter.routes.map(SQLiteValue.text)
        }
        if !filter.hiddenRoutes.isEmpty {
            conditions.append("e.route_id NOT IN \(keys(filter.hiddenRoutes))")
            values += filter.hiddenRoutes.map(SQLiteValue.text)
        }
        if let from = filter.from { add("e.observed_at >= ?", .integer(from.microsecondsSinceEpoch)) }
        if let to = filter.to { add("e.observed_at < ?", .integer(to.microsecondsSinceEpoch)) }
        if let box = filter.boundingBox {
            add("e.longitude BETWEEN ? AND ? AND e.latitude BETWEEN ? AND ?",
                .real(box.minLongitude), .real(box.maxLongitude), .real(box.minLatitude), .real(box.maxLatitude))
        }
    }

    /// The filter over a table that keeps names as text (`latest`, and `dead_letters` with no `time`).
    mutating func add(_ filter: EventFilter, time: String?) {
        addIn("type", filter.types)
        if let entity = filter.entity { add("entity = ?", .text(entity)) }
        addIn("route", filter.routes)
        addIn("route", filter.hiddenRoutes, negated: true)
        if let time, let from = filter.from { add("\(time) >= ?", .integer(from.microsecondsSinceEpoch)) }
        if let time, let to = filter.to { add("\(time) < ?", .integer(to.microsecondsSinceEpoch)) }
        if let box = filter.boundingBox {
            add("longitude BETWEEN ? AND ? AND latitude BETWEEN ? AND ?",
                .real(box.minLongitude), .real(box.maxLongitude), .real(box.minLatitude), .real(box.maxLatitude))
        }
    }
}
