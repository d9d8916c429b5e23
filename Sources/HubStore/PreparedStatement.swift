import CSQLite
import Foundation

/// One compiled SQL statement, prepared once and reused: bind, step, reset.
///
/// Owned by the `SQLiteConnection` that prepared it and used under the same discipline (one thread
/// at a time, see `SQLiteConnection`); the connection finalizes it when it closes.
final class PreparedStatement {
    /// The SQL it was prepared from.
    let sql: String
    private let handle: OpaquePointer
    private let database: OpaquePointer

    /// SQLite's "copy the bytes now" destructor. `SQLITE_TRANSIENT` is a macro Swift does not import.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    init(sql: String, handle: OpaquePointer, database: OpaquePointer) {
        self.sql = sql
        self.handle = handle
        self.database = database
    }

    /// Binds `values` to the parameters `?1`, `?2`, ... in order.
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let number):
                status = sqlite3_bind_int64(handle, index, number)
            case .real(let number):
                status = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                // withCString never hands over a nil pointer (which would bind NULL), and the explicit
                // byte count keeps any NUL inside the text.
                status = text.withCString { characters in
                    sqlite3_bind_text(handle, index, characters, Int32(text.utf8.count), Self.transient)
                }
            case .blob(let data):
                if data.isEmpty {
                    // sqlite3_bind_blob with a nil pointer binds NULL; a zero-length blob is what was given.
                    status = sqlite3_bind_zeroblob(handle, index, 0)
                } else {
                    status = data.withUnsafeBytes { bytes in
                        sqlite3_bind_blob64(handle, index, bytes.baseAddress, sqlite3_uint64(bytes.count), Self.transient)
                    }
                }
            case .null:
                status = sqlite3_bind_null(handle, index)
            }
            guard status == SQLITE_OK else {
                throw StoreError("binding parameter \(index) of \"\(sql)\"", status: status, database: database)
            }
        }
    }

    /// Runs the statement one step: true when a row is available (read it with `row`), false when done.
    func step() throws -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StoreError("running \"\(sql)\"", status: status, database: database)
        }
    }

    /// Runs the statement with `values` bound, ignoring any rows, and makes it ready to run again.
    func execute(_ values: [SQLiteValue] = []) throws {
        defer { reset() }
        try bind(values)
        while try step() {}
    }

    /// Runs an INSERT with `values` bound and makes it ready to run again; returns the new row's
    /// rowid, or nil when it inserted nothing (`INSERT OR IGNORE` meeting a row already there).
    /// Cheaper than `RETURNING`, which keeps the rows it returns in a table of their own.
    func insertedRowID(_ values: [SQLiteValue]) throws -> Int64? {
        try execute(values)
        return sqlite3_changes(database) == 1 ? sqlite3_last_insert_rowid(database) : nil
    }

    /// Runs the statement with `values` bound, turns each row into a `T`, and makes it ready to run again.
    func rows<T>(_ values: [SQLiteValue] = [], _ read: (Row) throws -> T) throws -> [T] {
        defer { reset() }
        try bind(values)
        var rows: [T] = []
        while try step() { rows.append(try read(row)) }
        return rows
    }

    /// Runs the statement with `values` bound and hands each row to `body` as it is read (for more
    /// rows than should sit in memory at once), then makes it ready to run again.
    func forEachRow(_ values: [SQLiteValue] = [], _ body: (Row) throws -> Void) throws {
        defer { reset() }
        try bind(values)
        while try step() { try body(row) }
    }

    /// The current row; valid until the next `step` or `reset`.
    var row: Row { Row(handle: handle) }

    /// Makes the statement ready to run again and clears its bindings. Errors were already
    /// reported by `step`, so the status of `sqlite3_reset` is not looked at.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Releases the compiled statement; the connection calls this once, before it closes.
    func finalize() {
        sqlite3_finalize(handle)
    }

    /// The columns of the row a statement stands on, by position (0-based).
    struct Row {
        fileprivate let handle: OpaquePointer

        /// How many columns the row has.
        var columnCount: Int { Int(sqlite3_column_count(handle)) }

        /// The column's storage class and value, exactly (`integer 3`, `real 4.5`, `text "a"`,
        /// `blob 0aff`, `null`): what tests compare rows by.
        func describe(_ column: Int32) -> String {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: "integer \(int64(column))"
            case SQLITE_FLOAT: "real \(sqlite3_column_double(handle, column).bitPattern)"
            case SQLITE_TEXT: "text \(text(column).debugDescription)"
            case SQLITE_BLOB: "blob \(blob(column).map { String(format: "%02x", $0) }.joined())"
            default: "null"
            }
        }

        /// Whether the column is NULL.
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        /// The column as a 64-bit integer (0 for NULL).
        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        /// The column as a double, or nil for NULL.
        func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

        /// The column as UTF-8 text ("" for NULL).
        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// The column's storage class: `SQLITE_INTEGER`, `SQLITE_FLOAT`, `SQLITE_TEXT`, `SQLITE_BLOB`
        /// or `SQLITE_NULL`.
        func storageClass(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

        /// Calls `body` with the column's bytes where SQLite holds them, without a copy: a blob's
        /// bytes, or a text's UTF-8 (empty for NULL). Valid only inside `body`.
        func withBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            // sqlite3_column_blob hands a text over as it is stored (UTF-8 here), with no conversion.
            let start = sqlite3_column_blob(handle, column)?.assumingMemoryBound(to: UInt8.self)
            return try body(UnsafeBufferPointer(start: start, count: start == nil ? 0 : Int(sqlite3_column_bytes(handle, column))))
        }

        /// The column's bytes, exactly as stored (empty for NULL and for a zero-length blob).
        func blob(_ column: Int32) -> Data {
            guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
            return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
        }
    }
}
