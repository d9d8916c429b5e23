import Foundation
import HubCore
import HubServices

// Retention: deletes what `Options.retention` lets expire, in small transactions on the write
// connection, so that a batch commit waits at most for one slice.
extension SQLiteStore {
    /// Deletes every event observed and received before its route's retention days counted back
    /// from `now` (`RetentionPolicy.eventDays(forRoute:)`), every dead letter received before the dead
    /// letters' days and every roll-up bucket that started before the roll-ups' days, in slices:
    /// at most `sliceSize` rows a transaction (events: and at most `sliceTime` of deleting, ended
    /// at the current row when a batch write waits for the connection), each followed by a pause as
    /// long as the slice held the write connection, so that batch commits wait for one short slice
    /// at most and the sweep takes at most about half of the connection's time. The background
    /// `RetentionTask` calls this every `Options.retentionPeriod`.
    ///
    /// Expired events are found through the route index in insertion order, from each route's
    /// oldest event to the first received after the cutoff, so a sweep reads the expired rows and
    /// few others (an event observed after the cutoff but received before it, a device's clock
    /// ahead, is read again by each sweep until it expires). An old observation received late (a
    /// backlog replayed today) is kept its route's days from its receipt. Events are deleted in
    /// `seq` order, and a write-ahead log grown past `Options.walLimitBytes` is truncated between
    /// slices as after a commit.
    @discardableResult
    public func sweepExpired(now: Timestamp = .now(), sliceSize: Int = 500) throws -> RetentionSweep {
        try sweepExpired(now: now, sliceSize: sliceSize, isStopping: { false })
    }

    /// `sweepExpired(now:sliceSize:)`, each slice of events deleting for at most `sliceTime` (at
    /// least one row) and folding the log once it holds more than `foldAbove` frames, giving up
    /// between two slices once `isStopping` says so.
    func sweepExpired(now: Timestamp, sliceSize: Int, sliceTime: Duration = SQLiteStore.sliceTime,
                      foldAbove: Int64 = SQLiteStore.sweepFoldFrames, isStopping: () -> Bool) throws -> RetentionSweep {
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

        // Each route's cutoff, by its `names` id: its own days, or the default (a route that
        // stored nothing has no id and nothing to delete).
        let ownCutoffs: [Int64: Int64] = try withWriteConnection { connection in
            var cutoffs: [Int64: Int64] = [:]
            for (route, days) in policy.eventDaysByRoute {
                if let id = try connection.query(StoreSQL.nameID, [.text(route)], row: { $0.int64(0) }).first { cutoffs[id] = cutoff(days) }
            }
            return cutoffs
        }
        let routes = try withReadConnection { connection in try connection.query(StoreSQL.routesWithEvents, row: { $0.int64(0) }) }

        // Each route's events are read in insertion order (its index, reads only) from the oldest
        // until one was received after the cutoff: an event expires once both its observation and
        // its receipt are older than the cutoff, and the hub stores events in the order it receives
        // them. The expired ones are deleted in `seq` order: neighbours in the table and in the id,
        // type and route indexes go in the same slice, so each slice rewrites few pages.
        for route in routes {
            guard let routeCutoff = ownCutoffs[route] ?? policy.defaultEventDays.map(cutoff) else { continue }
            var after: Int64 = 0
            var reachedTheCutoff = false
            while !reachedTheCutoff, !isStopping() {
                // At most 20,000 rows a round in memory.
                let rows = try withReadConnection { connection in
                    try connection.query(StoreSQL.routeEventTimes, [.integer(route), .integer(after), .integer(20_000)]) {
                        (seq: $0.int64(0), observed: $0.int64(1), received: $0.int64(2))
                    }
                }
                var expired: [Int64] = []
                for row in rows {
                    if row.received >= routeCutoff {
                        reachedTheCutoff = true
                        break
                    }
                    if row.observed < routeCutoff { expired.append(row.seq) }
                }
                guard let last = rows.last else { break }
                after = last.seq
                if rows.count < 20_000 { reachedTheCutoff = true }
                swept.events += try deleteEvents(expired, slice: slice, sliceTime: sliceTime, foldAbove: foldAbove, isStopping: isStopping)
            }
        }
        if swept.events > 0 || swept.deadLetters > 0 || swept.rollups > 0 {
            logger.info("retention deleted expired records", ["events": String(swept.events), "deadLetters": String(swept.deadLetters),
                                                              "rollups": String(swept.rollups)])
        }
        return swept
    }

    /// Deletes the events of `seqs` (ascending) in paced slices of at most `slice` rows and
    /// `sliceTime` each, until done or `isStopping`; returns how many it deleted.
    ///
    /// After each slice the log is copied into the file on the checkpointer's connection (PASSIVE:
    /// it waits for no writer), and once it holds more than `foldAbove` frames it is folded as the
    /// checkpointer's period does (`Checkpointer.fold`), so that the next write starts it over.
    /// Deleting a row removes an entry from its entity's index page, about a page of log per row
    /// (some 50 MB/s while a sweep runs). A PASSIVE copy alone never catches up with commits
    /// arriving meanwhile, so the log passed its cap every second or so, each time folded and
    /// truncated inside a slice or a commit (30-80 ms that the commits waited); folding after every
    /// slice instead kept the commits waiting for a pass while writes wait several times a second.
    private func deleteEvents(_ seqs: [Int64], slice: Int, sliceTime: Duration, foldAbove: Int64, isStopping: () -> Bool) throws -> Int {
        var next = seqs.startIndex
        while next < seqs.endIndex, !isStopping() {
            let end = min(next + slice, seqs.endIndex)
            next += try pacedSlice { connection in
                // Deletes until the slice is done, its time is up or a batch write waits for the
                // connection, whichever comes first.
                let deadline = ContinuousClock.now + sliceTime
                let deleted = try connection.transaction {
                    let delete = try connection.statement(StoreSQL.deleteEvent)
                    var index = next
                    repeat {
                        try delete.execute([.integer(seqs[index])])
                        index += 1
                    } while index < end && ContinuousClock.now < deadline && writesWaiting.load(ordering: .relaxed) == 0
                    return index - next
                }
                if let log = FileIdentity.of(path + "-wal"), log.size > options.walLimitBytes {
                    truncateLog(on: connection, because: "the write-ahead log passed \(options.walLimitBytes) bytes")
                }
                return deleted
            }
            try? checkpointer.fold(whenLogExceeds: foldAbove)
        }
        return next - seqs.startIndex
    }

    /// The longest a slice of events keeps deleting before it commits (its commit comes on top),
    /// when no batch write comes to wait for it first: about what a batch commit of the hub's usual
    /// size takes (`hub bench retention` measures what a sweep costs the commits beside it).
    static let sliceTime = Duration.milliseconds(5)

    /// The frames the log may hold before a sweep folds it (16 MiB of 4 KiB pages: a quarter of the
    /// default cap, reached every few hundred milliseconds while a sweep runs).
    static let sweepFoldFrames: Int64 = 4096

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
