import CSQLite
import Foundation
import HubCore

/// How an `EventID` is kept in the `events.id` column, in the smallest form that reads back exactly
/// (`id(in:column:observedAt:)`):
///
/// - an id `EventID.make` built (32 lowercase hex digits: the observation time, then a hash) for the
///   event's own observation time keeps only its hash, as an INTEGER: the time is `observed_at`
///   already, and the unique index on `(observed_at, id)` appends as events arrive in time order;
/// - any other id of 32 lowercase hex digits, as the 16 bytes they spell (a BLOB);
/// - any other id as the TEXT it is.
///
/// SQLite never finds values of two storage classes equal, so the forms cannot collide; BLOB and
/// TEXT ids are unique on their own (`events_by_legacy_id`).
package enum EventKey {
    /// The value to store for `id`, the id of an event observed at `observedAt` (microseconds since
    /// the Unix epoch); nil keeps the BLOB form even for an id of the first form (schema 7's layout).
    static func value(of id: EventID, observedAt: Int64?) -> SQLiteValue {
        guard let (time, hash) = halves(of: id) else { return .text(id.rawValue) }
        if let observedAt, observedTime(time) == observedAt { return .integer(Int64(bitPattern: hash)) }
        return .blob(bytes(time, hash))
    }

    /// Where `id` may be stored: under its observation time and hash when it has the first form,
    /// and as a BLOB or TEXT otherwise (an id of 32 hex digits may be either).
    static func lookup(_ id: EventID) -> (key: (observedAt: Int64, hash: Int64)?, legacy: SQLiteValue) {
        guard let (time, hash) = halves(of: id) else { return (nil, .text(id.rawValue)) }
        return ((observedTime(time), Int64(bitPattern: hash)), .blob(bytes(time, hash)))
    }

    /// The INTEGER form of an id kept as its 16 bytes (schema 7's BLOB) when it is an id of the
    /// first form for `observedAt`; nil when it is not.
    static func hash(ofBytes bytes: Data, observedAt: Int64) -> Int64? {
        guard bytes.count == 16 else { return nil }
        var time: UInt64 = 0, hash: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { time = time << 8 | UInt64(byte) } else { hash = hash << 8 | UInt64(byte) }
        }
        return observedTime(time) == observedAt ? Int64(bitPattern: hash) : nil
    }

    /// The id a row holds in `column` in one of the forms above, for an event observed at
    /// `observedAt`; a TEXT column (the `latest` table's ids) is its own text.
    static func id(in row: PreparedStatement.Row, column: Int32, observedAt: Int64) -> EventID {
        EventID(rawValue: withDigits(in: row, column: column, observedAt: observedAt) { String(decoding: $0, as: UTF8.self) }
                ?? row.text(column))
    }

    /// Calls `body` with the 32 (or, for a BLOB, twice its length) lowercase hex digits of an id
    /// stored as an INTEGER (the observation time's digits with the sign bit flipped, then the
    /// hash's) or a BLOB (its bytes); nil for a TEXT id, which is its own text. Spelled here rather
    /// than by SQL's `printf`, `hex` and `lower`, which allocate through SQLite's allocator (a lock
    /// every reader shares) for every row.
    static func withDigits<T>(in row: PreparedStatement.Row, column: Int32, observedAt: Int64,
                              _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        let digits: StaticString = "0123456789abcdef"
        let hex = digits.utf8Start
        switch row.storageClass(column) {
        case SQLITE_INTEGER:
            let time = UInt64(bitPattern: observedAt) ^ (1 << 63)
            let hash = UInt64(bitPattern: row.int64(column))
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { text in
                for digit in 0..<16 {
                    let shift = UInt64(60 - 4 * digit)
                    text[digit] = hex[Int(time >> shift & 15)]
                    text[16 + digit] = hex[Int(hash >> shift & 15)]
                }
                return body(UnsafeBufferPointer(text))
            }
        case SQLITE_BLOB:
            return row.withBytes(column) { bytes in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * bytes.count) { text in
                    for (index, byte) in bytes.enumerated() {
                        text[2 * index] = hex[Int(byte >> 4)]
                        text[2 * index + 1] = hex[Int(byte & 15)]
                    }
                    return body(UnsafeBufferPointer(text))
                }
            }
        default:
            return nil
        }
    }

    /// The observation time and hash an id of the first form spells; nil for any other id.
    package static func timeAndHash(of id: EventID) -> (observedAt: Int64, hash: Int64)? {
        halves(of: id).map { (observedTime($0.0), Int64(bitPattern: $0.1)) }
    }

    /// The observation time the first half of an id spells (`EventID.make` flips its sign bit so
    /// that the digits sort in time order).
    private static func observedTime(_ half: UInt64) -> Int64 { Int64(bitPattern: half ^ (1 << 63)) }

    /// The two 64-bit halves 32 lowercase hex digits spell, or nil for any other text.
    private static func halves(of id: EventID) -> (UInt64, UInt64)? {
        var text = id.rawValue
        return text.withUTF8 { text -> (UInt64, UInt64)? in
            guard text.count == 32 else { return nil }
            var high: UInt64 = 0, low: UInt64 = 0
            for index in 0..<32 {
                let character = text[index]
                let nibble: UInt64
                switch character {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(character - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(character - UInt8(ascii: "a") + 10)
                default: return nil
                }
                if index < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
            }
            return (high, low)
        }
    }

    /// The 16 bytes of the two halves, most significant first.
    private static func bytes(_ high: UInt64, _ low: UInt64) -> Data {
        var words = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &words) { Data($0) }
    }
}
