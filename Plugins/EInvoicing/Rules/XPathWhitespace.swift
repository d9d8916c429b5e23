import Foundation

/// The white space the rules trim from a value before casting it (`xs:decimal`, `xs:double`,
/// `xs:date`), as Foundation's `whitespacesAndNewlines` defines it.
enum XPathWhitespace {
    /// `text` without leading and trailing white space. A value starting and ending with a visible
    /// ASCII character, as nearly all do, is returned as it is, without asking Foundation.
    static func trimmed(_ text: String) -> String {
        let isVisibleASCII = { (byte: UInt8) in byte > 0x20 && byte < 0x7F }
        if let first = text.utf8.first, let last = text.utf8.last, isVisibleASCII(first), isVisibleASCII(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
