import Foundation

/// `xs:boolean` casts of untyped text, as a general comparison with `true()` or `false()` makes them.
enum XPathBoolean {
    /// `true`/`1` is true, `false`/`0` is false (surrounding white space allowed); nil for anything else.
    static func parse(_ text: String) -> Bool? {
        switch XPathWhitespace.trimmed(text) {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}
