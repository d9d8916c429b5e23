/// A typed attribute value of an event: a number with its unit, text, a boolean, or nested JSON.
public enum Value: Sendable, Hashable {
    /// A measured quantity. `unit` is a UN/CEFACT common code (`CEL`, `P1`, `GQ`, ...) where one is known.
    case number(Double, unit: String?)
    /// Free text or a code (`"free"`, `"occupied"`).
    case text(String)
    /// A flag.
    case boolean(Bool)
    /// A structured value kept as JSON (a list of stops, a GeoJSON line, ...).
    case json(JSONValue)
}

extension Value {
    /// The number when this is a number.
    public var number: Double? { if case .number(let n, _) = self { n } else { nil } }
    /// The unit code when this is a number that has one.
    public var unit: String? { if case .number(_, let u) = self { u } else { nil } }
    /// The text when this is text.
    public var text: String? { if case .text(let t) = self { t } else { nil } }

    /// The value as the hub stores and exports it: `{"value":21.5,"unitCode":"CEL"}`, `{"value":"free"}`,
    /// `{"value":true}`, or `{"json":...}` for nested JSON, so that the kind survives a round trip.
    public var storedForm: JSONValue {
        switch self {
        case .number(let n, let unit?): .object(["value": .number(n), "unitCode": .string(unit)])
        case .number(let n, nil): .object(["value": .number(n)])
        case .text(let t): .object(["value": .string(t)])
        case .boolean(let b): .object(["value": .bool(b)])
        case .json(let j): .object(["json": j])
        }
    }

    /// Appends `storedForm` as JSON text, without building it first (this runs once per attribute
    /// of every event).
    public func writeStoredForm(to out: inout JSONOutput) {
        switch self {
        case .number(let n, let unit):
            if let unit {
                out.append("{\"unitCode\":")
                out.appendString(unit)
                out.append(",\"value\":")
            } else {
                out.append("{\"value\":")
            }
            out.appendNumber(n)
        case .text(let t):
            out.append("{\"value\":")
            out.appendString(t)
        case .boolean(let b):
            out.append(b ? "{\"value\":true" : "{\"value\":false")
        case .json(let j):
            out.append("{\"json\":")
            j.write(to: &out)
        }
        out.append("}")
    }

    /// Reads back a value written by `storedForm`; nil for anything else.
    public init?(storedForm: JSONValue) {
        guard let members = storedForm.objectValue else { return nil }
        if let nested = members["json"] {
            self = .json(nested)
            return
        }
        switch members["value"] {
        case .number(let n)?: self = .number(n, unit: members["unitCode"]?.stringValue)
        case .string(let t)?: self = .text(t)
        case .bool(let b)?: self = .boolean(b)
        default: return nil
        }
    }
}
