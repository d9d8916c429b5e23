/// The decimal text of an integer as bytes on the stack, without making a `String`: what JSON
/// numbers and the length prefixes of event ids are written with, once or more per event.
enum DecimalText {
    /// Calls `body` with the ASCII decimal digits of `value` (a minus sign first when negative),
    /// followed by `suffix` when one is given.
    static func withDigits<Result>(of value: Int64, suffix: UInt8? = nil,
                                   _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // A sign, 19 digits (Int64.min has 19) and the suffix.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            var end = 21
            if let suffix {
                end -= 1
                buffer[end] = suffix
            }
            var start = end
            var magnitude = value.magnitude
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[start..<21]))
        }
    }
}
