import Foundation

/// A value bound to a statement parameter, in SQLite's own storage classes.
enum SQLiteValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case null
}

extension SQLiteValue {
    /// Text, or NULL when absent.
    static func text(_ value: String?) -> SQLiteValue { value.map(SQLiteValue.text) ?? .null }
    /// A real number, or NULL when absent.
    static func real(_ value: Double?) -> SQLiteValue { value.map(SQLiteValue.real) ?? .null }
}
