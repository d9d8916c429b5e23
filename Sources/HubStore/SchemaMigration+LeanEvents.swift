import HubCore

extension SchemaMigration {
    /// Version 7: the lean event layout (issue 11), designed from what the hub reads and what a commit costs.
    ///
    /// - Entity ids, types and routes become small integers of one dictionary, `names` (the write
    ///   connection caches it), so that a row and its index entries hold a few bytes instead of the
    ///   texts, repeated in five indexes.
    /// - The id is kept as 16 bytes (`EventKey`): it begins with the observation time, so the unique
    ///   check that makes a re-delivery harmless appends to the end of its index instead of touching
    ///   a random page per row.
    /// - The device registry is folded per batch in Swift (`DeviceRegistryFold`): the per-row
    ///   triggers and their `json_extract` calls go.
    /// - The indexes are those the API reads by: by entity and observation time (history), by entity,
    ///   type and route newest first (`seq`), plus the time a dead letter was received, which retention
    ///   deletes by.
    ///
    /// Rows keep their `seq` (stream ids and page cursors stay valid) and every column as it was.
    static let leanEvents = SchemaMigration(version: 7, summary: "lean events: integer names, 16-byte ids, registry folded per batch", sql: """
        CREATE TABLE names (
            id   INTEGER PRIMARY KEY,            -- what events.entity_id, type_id and route_id hold
            name TEXT NOT NULL UNIQUE            -- an entity id, a type or a route name
        );
        CREATE TABLE lean_events (
            seq         INTEGER PRIMARY KEY,     -- insertion order
            id          BLOB NOT NULL,           -- EventKey: 16 bytes, or the id's text when not 32 hex digits
            entity_id   INTEGER NOT NULL,        -- names.id
            type_id     INTEGER NOT NULL,        -- names.id
            route_id    INTEGER NOT NULL,        -- names.id
            observed_at INTEGER NOT NULL,        -- microseconds since the Unix epoch, UTC
            received_at INTEGER NOT NULL,        -- microseconds since the Unix epoch, UTC
            latitude    REAL,                    -- WGS84, both NULL when the event has no location
            longitude   REAL,
            attributes  TEXT NOT NULL            -- Event.attributesJSON
        );
        INSERT INTO names (name) SELECT entity FROM events UNION SELECT type FROM events UNION SELECT route FROM events;
        """, apply: { connection in
            // Copied in Swift because the id changes form (SQLite 3.40 has no unhex()).
            let insert = try connection.statement("""
                INSERT INTO lean_events (seq, id, entity_id, type_id, route_id, observed_at, received_at, latitude, longitude, attributes)
                VALUES (?1, ?2, (SELECT id FROM names WHERE name = ?3), (SELECT id FROM names WHERE name = ?4),
                        (SELECT id FROM names WHERE name = ?5), ?6, ?7, ?8, ?9, ?10)
                """)
            let rows = try connection.statement("""
                SELECT seq, id, entity, type, route, observed_at, received_at, latitude, longitude, attributes FROM events ORDER BY seq
                """)
            try rows.forEachRow { row in
                try insert.execute([
                    .integer(row.int64(0)), EventKey.value(of: EventID(rawValue: row.text(1)), observedAt: nil), .text(row.text(2)),
                    .text(row.text(3)), .text(row.text(4)), .integer(row.int64(5)), .integer(row.int64(6)),
                    .real(row.double(7)), .real(row.double(8)), .text(row.text(9)),
                ])
            }
            try connection.execute(script: """
                DROP TRIGGER devices_heard;
                DROP TRIGGER devices_status;
                DROP TABLE events;
                ALTER TABLE lean_events RENAME TO events;
                CREATE UNIQUE INDEX events_by_id ON events(id);
                CREATE INDEX events_by_entity ON events(entity_id, observed_at);
                CREATE INDEX events_by_entity_seq ON events(entity_id, seq);
                CREATE INDEX events_by_type_seq ON events(type_id, seq);
                CREATE INDEX events_by_route_seq ON events(route_id, seq);
                CREATE INDEX dead_letters_by_received ON dead_letters(received_at);
                """)
        })
}
