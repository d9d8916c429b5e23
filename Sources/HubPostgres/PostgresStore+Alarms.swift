import HubCore
import HubStore

/// The alarms in PostgreSQL (`alarms`, `PostgresKeepingSchema`): saved by the alarm stage on the
/// write connection, one transaction per call, and read by the operations API; the same contract as
/// SQLite's. At most one alarm per rule and entity is open, which a partial unique index enforces
/// for every hub sharing the database: a second one is refused as `StoreError` `.constraint`.
///
/// Ids come from an identity column: increasing, but an insert that was rolled back leaves a gap
/// (SQLite gives the next insert the same id again).
extension PostgresStore: AlarmKeeping {
    /// The alarms that are not cleared, oldest first.
    public func openAlarms() throws -> [AlarmRecord] {
        try withReadConnection { connection in
            try connection.query("SELECT \(AlarmRecord.storedColumns) FROM alarms WHERE cleared_at IS NULL ORDER BY id", row: Self.alarm(from:))
        }
    }

    /// The alarm with this id, if kept.
    public func alarm(id: Int64) throws -> AlarmRecord? {
        try withReadConnection { connection in
            try connection.query("SELECT \(AlarmRecord.storedColumns) FROM alarms WHERE id = $1", [.bigint(id)], row: Self.alarm(from:)).first
        }
    }

    /// The alarms `query` selects, newest first, at most `limit`.
    public func alarms(matching query: AlarmQuery, limit: Int) throws -> [AlarmRecord] {
        var terms: [String] = []
        var values: [PostgresValue] = []
        func term(_ value: PostgresValue, _ condition: (String) -> String) {
            values.append(value)
            terms.append(condition("$\(values.count)"))
        }
        if let open = query.open { terms.append(open ? "cleared_at IS NULL" : "cleared_at IS NOT NULL") }
        if !query.severities.isEmpty { term(.textArray(query.severities)) { "severity = ANY(\($0))" } }
        if !query.routes.isEmpty { term(.textArray(query.routes)) { "route = ANY(\($0))" } }
        if !query.hiddenRoutes.isEmpty { term(.textArray(query.hiddenRoutes)) { "route <> ALL(\($0))" } }
        if let entity = query.entity { term(.text(entity)) { "entity = \($0)" } }
        if let rule = query.rule { term(.text(rule)) { "rule = \($0)" } }
        if let before = query.before { term(.bigint(before)) { "id < \($0)" } }
        values.append(.bigint(Int64(max(0, limit))))
        let condition = terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ")
        let sql = "SELECT \(AlarmRecord.storedColumns) FROM alarms \(condition) ORDER BY id DESC LIMIT $\(values.count)"
        return try withReadConnection { connection in try connection.query(sql, values, row: Self.alarm(from:)) }
    }

    /// Saves alarms in one transaction: a new one (no id) is inserted, the others are updated.
    /// Returns them in the order given, each with its id.
    /// - Throws: `StoreError` (`.constraint` when a second open alarm of one rule and entity is inserted).
    @discardableResult
    public func saveAlarms(_ alarms: [AlarmRecord]) throws -> [AlarmRecord] {
        guard !alarms.isEmpty else { return [] }
        return try withWriteConnection { connection in
            do {
                return try connection.transaction {
                    try alarms.map { alarm in try Self.saveAlarm(alarm, on: connection) }
                }
            } catch let error as PostgresError {
                throw error.asStoreError("saving alarms")
            }
        }
    }

    /// Deletes at most `limit` alarms cleared before `cutoff` (the history's retention); returns how many.
    public func deleteClearedAlarms(before cutoff: Timestamp, limit: Int = 500) throws -> Int {
        try withWriteConnection { connection in
            try connection.execute("""
                DELETE FROM alarms WHERE id IN (SELECT id FROM alarms WHERE cleared_at < $1 ORDER BY cleared_at LIMIT $2)
                """, [.bigint(cutoff.microsecondsSinceEpoch), .bigint(Int64(max(0, limit)))])
        }
    }

    /// Inserts `alarm` when it has no id, updates it otherwise; returns it with its id.
    private static func saveAlarm(_ alarm: AlarmRecord, on connection: PostgresConnection) throws -> AlarmRecord {
        var alarm = alarm
        var values: [PostgresValue] = [
            .text(alarm.rule), .text(alarm.severity), .text(alarm.entity), .text(alarm.entityType), .text(alarm.route),
            .text(alarm.message), .double(alarm.value), .bigint(Int64(alarm.count)),
            .bigint(alarm.raisedAt.microsecondsSinceEpoch), .bigint(alarm.firstObservedAt.microsecondsSinceEpoch),
            .bigint(alarm.lastObservedAt.microsecondsSinceEpoch), alarm.acknowledgedBy.map(PostgresValue.text) ?? .null,
            .bigint(alarm.acknowledgedAt?.microsecondsSinceEpoch), .bigint(alarm.clearedAt?.microsecondsSinceEpoch),
            alarm.clearedReason.map(PostgresValue.text) ?? .null,
        ]
        if let id = alarm.id {
            values.append(.bigint(id))
            try connection.execute("""
                UPDATE alarms SET rule = $1, severity = $2, entity = $3, entity_type = $4, route = $5, message = $6, value = $7,
                    count = $8, raised_at = $9, first_observed_at = $10, last_observed_at = $11, acknowledged_by = $12,
                    acknowledged_at = $13, cleared_at = $14, cleared_reason = $15
                WHERE id = $16
                """, values)
        } else {
            alarm.id = try connection.query("""
                INSERT INTO alarms (rule, severity, entity, entity_type, route, message, value, count, raised_at,
                                    first_observed_at, last_observed_at, acknowledged_by, acknowledged_at, cleared_at, cleared_reason)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id
                """, values) { $0.int64(0) }.first
        }
        return alarm
    }

    private static func alarm(from row: PostgresRow) -> AlarmRecord {
        func time(_ column: Int32) -> Timestamp? { row.optionalInt64(column).map(Timestamp.init(microsecondsSinceEpoch:)) }
        var alarm = AlarmRecord(rule: row.text(1), severity: row.text(2), entity: row.text(3), entityType: row.text(4),
                                route: row.text(5), message: row.text(6), value: row.double(7),
                                raisedAt: Timestamp(microsecondsSinceEpoch: row.int64(9)),
                                observedAt: Timestamp(microsecondsSinceEpoch: row.int64(10)))
        alarm.id = row.int64(0)
        alarm.count = Int(row.int64(8))
        alarm.lastObservedAt = Timestamp(microsecondsSinceEpoch: row.int64(11))
        alarm.acknowledgedBy = row.optionalText(12)
        alarm.acknowledgedAt = time(13)
        alarm.clearedAt = time(14)
        alarm.clearedReason = row.optionalText(15)
        return alarm
    }
}
