import HubCore

/// How `sensors.json` reads the time field: ISO 8601 text, or seconds or milliseconds since 1970.
enum SensorTimeFormat: String, Sendable, CaseIterable {
    /// ISO 8601 / RFC 3339 date-time text with a zone, e.g. `2026-11-22T08:00:00Z`.
    case iso8601 = "iso8601"
    /// Seconds since 1970-01-01T00:00:00Z, a number (fractions allowed) or a string holding one.
    case unixSeconds = "unix-seconds"
    /// Milliseconds since 1970-01-01T00:00:00Z, a number or a string holding one.
    case unixMillis = "unix-millis"

    /// The accepted spellings of the setting, for messages.
    static var spellings: String { allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }

    /// Reads the value of the time field named `field`; throws a `ConnectorError` quoting a bad value.
    func timestamp(from value: JSONValue, field: String) throws -> Timestamp {
        // Spelled only for a refusal: a reading read well needs no words.
        var subject: String { "time field \(ReasonText.quoted(field))" }
        switch self {
        case .iso8601:
            guard case .string(let text) = value, let time = Timestamp(iso8601: text) else {
                throw PayloadReader.mismatch(value, at: subject, expected: "an ISO 8601 date-time with a zone (like \"2026-11-22T08:00:00Z\")")
            }
            return time
        case .unixSeconds, .unixMillis:
            let unit = self == .unixSeconds ? "seconds" : "milliseconds"
            let number: Double
            switch value {
            case .number(let n):
                number = n
            case .string(let text):
                guard let n = Double(text), n.isFinite else {
                    throw ConnectorError(.invalidField, "\(subject) must be a number of \(unit) since 1970, found \(ReasonText.describe(value))")
                }
                number = n
            default:
                throw ConnectorError(.invalidField, "\(subject) must be a number of \(unit) since 1970, found \(ReasonText.describe(value))")
            }
            guard let time = Timestamp(secondsSinceEpoch: self == .unixSeconds ? number : number / 1000) else {
                let hint = self == .unixSeconds ? " (if it counts milliseconds, set timeFormat to \"unix-millis\")" : ""
                throw ConnectorError(
                    .invalidField,
                    "\(subject) is \(JSONValue.number(number).jsonText) \(unit) since 1970, which is not a date in years 1 to 9999\(hint)")
            }
            return time
        }
    }
}
