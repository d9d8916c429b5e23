import Foundation

/// A parameter of a query, sent to the server in PostgreSQL's binary format with its type, so that
/// no value is ever spliced into SQL text and none needs quoting or escaping.
///
/// PostgreSQL's `text` cannot hold the character U+0000: a text holding it is sent with U+FFFD (the
/// replacement character) in its place (`storedText`), so that a hostile name never fails a batch.
///
/// Arrays let one statement take a whole batch (`INSERT ... SELECT * FROM unnest($1::bigint[], ...)`):
/// one round trip and one plan however many rows.
public enum PostgresValue: Sendable, Hashable {
    /// SQL NULL (its type is left to the server: cast it in the SQL, `$1::bigint`).
    case null
    /// A `bigint`.
    case bigint(Int64)
    /// A `double precision`.
    case double(Double)
    /// A `text` (UTF-8).
    case text(String)
    /// A `bytea`, byte for byte.
    case bytes(Data)
    /// A `boolean`.
    case boolean(Bool)
    /// A `bigint[]` (one dimension); nil elements are NULL.
    case bigintArray([Int64?])
    /// A `double precision[]`; nil elements are NULL.
    case doubleArray([Double?])
    /// A `text[]`; nil elements are NULL.
    case textArray([String?])
    /// A `bytea[]`; nil elements are NULL.
    case bytesArray([Data?])

    /// A `double precision` or NULL.
    public static func double(_ value: Double?) -> PostgresValue { value.map(PostgresValue.double) ?? .null }
    /// A `bigint` or NULL.
    public static func bigint(_ value: Int64?) -> PostgresValue { value.map(PostgresValue.bigint) ?? .null }

    /// The type's OID (`pg_type`), 0 for NULL (inferred by the server).
    var typeOID: UInt32 {
        switch self {
        case .null: 0
        case .bigint: 20
        case .double: 701
        case .text: 25
        case .bytes: 17
        case .boolean: 16
        case .bigintArray: 1016
        case .doubleArray: 1022
        case .textArray: 1009
        case .bytesArray: 1001
        }
    }

    /// Appends the value's binary form (`typsend`) to `out`; returns false for NULL, which has none.
    func appendBinary(to out: inout [UInt8]) -> Bool {
        switch self {
        case .null: return false
        case .bigint(let value): Self.append(UInt64(bitPattern: value), to: &out)
        case .double(let value): Self.append(value.bitPattern, to: &out)
        case .text(let value): Self.appendText(value, to: &out)
        case .bytes(let value): out.append(contentsOf: value)
        case .boolean(let value): out.append(value ? 1 : 0)
        case .bigintArray(let values):
            Self.appendArray(values, elementOID: 20, to: &out) { Self.append(UInt64(bitPattern: $0), to: &$1) }
        case .doubleArray(let values):
            Self.appendArray(values, elementOID: 701, to: &out) { Self.append($0.bitPattern, to: &$1) }
        case .textArray(let values):
            Self.appendArray(values, elementOID: 25, to: &out) { Self.appendText($0, to: &$1) }
        case .bytesArray(let values):
            Self.appendArray(values, elementOID: 17, to: &out) { $1.append(contentsOf: $0) }
        }
        return true
    }

    /// The text as the server keeps it: U+0000 replaced by U+FFFD.
    public static func storedText(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// Appends a text's UTF-8, each NUL byte as U+FFFD's three bytes.
    private static func appendText(_ text: String, to out: inout [UInt8]) {
        guard text.utf8.contains(0) else { return out.append(contentsOf: text.utf8) }
        for byte in text.utf8 {
            if byte == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]) } else { out.append(byte) }
        }
    }

    /// A one-dimensional array as `array_send` writes it: dimensions, a has-NULLs flag, the element
    /// type, the length and lower bound (1), then each element's length (-1 for NULL) and bytes.
    private static func appendArray<Element>(_ values: [Element?], elementOID: UInt32, to out: inout [UInt8],
                                             element: (Element, inout [UInt8]) -> Void) {
        let hasNulls = values.contains { $0 == nil }
        append(UInt32(values.isEmpty ? 0 : 1), to: &out)
        append(UInt32(hasNulls ? 1 : 0), to: &out)
        append(elementOID, to: &out)
        guard !values.isEmpty else { return }
        append(UInt32(values.count), to: &out)
        append(UInt32(1), to: &out)
        for value in values {
            guard let value else {
                append(UInt32(bitPattern: -1), to: &out)
                continue
            }
            let lengthAt = out.count
            append(UInt32(0), to: &out)
            element(value, &out)
            let length = UInt32(out.count - lengthAt - 4)
            for index in 0..<4 { out[lengthAt + index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * UInt32(index))) }
        }
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }
}
