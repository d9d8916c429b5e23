extension SchemaMigration {
    /// Version 15: alarms (issue 14), one row per alarm from raised to cleared, kept by the hub's
    /// alarm stage. At most one alarm per rule and entity is open (not cleared): a partial unique
    /// index says so. Cleared alarms are the history, expired after `store.alarmRetentionDays`.
    ///
    /// Self-contained (its own table, nothing filled from the events), so it can be renumbered when
    /// merged without touching another step.
    static let alarms = SchemaMigration(version: 15, summary: "alarms raised by rules: open ones and their history", sql: """
        CREATE TABLE IF NOT EXISTS alarms (
            id               INTEGER PRIMARY KEY,
            rule             TEXT NOT NULL,     -- rules[].name
            severity         TEXT NOT NULL,     -- critical, major, minor, warning
            entity           TEXT NOT NULL,     -- the entity the rule found in alarm
            entity_type      TEXT NOT NULL,     -- the type of the event that raised it
            route            TEXT NOT NULL,     -- the route of that event (restricted routes stay restricted)
            message          TEXT NOT NULL,     -- the condition and what broke it, in words
            value            REAL,              -- the latest value past the limit (thresholds), NULL otherwise
            count            INTEGER NOT NULL,  -- evaluations that found the condition, the first included
            raised_at        INTEGER NOT NULL,  -- microseconds since the Unix epoch, UTC, by the hub's clock
            first_observed_at INTEGER NOT NULL, -- observation time of the event that raised it
            last_observed_at INTEGER NOT NULL,  -- observation (absence: receipt) time of the latest event found in alarm
            acknowledged_by  TEXT,              -- the name of the operator's token; NULL until acknowledged
            acknowledged_at  INTEGER,
            cleared_at       INTEGER,           -- NULL while open
            cleared_reason   TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS alarms_open ON alarms(rule, entity) WHERE cleared_at IS NULL;
        CREATE INDEX IF NOT EXISTS alarms_by_cleared_at ON alarms(cleared_at) WHERE cleared_at IS NOT NULL;
        """)
}
