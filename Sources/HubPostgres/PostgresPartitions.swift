import HubCore

/// The partitions of `events`: one a UTC day of observation time, named `events_day_<n>` for day
/// `n` since the Unix epoch (`events_day_m3` for the third day before it), holding
/// `[n * 86,400,000,000, (n + 1) * 86,400,000,000)` microseconds.
///
/// A day keeps retention's drops one day apart and a partition's indexes small enough to stay in
/// memory while it is written; a city keeping a year has 365 partitions, which PostgreSQL prunes
/// at planning time for every query bounded by time.
enum PostgresPartitions {
    /// Microseconds in a partition.
    static let width: Int64 = 86_400_000_000

    /// The day holding an observation time (rounding down before 1970).
    static func day(of microseconds: Int64) -> Int64 {
        let quotient = microseconds / width
        return microseconds % width < 0 ? quotient - 1 : quotient
    }

    /// The first microsecond of `day`, nil when it lies outside Int64's range (an observation time
    /// near either end of it, which a hostile payload may carry).
    static func start(ofDay day: Int64) -> Int64? {
        let (value, overflow) = day.multipliedReportingOverflow(by: width)
        return overflow ? nil : value
    }

    /// Whether `day` holds any time Int64 can spell (the day after the last one does not).
    static func exists(day: Int64) -> Bool { day < 0 || start(ofDay: day) != nil }

    /// The partition's table name.
    static func name(ofDay day: Int64) -> String {
        day < 0 ? "events_day_m\(-day)" : "events_day_\(day)"
    }

    /// The day a partition's table name stands for; nil for any other table.
    static func day(ofName name: String) -> Int64? {
        guard name.hasPrefix("events_day_") else { return nil }
        let number = name.dropFirst("events_day_".count)
        if number.hasPrefix("m") { return Int64(number.dropFirst()).map { -$0 } }
        return Int64(number)
    }

    /// The days whose partitions exist.
    static func existingDays(on connection: PostgresConnection) throws -> Set<Int64> {
        Set(try connection.query("""
            SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'events'::regclass
            """) { $0.text(0) }.compactMap(day(ofName:)))
    }

    /// Creates the partition of `day` unless it exists (another hub may create it at the same time).
    static func create(day: Int64, on connection: PostgresConnection) throws {
        // The first and last days of Int64's range reach its ends: their bounds are PostgreSQL's unbounded ones.
        let lower = start(ofDay: day).map(String.init) ?? "MINVALUE", upper = start(ofDay: day + 1).map(String.init) ?? "MAXVALUE"
        let sql = "CREATE TABLE IF NOT EXISTS \(name(ofDay: day)) PARTITION OF events FOR VALUES FROM (\(lower)) TO (\(upper))"
        do {
            try connection.run(script: sql)
        } catch let error as PostgresError where error.sqlState == "42P07" || error.sqlState == "23505" {
            // Created by another hub between the check and the creation: it exists, as wanted.
        }
    }
}
