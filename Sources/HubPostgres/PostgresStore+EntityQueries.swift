import HubCore
import HubStore

// Reads the NGSI-LD view needs beyond the operations API's pages: counts and offsets over the
// latest states, what types and attributes are stored, and one entity's history by observation time.
extension PostgresStore {
    /// How many entities match `filter` (their latest state).
    public func entityCount(matching filter: EventFilter) throws -> Int {
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "l")
        return try withReadConnection { connection in
            Int(try connection.query("SELECT count(*) FROM latest AS l\(clause.text)", clause.values) { $0.int64(0) }.first ?? 0)
        }
    }

    /// The latest state of entities matching `filter`, ordered by entity id (byte order), skipping
    /// the first `offset`, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func entities(matching filter: EventFilter, offset: Int, limit: Int) throws -> [Event] {
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "l")
        let sql = """
            SELECT \(Self.latestColumns) FROM \(Self.latestByName)\(clause.text) ORDER BY entity.name COLLATE "C" \
            LIMIT \(clause.parameter(.bigint(PostgresWhereClause.pageSize(limit)))) OFFSET \(clause.parameter(.bigint(Int64(max(offset, 0)))))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.latestEvent(from:))
        }
    }

    /// Each stored type with its number of entities and, per attribute name, how many of them
    /// carry it in their latest state, leaving out the entities of `hiddenRoutes`.
    public func entityTypeSummaries(hiddenRoutes: [String] = []) throws -> [EntityTypeSummary] {
        var filter = EventFilter()
        filter.hiddenRoutes = hiddenRoutes
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "l")
        var summaries: [String: EntityTypeSummary] = [:]
        try withReadConnection { connection in
            let counts = """
                SELECT type.name, count(*), count(l.latitude) FROM latest AS l JOIN names AS type ON type.id = l.type_id\(clause.text)
                GROUP BY type.name
                """
            for (type, entities, located) in try connection.query(counts, clause.values, row: { ($0.text(0), Int($0.int64(1)), Int($0.int64(2))) }) {
                summaries[type] = EntityTypeSummary(type: type, entityCount: entities, locatedCount: located, attributeCounts: [:])
            }
            let attributes = """
                SELECT type.name, attribute.name, count(*)
                FROM latest AS l JOIN names AS type ON type.id = l.type_id
                CROSS JOIN LATERAL json_object_keys(l.attributes::json) AS attribute(name)\(clause.text)
                GROUP BY type.name, attribute.name
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
                SELECT received_at FROM events WHERE entity_id = (SELECT id FROM names WHERE name = $1) ORDER BY seq LIMIT 1
                """, [.text(entity)]) {
                Timestamp(microsecondsSinceEpoch: $0.int64(0))
            }.first
        }
    }

    /// The stored events of `entity` observed at or after `from` and before `to` (when given), the
    /// most recently observed first, at most `limit`, capped at one more than
    /// `StoreLimits.maximumPageSize` so that a caller keeping a full page can tell whether the
    /// history goes on. The entity and its times are the events' primary key: one node, and only
    /// the partitions of the days asked for.
    public func history(entity: String, from: Timestamp?, to: Timestamp?, limit: Int) throws -> [Event] {
        var filter = EventFilter()
        filter.entity = entity
        filter.from = from
        filter.to = to
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "e")
        let bound = Int64(min(max(limit, 1), StoreLimits.maximumPageSize + 1))
        let sql = """
            SELECT \(Self.eventColumns) FROM \(Self.eventSource)\(clause.text) \
            ORDER BY e.observed_at DESC, e.seq DESC LIMIT \(clause.parameter(.bigint(bound)))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.storedEvent(from:)).map(\.event)
        }
    }
}
