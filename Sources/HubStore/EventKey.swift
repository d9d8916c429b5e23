import Foundation
import HubCore

/// How an `EventID` is kept in the `events.id` column: the 16 bytes its 32 lowercase hex digits
/// spell, as a BLOB, when it has that form (every id `EventID.make` builds: 8 bytes of observation
/// time, then 8 of hash, so that new ids land at the end of the unique index instead of on a random
/// page); any other id as the TEXT it is. SQLite never finds a BLOB equal to a TEXT, so the two
/// forms cannot collide, and both read back exactly (`StoreSQL.eventIDColumn`).
enum EventKey {
    /// The value to store or to look an id up by.
    static func value(of id: EventID) -> SQLiteValue {
        let text = id.rawValue.utf8
        guard text.count == 32 else { return .text(id.rawValue) }
        // The 16 bytes are spelled into a buffer on the stack, then copied into one `Data` at once
        // (this runs for every stored event).
        let bytes = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes -> Data? in
            var high: UInt8 = 0
            for (index, character) in text.enumerated() {
                let nibble: UInt8
                switch character {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
                default: return nil
                }
                if index % 2 == 0 { high = nibble << 4 } else { bytes[index / 2] = high | nibble }
            }
            return Data(buffer: bytes)
        }
        return bytes.map(SQLiteValue.blob) ?? .text(id.rawValue)
    }
}
