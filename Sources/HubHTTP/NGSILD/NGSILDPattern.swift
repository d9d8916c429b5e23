import Glibc
import HubCore

/// A regular expression of `idPattern` and of the query language's `~=` / `!~=`: a POSIX extended
/// regular expression, matched by the C library's `regexec`.
///
/// Not NSRegularExpression: ICU backtracks, so a pattern such as `^(a+)+$` takes seconds on 26
/// characters and hours on 40, and any reader could hold a connection's thread with one request;
/// glibc matches without backtracking (a 100,000-character text in about a millisecond). Back
/// references, which glibc accepts in extended expressions and which do backtrack, are refused.
///
/// `@unchecked Sendable`: the compiled `regex_t` is only read after `regcomp`, and glibc's
/// `regexec` takes the expression's own lock, so one pattern is matched from several threads safely.
final class NGSILDPattern: @unchecked Sendable {
    /// The expression as written.
    let text: String
    private let compiled: UnsafeMutablePointer<regex_t>

    /// The longest expression read.
    static let maximumLength = 256

    /// Compiles `text`; nil when it is empty, longer than `maximumLength`, holds a back reference or
    /// is not a POSIX extended regular expression.
    init?(_ text: String) {
        guard !text.isEmpty, text.count <= Self.maximumLength, !Self.hasBackReference(text) else { return nil }
        compiled = .allocate(capacity: 1)
        guard regcomp(compiled, text, REG_EXTENDED | REG_NOSUB) == 0 else {
            compiled.deallocate()
            return nil
        }
        self.text = text
    }

    deinit {
        regfree(compiled)
        compiled.deallocate()
    }

    /// Whether the expression matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        regexec(compiled, text, 0, nil, 0) == 0
    }

    /// Whether a value (text, or a DateTime's text) matches.
    func matches(_ value: JSONValue) -> Bool {
        guard let text = value.stringValue ?? value["@value"]?.stringValue else { return false }
        return matches(text)
    }

    private static func hasBackReference(_ text: String) -> Bool {
        var escaped = false
        for character in text {
            if escaped, character.isNumber { return true }
            escaped = !escaped && character == "\\"
        }
        return false
    }
}
