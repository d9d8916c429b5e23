import Foundation
import HubCore
import HubServices
import HubStore

// Retention: whole partitions are dropped once every row in them expired; routes kept for fewer
// days than the longest policy lose their rows one slice at a time.
extension PostgresStore: StoreUpkeep {
    /// Whether the store can take a write now: the server answers on the write connection.
    public func checkWritable() throws {
        try withWriteConnection { connection in
            _ = try connection.query("SELECT 1") { $0.int64(0) }
        }
    }

    /// Deletes what `Options.retention` lets expire at `now` (`sweepExpired(now:sliceSize:isStopping:)`).
    @discardableResult
    public func sweepExpired(now: Timestamp = .now(), sliceSize: Int = 500) throws -> RetentionSweep {
        try sweepExpired(now: now, sliceSize: sliceSize, isStopping: { false })
    }

    /// Deletes what the policy lets expire at `now`, giving up between two steps once `isStopping` says so:
    ///
    /// - Dead letters received, and hourly roll-up buckets started, before their days: in slices
    ///   of `sliceSize` rows, one transaction each.
    /// - Events: the longest retention of any route (the default or a route's own days) gives
    ///   the drop cutoff. A day partition that ends at or before it is dropped whole (one catalog
    ///   change, no row deleted one by one) when none of its rows was received after the cutoff (a
    ///   backlog of old observations received lately is kept its days from its receipt: such a
    ///   partition loses only its expired rows, in slices). Events of a route kept fewer days are
    ///   deleted in slices (observed and received before its cutoff), as SQLite deletes them.
    ///   With no default (keep forever), only routes with their own days lose rows. So an event of
    ///   a route on the longest policy lives up to one day past its days (its partition's width).
    func sweepExpired(now: Timestamp, sliceSize: Int, isStopping: () -> Bool) throws -> RetentionSweep {
        let policy = options.retention
        let slice = Int64(max(1, sliceSize))
        func cutoff(_ days: Int) -> Int64 { now.microsecondsSinceEpoch - Int64(days) * 86_400_000_000 }
        var swept = RetentionSweep()
        if let days = policy.deadLetterDays {
            swept.deadLetters += try deleteInSlices(
                "DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE received_at < $1 ORDER BY received_at LIMIT $2)",
                [.bigint(cutoff(days)), .bigint(slice)], slice: slice, isStopping: isStopping)
        }
        if let days = policy.rollupDays {
            swept.rollups += try deleteInSlices("""
                DELETE FROM rollups WHERE (entity_id, attribute_id, step, bucket) IN (
                    SELECT entity_id, attribute_id, step, bucket FROM rollups WHERE step = 3600 AND bucket < $1 ORDER BY bucket LIMIT $2)
                """, [.bigint(cutoff(days)), .bigint(slice)], slice: slice, isStopping: isStopping)
        }
        let longest = ([policy.defaultEventDays].compactMap { $0 } + policy.eventDaysByRoute.values).max()
        if let defaultDays = policy.defaultEventDays, let longest {
            swept.events += try dropExpiredPartitions(before: cutoff(max(defaultDays, longest)), slice: slice, isStopping: isStopping)
        }
        // Routes kept fewer days than partitions are dropped after: row by row.
        let routes = try withWriteConnection { connection in
            try connection.query("SELECT DISTINCT route_id, name FROM events JOIN names ON names.id = route_id") { ($0.int64(0), $0.text(1)) }
        }
        for (routeID, route) in routes where !isStopping() {
            guard let days = policy.eventDays(forRoute: route) else { continue }
            if policy.defaultEventDays != nil, let longest, days >= longest { continue }
            swept.events += try deleteInSlices("""
                DELETE FROM events WHERE (entity_id, observed_at, id_hash) IN (
                    SELECT entity_id, observed_at, id_hash FROM events
                    WHERE route_id = $1 AND observed_at < $2 AND received_at < $2 LIMIT $3)
                """, [.bigint(routeID), .bigint(cutoff(days)), .bigint(slice)], slice: slice, isStopping: isStopping)
        }
        if swept.events > 0 || swept.deadLetters > 0 || swept.rollups > 0 {
            logger.info("retention deleted expired records", ["events": String(swept.events), "deadLetters": String(swept.deadLetters),
                                                              "rollups": String(swept.rollups)])
        }
        return swept
    }

    /// Drops each day partition ending at or before `cutoff` whose rows were all received before
    /// it, and deletes the expired rows of the others in slices; returns how many events went.
    private func dropExpiredPartitions(before cutoff: Int64, slice: Int64, isStopping: () -> Bool) throws -> Int {
        let expiredDays = try withWriteConnection { connection in
            try PostgresPartitions.existingDays(on: connection)
        }.filter { PostgresPartitions.start(ofDay: $0 + 1).map { $0 <= cutoff } ?? false }.sorted()
        var deleted = 0
        for day in expiredDays where !isStopping() {
            let table = PostgresPartitions.name(ofDay: day)
            let (rows, late) = try withWriteConnection { connection in
                try connection.query("SELECT count(*), count(*) FILTER (WHERE received_at >= $1) FROM \(table)", [.bigint(cutoff)]) {
                    (Int($0.int64(0)), Int($0.int64(1)))
                }.first ?? (0, 0)
            }
            guard late == 0 else {
                deleted += try deleteInSlices("""
                    DELETE FROM \(table) WHERE (entity_id, observed_at, id_hash) IN (
                        SELECT entity_id, observed_at, id_hash FROM \(table) WHERE received_at < $1 LIMIT $2)
                    """, [.bigint(cutoff), .bigint(slice)], slice: slice, isStopping: isStopping)
                continue
            }
            // Counted and dropped in one transaction: a late row written meanwhile makes the count wrong, never lost silently.
            let dropped = try withWriteConnection { connection in
                try connection.transaction {
                    try connection.run(script: "LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE")
                    let count = try connection.query("SELECT count(*) FROM \(table) WHERE received_at >= $1", [.bigint(cutoff)]) { $0.int64(0) }.first ?? 0
                    guard count == 0 else { return false }
                    try connection.run(script: "DROP TABLE \(table)")
                    return true
                }
            }
            guard dropped else { continue }
            writer.withLock { session in _ = session?.partitionDays.remove(day) }
            logger.info("retention dropped an event partition", ["partition": table, "events": String(rows)])
            deleted += rows
        }
        return deleted
    }

    /// Runs a DELETE of at most `slice` rows (its last parameter) until it deletes fewer, each in
    /// its own transaction on the write connection; returns how many rows went.
    private func deleteInSlices(_ sql: String, _ values: [PostgresValue], slice: Int64, isStopping: () -> Bool) throws -> Int {
        var total = 0
        while true {
            let deleted = try withWriteConnection { try $0.execute(sql, values) }
            total += deleted
            if deleted < slice || isStopping() { return total }
        }
    }
}
