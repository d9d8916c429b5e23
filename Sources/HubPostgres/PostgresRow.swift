import CLibPQ
import Foundation

/// One row of a query's result, read in place (results come back in PostgreSQL's text format, so
/// any column type reads as the Swift type asked for: cast in SQL when the server's type differs,
/// e.g. `sum(count)::bigint`). Valid only inside the closure it is handed to.
public struct PostgresRow {
    let result: OpaquePointer
    let index: Int32

    /// Whether the column is NULL.
    public func isNull(_ column: Int32) -> Bool { PQgetisnull(result, index, column) != 0 }

    /// The column as an integer; 0 for NULL.
    public func int64(_ column: Int32) -> Int64 {
        guard let text = PQgetvalue(result, index, column) else { return 0 }
        return strtoll(text, nil, 10)
    }

    /// The column as an integer, nil for NULL.
    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    /// The column as a double (`Infinity`, `NaN` included), nil for NULL.
    public func double(_ column: Int32) -> Double? {
        guard !isNull(column), let text = PQgetvalue(result, index, column) else { return nil }
        return strtod(text, nil)
    }

    /// The column as text; empty for NULL.
    public func text(_ column: Int32) -> String {
        guard let text = PQgetvalue(result, index, column) else { return "" }
        return String(cString: text)
    }

    /// The column as text, nil for NULL.
    public func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// The column as a boolean (`t`); false for NULL.
    public func boolean(_ column: Int32) -> Bool {
        guard let text = PQgetvalue(result, index, column) else { return false }
        return text.pointee == CChar(UInt8(ascii: "t"))
    }

    /// A `bytea` column's bytes (PostgreSQL's hex text form `\x...` decoded); empty for NULL.
    public func bytes(_ column: Int32) -> Data {
        guard let text = PQgetvalue(result, index, column) else { return Data() }
        var length = 0
        guard let decoded = PQunescapeBytea(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), &length) else {
            return Data()
        }
        defer { PQfreemem(decoded) }
        return Data(bytes: decoded, count: length)
    }
}
