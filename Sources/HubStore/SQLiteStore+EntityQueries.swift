import Foundation
import HubCore

// Reads the NGSI-LD view needs beyond the operations API's pages: counts and offsets over the
// latest state, what types and attributes are stored, and one entity's history by observation time.
extension SQLiteStore {
    /// How many entities match `filter` (their latest state).
    public func entityCount(matching filter: EventFilter) throws -> Int {
        var clause = WhereClause()
        clause.add(filter, time: "observed_at")
        return try withReadConnection { connection in
            Int(try connection.query("SELECT count(*) FROM latest\(clause.text)", clause.values) { $0.int64(0) }.first ?? 0)
        }
    }

    /// The latest state of entities matching `filter`, ordered by entity id, skipping the first
    /// `offset`, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func entities(matching filter: EventFilter, offset: Int, limit: Int) throws -> [Event] {
        var clause = WhereClause()
        clause.add(filter, time: "observed_at")
        let sql = """
            SELECT event_id, type, entity, observed_at, received_at, route, latitude, longitude, attributes
            FROM latest\(clause.text) ORDER BY entity LIMIT ? OFFSET ?
            """
        let values = clause.values + [.integer(Int64(Self.pageSize(limit))), .integer(Int64(max(offset, 0)))]
        return try withReadConnection { connection in
            try connection.query(sql, values, row: Self.event(from:))
        }
    }

    /// Each stored type with its number of entities and, per attribute name, how many of them
    /// carry it in their latest state, leaving out the entities of `hiddenRoutes`.
    public func entityTypeSummaries(hiddenRoutes: [String] = []) throws -> [EntityTypeSummary] {
        var filter = EventFilter()
        filter.hiddenRoutes = hiddenRoutes
        var clause = WhereClause()
        clause.add(filter, time: nil)
        var summaries: [String: EntityTypeSummary] = [:]
        try withReadConnection { connection in
            let counts = "SELECT type, count(*), count(latitude) FROM latest\(clause.text) GROUP BY type"
            for (type, entities, located) in try connection.query(counts, clause.values, row: { ($0.text(0), Int($0.int64(1)), Int($0.int64(2))) }) {
                summaries[type] = EntityTypeSummary(type: type, entityCount: entities, locatedCount: located, attributeCounts: [:])
            }
            let attributes = """
                SELECT latest.type, attribute.key, count(*) FROM latest, json_each(latest.attributes) AS attribute\(clause.text)
                GROUP BY latest.type, attribute.key
                """
            for (type, name, count) in try connection.query(attributes, clause.values, row: { ($0.text(0), $0.text(1), Int($0.int64(2))) }) {
                summaries[type]?.attributeCounts[name] = count
            }
        }
        return summaries.values.sorted { $0.type < $1.type }
    }

    /// When the hub received the first stored event of `entity`, if any.
    public func firstReceived(entity: String) throws -> Timestamp? {
        try withReadConnection { connection in
            try connection.query("""
                SELECT received_at FROM events WHERE entity_id = (SELECT id FROM names WHERE name = ?1) ORDER BY seq LIMIT 1
                """, [.text(entity)]) {
                Timestamp(microsecondsSinceEpoch: $0.int64(0))
            }.first
        }
    }

    /// The stored events of `entity` observed at or after `from` and before `to` (when given), the
    /// most recently observed first, at most `limit`, capped at one more than `StoreLimits.maximumPageSize` so
    /// that a caller keeping a full page can tell whether the history goes on.
    ///
    /// Read through the entity index and sorted by observation time (keeping the first `limit`
    /// only): no index by entity and time is kept, since every commit would rewrite a page of it
    /// per entity; the time is that of reading the entity's stored events.
    public func history(entity: String, from: Timestamp?, to: Timestamp?, limit: Int) throws -> [Event] {
        var filter = EventFilter()
        filter.entity = entity
        filter.from = from
        filter.to = to
        var clause = WhereClause()
        clause.add(events: filter)
        let sql = "SELECT \(StoreSQL.eventColumns) FROM \(StoreSQL.eventSource)\(clause.text) ORDER BY e.observed_at DESC, e.seq DESC LIMIT ?"
        return try withReadConnection { connection in
            try connection.query(sql, clause.values + [.integer(Int64(min(max(limit, 1), StoreLimits.maximumPageSize + 1)))], row: Self.event(from:))
        }
    }
}
