import HubCore
import HubServices

// Retention: deletes what `Options.retention` lets expire, in small transactions on the write
// connection, so that a batch commit waits at most for one slice.
extension SQLiteStore {
    /// What one sweep deleted.
    public struct RetentionSweep: Sendable, Hashable {
        /// Events deleted.
        public var events = 0
        /// Dead letters deleted.
        public var deadLetters = 0

        /// Counts of a sweep.
        public init(events: Int = 0, deadLetters: Int = 0) {
            self.events = events
            self.deadLetters = deadLetters
        }
    }

    /// Deletes every event observed before its route's retention days counted back from `now`
    /// (`RetentionPolicy.eventDays(forRoute:)`) and every dead letter received before the dead
    /// letters' days, at most `sliceSize` rows a transaction, releasing the write connection between
    /// transactions. The background `RetentionTask` calls this every `Options.retentionPeriod`.
    ///
    /// Events are found through the entity index, entity by entity (the entities are those of
    /// `latest`), so a sweep reads only expired rows and one index probe per entity.
    @discardableResult
    public func sweepExpired(now: Timestamp = .now(), sliceSize: Int = 500) throws -> RetentionSweep {
        try sweepExpired(now: now, sliceSize: sliceSize, isStopping: { false })
    }

    /// `sweepExpired(now:sliceSize:)`, giving up between two slices once `isStopping` says so.
    func sweepExpired(now: Timestamp, sliceSize: Int, isStopping: () -> Bool) throws -> RetentionSweep {
        let policy = options.retention
        let slice = max(1, sliceSize)
        func cutoff(_ days: Int) -> Int64 { now.microsecondsSinceEpoch - Int64(days) * 86_400_000_000 }
        var swept = RetentionSweep()
        if let days = policy.deadLetterDays {
            while true {
                let deleted = try withWriteConnection { connection in
                    try connection.transaction {
                        try connection.query(StoreSQL.deleteExpiredDeadLetters, [.integer(cutoff(days)), .integer(Int64(slice))]) { $0.int64(0) }.count
                    }
                }
                swept.deadLetters += deleted
                if deleted < slice || isStopping() { break }
            }
        }
        guard policy.defaultEventDays != nil || !policy.eventDaysByRoute.isEmpty else { return swept }

        // Each route with days of its own, by its `names` id (a route that stored nothing has none).
        let routeCutoffs: [(route: Int64, cutoff: Int64)] = try withWriteConnection { connection in
            try policy.eventDaysByRoute.sorted { $0.key < $1.key }.compactMap { route, days in
                try connection.query(StoreSQL.nameID, [.text(route)]) { $0.int64(0) }.first.map { (route: $0, cutoff: cutoff(days)) }
            }
        }
        let defaultCutoff = policy.defaultEventDays.map(cutoff) ?? Int64.min
        let latestCutoff = routeCutoffs.map(\.cutoff).reduce(defaultCutoff, max)
        let sql = StoreSQL.deleteExpiredEvents(routesWithOwnDays: routeCutoffs.count)
        let cutoffValues = routeCutoffs.flatMap { [SQLiteValue.integer($0.route), .integer($0.cutoff)] } + [.integer(defaultCutoff)]

        var after = ""
        while true {
            let entities = try withReadConnection { connection in
                try connection.query(StoreSQL.entityKeysAfter, [.text(after), .integer(500)]) { ($0.int64(0), $0.text(1)) }
            }
            guard let last = entities.last else { break }
            var next = entities.startIndex
            while next < entities.endIndex, !isStopping() {
                // One transaction: up to `slice` rows, from as many entities as it takes.
                swept.events += try withWriteConnection { connection in
                    try connection.transaction {
                        var budget = slice
                        while budget > 0, next < entities.endIndex {
                            let deleted = try connection.query(sql, [.integer(entities[next].0), .integer(latestCutoff)] + cutoffValues
                                                               + [.integer(Int64(budget))]) { $0.int64(0) }.count
                            budget -= deleted
                            if budget > 0 { next += 1 }
                        }
                        return slice - budget
                    }
                }
            }
            after = last.1
            if isStopping() { break }
        }
        if swept.events > 0 || swept.deadLetters > 0 {
            logger.info("retention deleted expired records", ["events": String(swept.events), "deadLetters": String(swept.deadLetters)])
        }
        return swept
    }
}
