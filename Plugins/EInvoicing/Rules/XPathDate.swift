import Foundation
import HubCore

/// `xs:date` values, compared as the instants their days start (a date without a timezone is
/// read in UTC, the implicit timezone the artefact runs with here).
enum XPathDate {
    /// The instant the day `text` (`2024-01-31`, `2024-01-31+02:00`, `2024-01-31Z`) starts; nil
    /// where `xs:date` would fail (no such day, malformed). The lexical form
    /// `-?YYYY+-MM-DD(Z|[+-]hh:mm)?` is read byte by byte; days from 1600 to 9999 are counted in the
    /// Gregorian calendar directly, others by Foundation's calendar.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(XPathWhitespace.trimmed(text).utf8)
        var position = 0
        /// The ASCII digits from `position` on (at least `minimum`, at most `maximum`), as a number.
        func number(minimum: Int, maximum: Int) -> Int? {
            var value = 0
            let start = position
            while position < bytes.count, position - start < maximum, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = product + Int(bytes[position] - 0x30)
                position += 1
            }
            return position - start >= minimum ? value : nil
        }
        /// Whether the byte at `position` is `character`, stepping over it when it is.
        func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }
        let negative = skip("-")
        guard let unsignedYear = number(minimum: 4, maximum: .max), skip("-"),
              let month = number(minimum: 2, maximum: 2), skip("-"), let day = number(minimum: 2, maximum: 2) else { return nil }
        let year = negative ? -unsignedYear : unsignedYear
        var offset = 0
        if skip("Z") {
            offset = 0
        } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(minimum: 2, maximum: 2), skip(":"), let minutes = number(minimum: 2, maximum: 2),
                  hours * 60 + minutes <= 14 * 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard position == bytes.count else { return nil }
        guard (1600...9999).contains(year) else { return calendarDate(year: year, month: month, day: day, offset: offset) }
        guard (1...12).contains(month), (1...Timestamp.daysIn(month: Int64(month), year: Int64(year))).contains(Int64(day)) else { return nil }
        let days = Timestamp.days(fromCivilYear: Int64(year), month: Int64(month), day: Int64(day))
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 - Int64(offset)))
    }

    /// The day as Foundation's Gregorian calendar counts it, for years outside 1600-9999.
    private static func calendarDate(year: Int, month: Int, day: Int, offset: Int) -> Date? {
        guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
