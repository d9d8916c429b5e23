import Foundation

/// A point in time in UTC with microsecond precision: the hub's one representation of time.
///
/// Events carry timestamps as whole microseconds so that the same input always yields the
/// same value (and the same event id), and so that ISO 8601 text round-trips exactly.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Creates a timestamp from seconds since the Unix epoch, rounded to the microsecond;
    /// nil when the value is not finite or lies outside years 0001-9999.
    public init?(secondsSinceEpoch seconds: Double) {
        guard seconds.isFinite, seconds > -62_135_596_800, seconds < 253_402_300_800 else { return nil }
        self.microsecondsSinceEpoch = Int64((seconds * 1_000_000).rounded())
    }

    /// Creates a timestamp from a Foundation date, rounded to the microsecond.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The current time.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// Seconds since the Unix epoch.
    public var secondsSinceEpoch: Double { Double(microsecondsSinceEpoch) / 1_000_000 }

    /// The same instant as a Foundation date.
    public var date: Date { Date(timeIntervalSince1970: secondsSinceEpoch) }

    /// This instant moved by a number of microseconds.
    public func adding(microseconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + microseconds)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    public var description: String { iso8601 }
}

// MARK: - ISO 8601

extension Timestamp {
    /// The instant as ISO 8601 text in UTC with six fractional digits, e.g. `2026-11-22T03:24:21.000000Z`.
    public var iso8601: String {
        // The usual years written digit by digit into the text's own storage: an API page writes two
        // times per event, and building it from pieces costs an allocation each.
        let text = String(unsafeUninitializedCapacity: 27) { text in writeISO8601(into: text.baseAddress!) ? 27 : 0 }
        guard text.isEmpty else { return text }
        let (days, rest) = dayAndMicrosecond
        let (year, month, day) = Self.civilDate(fromDays: days)
        let secondOfDay = rest / 1_000_000
        return Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T"
            + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":"
            + Self.pad(secondOfDay % 60, 2) + "." + Self.pad(rest % 1_000_000, 6) + "Z"
    }

    /// The day since the Unix epoch and the microsecond of that day.
    private var dayAndMicrosecond: (day: Int64, microsecond: Int64) {
        let micros = microsecondsSinceEpoch
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        return (days, rest)
    }

    /// Writes the 27 bytes of `iso8601` at `text` and returns true when the year is 0000-9999; writes
    /// nothing and returns false otherwise. What `iso8601` and `JSONOutput.appendISO8601` write with.
    func writeISO8601(into text: UnsafeMutablePointer<UInt8>) -> Bool {
        let (days, rest) = dayAndMicrosecond
        let (year, month, day) = Self.civilDate(fromDays: days)
        guard (0...9999).contains(year) else { return false }
        let secondOfDay = rest / 1_000_000
        func put(_ value: Int64, _ width: Int, at offset: Int) {
            var rest = value
            for index in (offset..<offset + width).reversed() {
                text[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
        put(year, 4, at: 0)
        text[4] = UInt8(ascii: "-")
        put(month, 2, at: 5)
        text[7] = UInt8(ascii: "-")
        put(day, 2, at: 8)
        text[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 2, at: 11)
        text[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 2, at: 14)
        text[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        text[19] = UInt8(ascii: ".")
        put(rest % 1_000_000, 6, at: 20)
        text[26] = UInt8(ascii: "Z")
        return true
    }

    /// Parses ISO 8601 / RFC 3339 date-time text: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`.
    ///
    /// A space is accepted in place of `T`, and digits beyond the sixth fractional one are
    /// rounded away. Text without a zone designator is rejected: the hub never guesses a zone.
    public init?(iso8601 text: String) {
        var bytes = Array(text.utf8)[...]
        func number(_ width: Int) -> Int64? {
            guard bytes.count >= width else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                let c = bytes.removeFirst()
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        func expect(_ allowed: UInt8...) -> Bool {
            guard let c = bytes.first, allowed.contains(c) else { return false }
            bytes.removeFirst()
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              expect(0x54, 0x74, 0x20), let hour = number(2), expect(0x3A), let minute = number(2),
              expect(0x3A), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var micros: Int64 = 0
        if bytes.first == 0x2E || bytes.first == 0x2C {
            bytes.removeFirst()
            var digits = 0
            var roundUp = false
            while let c = bytes.first, c >= 48, c <= 57 {
                bytes.removeFirst()
                if digits < 6 { micros = micros * 10 + Int64(c - 48) } else if digits == 6 { roundUp = c >= 53 }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 6)..<6 { micros *= 10 }
            if roundUp { micros += 1 }
        }
        var offsetSeconds: Int64 = 0
        guard let zone = bytes.first else { return nil }
        bytes.removeFirst()
        switch zone {
        case 0x5A, 0x7A: break
        case 0x2B, 0x2D:
            guard let oh = number(2) else { return nil }
            _ = expect(0x3A)
            guard let om = number(2), oh <= 23, om <= 59 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (zone == 0x2D ? -1 : 1)
        default: return nil
        }
        guard bytes.isEmpty else { return nil }
        let days = Self.days(fromCivilYear: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.microsecondsSinceEpoch = seconds * 1_000_000 + micros
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The days of `month` (1 to 12) in the proleptic Gregorian `year`.
    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The days from 1970-01-01 to a proleptic Gregorian date, negative before it (Howard Hinnant's
    /// `days_from_civil`); the date is not checked.
    public static func days(fromCivilYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
