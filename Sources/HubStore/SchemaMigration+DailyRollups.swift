extension SchemaMigration {
    /// Version 10: a day's roll-up is read as the sum of its hours (`StoreSQL.dailySeries`) instead
    /// of being kept beside them, so each commit upserts one bucket per entity and attribute instead
    /// of two. The day rows go; the hours they were summed from are all still there (both expire on
    /// the same `rollupDays`).
    static let dailyRollupsFromHours = SchemaMigration(version: 10, summary: "day roll-ups summed from hours when read", sql: """
        DELETE FROM rollups WHERE step = 86400;
        """)
}
