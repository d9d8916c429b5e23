extension SchemaMigration {
    /// Version 14: an id `EventID.make` built for the event's own observation time keeps only its
    /// hash half, as an INTEGER (`EventKey`): its time half is `observed_at`. The unique index moves
    /// to `(observed_at, id)`, still appending as events arrive in time order; ids of other forms
    /// (BLOB, TEXT) stay unique through a partial index that new events of the usual form never
    /// enter. A stored reading is 8 bytes smaller.
    static let idHashes = SchemaMigration(version: 14, summary: "ids kept as their hash beside the observation time", sql: """
        DROP INDEX IF EXISTS events_by_id;
        DROP INDEX IF EXISTS events_by_legacy_id;
        """, apply: { connection in
            // Rewritten in Swift (SQLite 3.40 cannot turn bytes into an integer), one row at a time.
            let update = try connection.statement("UPDATE events SET id = ?1 WHERE seq = ?2")
            let rows = try connection.statement("SELECT seq, id, observed_at FROM events WHERE typeof(id) = 'blob' AND length(id) = 16")
            var updates: [(seq: Int64, hash: Int64)] = []
            try rows.forEachRow { row in
                if let hash = EventKey.hash(ofBytes: row.blob(1), observedAt: row.int64(2)) { updates.append((row.int64(0), hash)) }
            }
            for row in updates { try update.execute([.integer(row.hash), .integer(row.seq)]) }
            try connection.execute(script: """
                CREATE UNIQUE INDEX events_by_id ON events(observed_at, id);
                CREATE UNIQUE INDEX events_by_legacy_id ON events(id) WHERE typeof(id) <> 'integer';
                """)
        })
}
