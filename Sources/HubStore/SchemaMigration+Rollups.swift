import HubCore

extension SchemaMigration {
    /// Version 8: roll-ups (issue 11), per entity and numeric attribute, per hour and per day.
    ///
    /// Self-contained: it adds its own table and fills it from the events already stored, so it
    /// can be renumbered when merged without touching another step. Kept by `RollupFold` as batches
    /// commit; expired on their own days (`RetentionPolicy.rollupDays`), never with the raw events.
    ///
    /// Rows are kept in bucket order (the primary key starts with step and bucket), so the upserts of
    /// a commit, which fall in the current hour and day, rewrite a few neighbouring pages instead of
    /// one page per entity; the series index (entity, attribute, step, bucket) changes only when a
    /// bucket is first created.
    static let rollups = SchemaMigration(version: 8, summary: "roll-ups of numeric attributes per hour and per day", sql: """
        CREATE TABLE rollups (
            entity_id        INTEGER NOT NULL,   -- names.id of the entity
            attribute_id     INTEGER NOT NULL,   -- names.id of the attribute's name
            step             INTEGER NOT NULL,   -- bucket width in seconds: 3600 or 86400
            bucket           INTEGER NOT NULL,   -- bucket start, microseconds since the Unix epoch, UTC
            count            INTEGER NOT NULL,   -- values observed in the bucket
            min              REAL NOT NULL,
            max              REAL NOT NULL,
            sum              REAL NOT NULL,      -- mean = sum / count
            last             REAL NOT NULL,      -- value of the latest observation in the bucket
            last_observed_at INTEGER NOT NULL,   -- its observation time, microseconds
            PRIMARY KEY (step, bucket, entity_id, attribute_id)
        ) WITHOUT ROWID;
        CREATE INDEX rollups_by_series ON rollups(entity_id, attribute_id, step, bucket);
        """, apply: { connection in
            // Fill from the stored events, a part at a time (the upsert merges parts).
            var fold = RollupFold()
            var folded = 0
            let rows = try connection.statement("""
                SELECT e.entity_id, e.observed_at, e.attributes FROM events AS e ORDER BY e.seq
                """)
            try rows.forEachRow { row in
                guard let members = (try? JSONValue(parsing: row.text(2)))?.objectValue else { return }
                try fold.apply(entity: row.int64(0), observedAt: row.int64(1),
                               attributes: members.compactMapValues { Value(storedForm: $0) }, on: connection)
                folded += 1
                if folded % 50_000 == 0 {
                    try fold.write(on: connection)
                    fold.removeAll()
                }
            }
            try fold.write(on: connection)
        })
}
