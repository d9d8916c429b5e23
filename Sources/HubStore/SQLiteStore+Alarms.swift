import HubCore

// Alarms: saved by the hub's alarm stage (on the write connection, in one transaction per call,
// beside the batch writer's own), read by the operations API.
extension SQLiteStore {
    /// The alarms that are not cleared, oldest first.
    public func openAlarms() throws -> [AlarmRecord] {
        try withReadConnection { connection in
            try connection.query("SELECT \(AlarmRecord.storedColumns) FROM alarms WHERE cleared_at IS NULL ORDER BY id", row: Self.alarm(from:))
        }
    }

    /// The alarm with this id, if kept.
    public func alarm(id: Int64) throws -> AlarmRecord? {
        try withReadConnection { connection in
            try connection.query("SELECT \(AlarmRecord.storedColumns) FROM alarms WHERE id = ?1", [.integer(id)], row: Self.alarm(from:)).first
        }
    }

    /// The alarms `query` selects, newest first, at most `limit`.
    public func alarms(matching query: AlarmQuery, limit: Int) throws -> [AlarmRecord] {
        var terms: [String] = []
        var values: [SQLiteValue] = []
        func list(_ column: String, _ items: [String], negated: Bool = false) {
            guard !items.isEmpty else { return }
            let marks = items.map { item -> String in
                values.append(.text(item))
                return "?\(values.count)"
            }
            terms.append("\(column) \(negated ? "NOT " : "")IN (\(marks.joined(separator: ", ")))")
        }
        if let open = query.open { terms.append(open ? "cleared_at IS NULL" : "cleared_at IS NOT NULL") }
        list("severity", query.severities)
        list("route", query.routes)
        list("route", query.hiddenRoutes, negated: true)
        if let entity = query.entity {
            values.append(.text(entity))
            terms.append("entity = ?\(values.count)")
        }
        if let rule = query.rule {
            values.append(.text(rule))
            terms.append("rule = ?\(values.count)")
        }
        if let before = query.before {
            values.append(.integer(before))
            terms.append("id < ?\(values.count)")
        }
        values.append(.integer(Int64(max(0, limit))))
        let condition = terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ")
        let sql = "SELECT \(AlarmRecord.storedColumns) FROM alarms \(condition) ORDER BY id DESC LIMIT ?\(values.count)"
        return try withReadConnection { connection in try connection.query(sql, values, row: Self.alarm(from:)) }
    }

    /// Saves alarms in one transaction: a new one (no id) is inserted, the others are updated.
    /// Returns them in the order given, each with its id.
    /// - Throws: `StoreError` (`.constraint` when a second open alarm of one rule and entity is inserted).
    @discardableResult
    public func saveAlarms(_ alarms: [AlarmRecord]) throws -> [AlarmRecord] {
        guard !alarms.isEmpty else { return [] }
        return try withWriteConnection { connection in
            try connection.transaction {
                var saved: [AlarmRecord] = []
                for var alarm in alarms {
                    var values: [SQLiteValue] = [
                        .text(alarm.rule), .text(alarm.severity), .text(alarm.entity), .text(alarm.entityType), .text(alarm.route),
                        .text(alarm.message), alarm.value.map(SQLiteValue.real) ?? .null, .integer(Int64(alarm.count)),
                        .integer(alarm.raisedAt.microsecondsSinceEpoch), .integer(alarm.firstObservedAt.microsecondsSinceEpoch),
                        .integer(alarm.lastObservedAt.microsecondsSinceEpoch), alarm.acknowledgedBy.map(SQLiteValue.text) ?? .null,
                        alarm.acknowledgedAt.map { .integer($0.microsecondsSinceEpoch) } ?? .null,
                        alarm.clearedAt.map { .integer($0.microsecondsSinceEpoch) } ?? .null,
                        alarm.clearedReason.map(SQLiteValue.text) ?? .null,
                    ]
                    if let id = alarm.id {
                        values.append(.integer(id))
                        try connection.run("""
                            UPDATE alarms SET rule = ?1, severity = ?2, entity = ?3, entity_type = ?4, route = ?5, message = ?6, value = ?7,
                                count = ?8, raised_at = ?9, first_observed_at = ?10, last_observed_at = ?11, acknowledged_by = ?12,
                                acknowledged_at = ?13, cleared_at = ?14, cleared_reason = ?15
                            WHERE id = ?16
                            """, values)
                    } else {
                        alarm.id = try connection.query("""
                            INSERT INTO alarms (rule, severity, entity, entity_type, route, message, value, count, raised_at,
                                                first_observed_at, last_observed_at, acknowledged_by, acknowledged_at, cleared_at, cleared_reason)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id
                            """, values) { $0.int64(0) }.first
                    }
                    saved.append(alarm)
                }
                return saved
            }
        }
    }

    /// Deletes at most `limit` alarms cleared before `cutoff` (the history's retention); returns how many.
    public func deleteClearedAlarms(before cutoff: Timestamp, limit: Int = 500) throws -> Int {
        try withWriteConnection { connection in
            try connection.query("""
                DELETE FROM alarms WHERE id IN (SELECT id FROM alarms WHERE cleared_at < ?1 ORDER BY cleared_at LIMIT ?2) RETURNING id
                """, [.integer(cutoff.microsecondsSinceEpoch), .integer(Int64(limit))]) { $0.int64(0) }.count
        }
    }

    private static func alarm(from row: PreparedStatement.Row) -> AlarmRecord {
        func time(_ column: Int32) -> Timestamp? {
            row.isNull(column) ? nil : Timestamp(microsecondsSinceEpoch: row.int64(column))
        }
        var alarm = AlarmRecord(rule: row.text(1), severity: row.text(2), entity: row.text(3), entityType: row.text(4),
                                route: row.text(5), message: row.text(6), value: row.double(7),
                                raisedAt: Timestamp(microsecondsSinceEpoch: row.int64(9)),
                                observedAt: Timestamp(microsecondsSinceEpoch: row.int64(10)))
        alarm.id = row.int64(0)
        alarm.count = Int(row.int64(8))
        alarm.lastObservedAt = Timestamp(microsecondsSinceEpoch: row.int64(11))
        alarm.acknowledgedBy = row.isNull(12) ? nil : row.text(12)
        alarm.acknowledgedAt = time(13)
        alarm.clearedAt = time(14)
        alarm.clearedReason = row.isNull(15) ? nil : row.text(15)
        return alarm
    }
}
