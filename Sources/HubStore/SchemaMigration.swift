/// One step of the database schema, applied once and recorded in `PRAGMA user_version`.
///
/// To change the schema, append a migration with the next version; never edit one that has shipped.
struct SchemaMigration {
    /// The `user_version` the database has after this step.
    let version: Int32
    /// What the step does, for the log.
    let summary: String
    /// The SQL that makes the change (several statements allowed).
    let sql: String

    /// Every migration, oldest first.
    static let all: [SchemaMigration] = [
        SchemaMigration(version: 1, summary: "events, latest state per entity, dead letters", sql: """
            CREATE TABLE events (
                seq         INTEGER PRIMARY KEY,     -- insertion order
                id          TEXT NOT NULL UNIQUE,    -- EventID: a re-delivered event is ignored
                type        TEXT NOT NULL,
                entity      TEXT NOT NULL,
                observed_at INTEGER NOT NULL,        -- microseconds since the Unix epoch, UTC
                received_at INTEGER NOT NULL,        -- microseconds since the Unix epoch, UTC
                route       TEXT NOT NULL,
                latitude    REAL,                    -- WGS84, both NULL when the event has no location
                longitude   REAL,
                attributes  TEXT NOT NULL            -- Event.attributesJSON
            );
            CREATE INDEX events_by_entity ON events(entity, observed_at);

            CREATE TABLE latest (
                entity      TEXT PRIMARY KEY,        -- one row per entity: its most recent observation
                event_id    TEXT NOT NULL,
                type        TEXT NOT NULL,
                observed_at INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                route       TEXT NOT NULL,
                latitude    REAL,
                longitude   REAL,
                attributes  TEXT NOT NULL
            );

            CREATE TABLE dead_letters (
                id          INTEGER PRIMARY KEY,
                route       TEXT NOT NULL,
                source      TEXT NOT NULL,           -- Envelope.Source: mqtt, feed, webhook, file
                origin      TEXT NOT NULL,           -- MQTT topic, feed URL, webhook path or file name
                payload     BLOB NOT NULL,           -- the raw bytes, exactly
                reason      TEXT NOT NULL,
                received_at INTEGER NOT NULL
            );
            """),
        // Version 4 (issues 2 and 3 take 2 and 3): what the operations API reads by.
        SchemaMigration(version: 4, summary: "indexes for the operations API; dead letters record their replay", sql: """
            CREATE INDEX events_by_entity_seq ON events(entity, seq);
            CREATE INDEX events_by_type_seq ON events(type, seq);
            CREATE INDEX events_by_route_seq ON events(route, seq);
            CREATE INDEX latest_by_type ON latest(type, entity);
            ALTER TABLE dead_letters ADD COLUMN replayed_at INTEGER;  -- microseconds; NULL until replayed
            CREATE INDEX dead_letters_by_route ON dead_letters(route, id);
            """),
    ]

    /// The version a database has once every migration is applied.
    static var latestVersion: Int32 { all.last?.version ?? 0 }
}
