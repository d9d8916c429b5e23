import HubCore

// Reads of the roll-ups: one numeric attribute of one entity over time.
extension SQLiteStore {
    /// The roll-up buckets of `attribute` of `entity` at `step`, oldest first: those whose bucket
    /// starts at or after the start of the bucket holding `from`, and before `to`; at most
    /// `StoreLimits.maximumSeriesPoints`. An entity or attribute never stored, or one with no number, has none.
    public func series(entity: String, attribute: String, step: SeriesStep, from: Timestamp, to: Timestamp) throws -> [SeriesPoint] {
        // The hours of the buckets asked for: from the first one's start to the end of the one holding the instant before `to`.
        let first = step.bucket(of: from.microsecondsSinceEpoch)
        let end = step.bucket(of: to.microsecondsSinceEpoch - 1) + step.microseconds
        return try withReadConnection { connection in
            try connection.query(step == .hour ? StoreSQL.hourlySeries : StoreSQL.dailySeries, [
                .text(entity), .text(attribute), .integer(first), .integer(end), .integer(Int64(StoreLimits.maximumSeriesPoints)),
            ]) { row in
                let count = row.int64(1)
                return SeriesPoint(start: Timestamp(microsecondsSinceEpoch: row.int64(0)), count: Int(count),
                                   min: row.double(2) ?? 0, max: row.double(3) ?? 0,
                                   mean: (row.double(4) ?? 0) / Double(max(count, 1)), last: row.double(5) ?? 0)
            }
        }
    }
}
