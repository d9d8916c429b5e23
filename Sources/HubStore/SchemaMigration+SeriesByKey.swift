extension SchemaMigration {
    /// Version 12: a series is read hour by hour through the roll-ups' primary key
    /// (`StoreSQL.hourlySeries`), so the index by entity and attribute, which every new hour of every
    /// entity's attribute wrote to, goes.
    static let seriesByKey = SchemaMigration(version: 12, summary: "series read by the roll-ups' key; their entity index dropped", sql: """
        DROP INDEX IF EXISTS rollups_by_series;
        """)
}
