extension SchemaMigration {
    /// Version 11: the indexes read newest first (by entity, type and route) hold only their key.
    ///
    /// SQLite ends every index entry with the row's `rowid`, which `seq` is. An index on
    /// `(entity_id, seq)` therefore kept `seq` twice; one on `(entity_id)` has the same order (an
    /// entity's entries by `seq`), serves the same `WHERE entity_id = ? ORDER BY seq DESC` without a
    /// sort, and is about a quarter smaller. Rebuilding the three takes some seconds per million events.
    static let seqIndexes = SchemaMigration(version: 11, summary: "entity, type and route indexes keyed without a second seq", sql: """
        DROP INDEX events_by_entity_seq;
        DROP INDEX events_by_type_seq;
        DROP INDEX events_by_route_seq;
        CREATE INDEX events_by_entity_seq ON events(entity_id);
        CREATE INDEX events_by_type_seq ON events(type_id);
        CREATE INDEX events_by_route_seq ON events(route_id);
        """)
}
