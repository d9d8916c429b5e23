import HubCore

/// The width of a roll-up bucket: the store keeps each numeric attribute per hour, and sums a day from its hours.
public enum SeriesStep: String, Sendable, Hashable, CaseIterable {
    /// One-hour buckets, starting on the hour (UTC).
    case hour = "1h"
    /// One-day buckets, starting at midnight UTC.
    case day = "1d"

    /// The bucket's width in microseconds.
    public var microseconds: Int64 {
        switch self {
        case .hour: 3_600_000_000
        case .day: 86_400_000_000
        }
    }

    /// The start of the bucket holding `time` (microseconds since the epoch), rounding down for times
    /// before 1970; the earliest time Int64 holds for the first bucket of its range, which would start before it.
    package func bucket(of time: Int64) -> Int64 {
        let width = microseconds
        let remainder = time % width
        guard remainder < 0 else { return time - remainder }
        let (start, overflow) = (time - remainder).subtractingReportingOverflow(width)
        return overflow ? .min : start
    }
}

/// One bucket of a numeric attribute's roll-up: the aggregates of the values one entity reported
/// in it (by observation time).
public struct SeriesPoint: Sendable, Hashable {
    /// The bucket's start.
    public var start: Timestamp
    /// How many values.
    public var count: Int
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double
    /// Their arithmetic mean.
    public var mean: Double
    /// The value of the latest observation in the bucket (of equal observation times, the last stored).
    public var last: Double

    /// A bucket's aggregates.
    public init(start: Timestamp, count: Int, min: Double, max: Double, mean: Double, last: Double) {
        self.start = start
        self.count = count
        self.min = min
        self.max = max
        self.mean = mean
        self.last = last
    }
}
