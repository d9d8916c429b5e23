/// Short renderings of payload values for dead-letter reasons, so that a reason quotes what was
/// wrong without pasting a whole payload into it. `PayloadReader` words its reasons with these;
/// a connector writing a reason of its own uses them too, so that every reason reads the same way.
public enum ReasonText {
    /// How many characters of a bad value a reason quotes before cutting it.
    public static let quoteLimit = 40

    /// The text as an escaped JSON string literal, cut to `quoteLimit` characters (an ellipsis marks the cut).
    public static func quoted(_ text: String) -> String {
        var out = ""
        if text.count > quoteLimit {
            JSONText.appendString(String(text.prefix(quoteLimit)) + "…", to: &out)
        } else {
            JSONText.appendString(text, to: &out)
        }
        return out
    }

    /// The JSON type of a value with an article and, for scalars, the value itself:
    /// `a string ("warm")`, `a number (12.5)`, `a boolean (true)`, `null`, `an object`, `an array`.
    public static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "a boolean (\(flag))"
        case .number: "a number (\(value.jsonText))"
        case .string(let text): "a string (\(quoted(text)))"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The JSON type of a value with an article, without the value: `a string`, `an array`, `null`.
    public static func typeWithArticle(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .array, .object: "an \(value.typeName)"
        default: "a \(value.typeName)"
        }
    }
}
