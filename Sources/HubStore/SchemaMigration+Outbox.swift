extension SchemaMigration {
    /// Version 16: the outbox of outbound deliveries (issue 14). One row per subscription and event
    /// to deliver, written in the same transaction as the event (`SQLiteStore.write`), removed once
    /// the target acknowledged it. The event is referred to by its seq, never copied. Beside it, the
    /// subscriptions created through the API (`POST /api/v1/subscriptions`), as their JSON
    /// definition (`${VAR}` references kept as written, never a secret).
    ///
    /// Self-contained (its own table), so it can be renumbered when merged without touching another step.
    static let outbox = SchemaMigration(version: 16, summary: "outbox of outbound deliveries: events waiting for each subscription; subscriptions made through the API", sql: """
        CREATE TABLE IF NOT EXISTS outbox (
            subscription TEXT NOT NULL,        -- subscriptions[].name
            seq          INTEGER NOT NULL,     -- events.seq of the event to deliver
            PRIMARY KEY (subscription, seq)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS api_subscriptions (
            name         TEXT PRIMARY KEY,     -- the subscription's name
            definition   TEXT NOT NULL,        -- its JSON, as posted
            created_at   INTEGER NOT NULL      -- microseconds since the Unix epoch, UTC
        ) WITHOUT ROWID;
        """)
}
