import HubCore

/// Reads the typed fields of one SenML record, throwing a `ConnectorError` that names the record,
/// the label and what was found when a field has the wrong JSON type.
struct SenMLFieldReader {
    /// The record's members.
    let fields: [String: JSONValue]
    /// How messages name the record, e.g. `record 2 of 7`.
    let record: String

    /// A string field, or nil when absent.
    func string(_ label: String) throws -> String? {
        switch fields[label] {
        case nil: return nil
        case .string(let text)?: return text
        case let other?: throw mismatch(label, expected: "a string", found: other)
        }
    }

    /// A number field, or nil when absent.
    func number(_ label: String) throws -> Double? {
        switch fields[label] {
        case nil: return nil
        case .number(let number)?: return number
        case let other?: throw mismatch(label, expected: "a number", found: other)
        }
    }

    /// A boolean field, or nil when absent.
    func bool(_ label: String) throws -> Bool? {
        switch fields[label] {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?: throw mismatch(label, expected: "true or false", found: other)
        }
    }

    private func mismatch(_ label: String, expected: String, found: JSONValue) -> ConnectorError {
        ConnectorError(.invalidField, "\(record): \"\(label)\" must be \(expected), found \(ReasonText.describe(found))")
    }
}
