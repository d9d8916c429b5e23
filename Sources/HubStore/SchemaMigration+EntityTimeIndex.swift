extension SchemaMigration {
    /// Version 13: the index by entity and observation time goes. Each commit rewrote a page of it
    /// for every entity in the batch (about 45 % of the bytes the writer logged, and 21 bytes a
    /// stored reading). Retention now reads each route's events in insertion order
    /// (`StoreSQL.routeEventTimes`), and an entity's history by observation time is read through
    /// the entity index and sorted (`SQLiteStore.history`).
    static let entityTimeIndexDropped = SchemaMigration(version: 13, summary: "index by entity and observation time dropped", sql: """
        DROP INDEX IF EXISTS events_by_entity;
        """)
}
