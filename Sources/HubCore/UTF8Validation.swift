import Foundation

/// UTF-8 validity checks for payloads, so that a bad byte becomes a reason rather than a crash.
public enum UTF8Validation {
    /// The offset of the first byte that does not belong to well-formed UTF-8, or nil when all do.
    public static func firstInvalidByteOffset(in data: Data) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            // ASCII fast path: most payloads are plain ASCII JSON.
            while index < bytes.count, bytes[index] < 0x80 { index += 1 }
            if index == bytes.count { return nil }
            var decoder = UTF8()
            var iterator = bytes[index...].makeIterator()
            var offset = index
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput: return nil
                case .error: return offset
                }
            }
        }
    }
}
