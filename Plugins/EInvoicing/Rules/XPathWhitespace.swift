import Foundation

/// The white space the rules trim from a value before casting it (`xs:decimal`, `xs:double`,
/// `xs:date`), as Foundation's `whitespacesAndNewlines` defines it.
enum XPathWhitespace {
    /// `text` without leading and trailing white space. A value starting and ending with a visible
    /// ASCII character, as nearly all do, is returned as it is, without asking Foundation.
    static func trimmed(_ text: String) -> String {
        let isVisibleASCII = { (byte: UInt8) in byte > 0x20 && byte < 0x7F }
        // The bytes in place when the string holds them contiguously (a parsed value does): its last
        // byte read directly, not by stepping the UTF-8 view back.
        let visibleEnds = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return isVisibleASCII(first) && isVisibleASCII(last)
        }
        if visibleEnds ?? false { return text }
        if visibleEnds == nil, let first = text.utf8.first, let last = text.utf8.last, isVisibleASCII(first), isVisibleASCII(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
