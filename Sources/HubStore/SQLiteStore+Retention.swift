import Foundation
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
        /// Roll-up buckets deleted.
        public var rollups = 0

        /// Counts of a sweep.
        public init(events: Int = 0, deadLetters: Int = 0, rollups: Int = 0) {
            self.events = events
            self.deadLetters = deadLetters
            self.rollups = rollups
        }
    }

    /// Deletes every event observed before its route's retention days counted back from `now`
    /// (`RetentionPolicy.eventDays(forRoute:)`), every dead letter received before the dead
    /// letters' days and every roll-up bucket that started before the roll-ups' days, in slices:
    /// at most `sliceSize` rows a transaction (events: and at most `sliceTime` of deleting), each
    /// followed by a pause as long as the slice held the write connection, so that batch commits
    /// wait for one short slice at most and the sweep takes at most about half of the connection's
    /// time. The background `RetentionTask` calls this every `Options.retentionPeriod`.
    ///
    /// Expired events are found through the entity index, entity by entity (the entities are those
    /// of `latest`), so a sweep reads only expired rows and one index probe per entity; they are
    /// deleted in `seq` order, and a write-ahead log grown past `Options.walLimitBytes` is truncated
    /// between slices as after a commit.
    @discardableResult
    public func sweepExpired(now: Timestamp = .now(), sliceSize: Int = 500) throws -> RetentionSweep {
        try sweepExpired(now: now, sliceSize: sliceSize, isStopping: { false })
    }

    /// `sweepExpired(now:sliceSize:)`, each slice of events deleting for at most `sliceTime` (at
    /// least one row), giving up between two slices once `isStopping` says so.
    func sweepExpired(now: Timestamp, sliceSize: Int, sliceTime: Duration = SQLiteStore.sliceTime,
                      isStopping: () -> Bool) throws -> RetentionSweep {
        let policy = options.retention
        let slice = max(1, sliceSize)
        func cutoff(_ days: Int) -> Int64 { now.microsecondsSinceEpoch - Int64(days) * 86_400_000_000 }
        var swept = RetentionSweep()
        if let days = policy.deadLetterDays {
            while true {
                let deleted = try pacedSlice { connection in
                    try connection.transaction {
                        try connection.query(StoreSQL.deleteExpiredDeadLetters, [.integer(cutoff(days)), .integer(Int64(slice))]) { $0.int64(0) }.count
                    }
                }
                swept.deadLetters += deleted
                if deleted < slice || isStopping() { break }
            }
        }
        if let days = policy.rollupDays {
            let values: [SQLiteValue] = [.integer(cutoff(days)), .integer(Int64(slice))]
            while true {
                let deleted = try pacedSlice { connection in
                    try connection.transaction {
                        try connection.query(StoreSQL.deleteExpiredRollups, values) { $0.int64(0) }.count
                    }
                }
                swept.rollups += deleted
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
        let sql = StoreSQL.expiredEvents(routesWithOwnDays: routeCutoffs.count)
        let cutoffValues = routeCutoffs.flatMap { [SQLiteValue.integer($0.route), .integer($0.cutoff)] } + [.integer(defaultCutoff)]

        // Expired rows are found through the entity index (reads only), a page of entities at a
        // time, then deleted in `seq` order: neighbours in the table and in the id, type and route
        // indexes go in the same slice, so each slice rewrites few pages.
        var after = ""
        while !isStopping() {
            let entities = try withReadConnection { connection in
                try connection.query(StoreSQL.entityKeysAfter, [.text(after), .integer(200)]) { ($0.int64(0), $0.text(1)) }
            }
            guard let last = entities.last else { break }
            // At most about 20,000 rows a round in memory; an entity with more is read again next round.
            let perEntity = max(100, 20_000 / entities.count)
            let found = try withReadConnection { connection in
                try entities.map { entity in
                    try connection.query(sql, [.integer(entity.0), .integer(latestCutoff)] + cutoffValues + [.integer(Int64(perEntity))]) {
                        $0.int64(0)
                    }
                }
            }
            let expired = found.flatMap { $0 }.sorted()
            var next = expired.startIndex
            while next < expired.endIndex, !isStopping() {
                let end = min(next + slice, expired.endIndex)
                let deleted = try pacedSlice { connection in
                    // Deletes until the slice is done or its time is up, whichever comes first.
                    let deadline = ContinuousClock.now + sliceTime
                    let deleted = try connection.transaction {
                        let delete = try connection.statement(StoreSQL.deleteEvent)
                        var index = next
                        repeat {
                            try delete.execute([.integer(expired[index])])
                            index += 1
                        } while index < end && ContinuousClock.now < deadline
                        return index - next
                    }
                    if let log = FileIdentity.of(path + "-wal"), log.size > options.walLimitBytes {
                        truncateLog(on: connection, because: "the write-ahead log passed \(options.walLimitBytes) bytes")
                    }
                    return deleted
                }
                swept.events += deleted
                next += deleted
            }
            if found.allSatisfy({ $0.count < perEntity }) { after = last.1 }
        }
        if swept.events > 0 || swept.deadLetters > 0 || swept.rollups > 0 {
            logger.info("retention deleted expired records", ["events": String(swept.events), "deadLetters": String(swept.deadLetters),
                                                              "rollups": String(swept.rollups)])
        }
        return swept
    }

    /// The longest a slice of events keeps deleting before it commits (its commit comes on top):
    /// about what a batch commit of the hub's usual size takes, so that a commit beside a sweep
    /// waits for at most about one more (`hub bench retention` measures it).
    static let sliceTime = Duration.milliseconds(5)

    /// Runs one slice of a sweep on the write connection (`body` is its own transaction), then
    /// pauses as long as the slice held the connection, and at least a millisecond: a batch commit
    /// waits for at most one slice, and a sweep takes at most about half of the write connection's
    /// time and of a core, however many expired rows there are.
    private func pacedSlice<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        var held = Duration.zero
        let result = try withWriteConnection { connection in
            let start = ContinuousClock.now
            defer { held = start.duration(to: .now) }
            return try body(connection)
        }
        Thread.sleep(forTimeInterval: max(held, .milliseconds(1)).timeInterval)
        return result
    }
}
