extension SchemaMigration {
    /// Version 17: the batch each subscription has in flight, by its last seq, recorded before it is
    /// sent and removed once acknowledged, so that a hub restarted after a crash sends the same
    /// batch again, under the same `Idempotency-Key`, instead of one cut from what arrived since.
    static let outboxBatches = SchemaMigration(version: 17, summary: "the batch in flight of each outbound delivery", sql: """
        CREATE TABLE IF NOT EXISTS outbox_batches (
            subscription TEXT PRIMARY KEY,     -- subscriptions[].name
            last_seq     INTEGER NOT NULL      -- the batch is the subscription's outbox rows up to this seq
        ) WITHOUT ROWID;
        """)
}
