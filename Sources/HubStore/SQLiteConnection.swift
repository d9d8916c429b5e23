import CSQLite
import Foundation

/// One open SQLite database handle and the statements prepared on it, each prepared once (on
/// first use) and reused.
///
/// A connection is not safe for two threads at once, and it does not lock: it is opened with
/// `SQLITE_OPEN_NOMUTEX` because its owner serializes every use. `SQLiteStore` keeps each
/// connection inside a `Mutex` and reaches it only through `withLock`.
final class SQLiteConnection: @unchecked Sendable {
    // @unchecked Sendable: `handle` and `statements` are touched by one thread at a time because the
    // only owner, SQLiteStore, reaches a connection solely inside the Mutex that holds it.
    private var handle: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]

    /// The database file.
    let path: String
    /// The `names` dictionary as this connection knows it (used on the write connection).
    var names = NameDictionary()
    /// The `attribute_shapes` templates as this connection knows them (used on the write connection).
    var shapes = AttributeShapeDictionary()
    /// The names and attribute templates this connection read (used on read connections).
    var readDictionary = ReadDictionary()
    /// Device registry rows this connection committed or read (the write connection is the only
    /// writer of `devices`), so a batch reads from the table only devices it has not seen.
    var knownDevices: [String: DeviceRegistryFold.Row] = [:]

    /// SQLite set up for the process before its first connection: without memory statistics,
    /// whose mutex every allocation would otherwise take (see the CSQLite shim).
    private static let libraryConfigured: Void = { _ = hub_sqlite3_disable_memory_statistics() }()

    /// Opens `path` (creating the file unless `readOnly`) with extended result codes and a busy timeout.
    init(path: String, readOnly: Bool, busyTimeout: Duration) throws {
        Self.libraryConfigured
        self.path = path
        var database: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let status = sqlite3_open_v2(path, &database, access | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let database else {
            let error = StoreError("opening \(path)", status: status, database: database)
            // SQLite may hand back a handle even when opening failed; it must still be closed.
            sqlite3_close(database)
            throw error
        }
        handle = database
        sqlite3_extended_result_codes(database, 1)
        sqlite3_busy_timeout(database, busyTimeout.clampedMilliseconds)
    }

    deinit {
        // A safety net for a store that was never closed: close_v2 tolerates anything left behind.
        for statement in statements.values { statement.finalize() }
        if let handle { sqlite3_close_v2(handle) }
    }

    /// The statement for `sql`, prepared on first use and cached for the connection's lifetime.
    func statement(_ sql: String) throws -> PreparedStatement {
        if let cached = statements[sql] { return cached }
        let database = try openHandle()
        var compiled: OpaquePointer?
        let status = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &compiled, nil)
        guard status == SQLITE_OK, let compiled else {
            throw StoreError("preparing \"\(sql)\"", status: status, database: database)
        }
        let statement = PreparedStatement(sql: sql, handle: compiled, database: database)
        statements[sql] = statement
        return statement
    }

    /// Runs a statement that returns no rows (or whose rows do not matter) with `values` bound.
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws {
        try statement(sql).execute(values)
    }

    /// Runs a query with `values` bound and turns each row into a `T`.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], row: (PreparedStatement.Row) throws -> T) throws -> [T] {
        try statement(sql).rows(values, row)
    }

    /// Runs SQL text that may hold several statements (schema changes), without caching them.
    func execute(script sql: String) throws {
        let database = try openHandle()
        let status = sqlite3_exec(database, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw StoreError("running a script", status: status, database: database) }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`; on any error rolls back and rethrows.
    ///
    /// IMMEDIATE takes the write lock at the start, so a busy database is reported (after the busy
    /// timeout) before any work is done rather than at commit.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            // A failed COMMIT or statement may already have ended the transaction.
            if let handle, sqlite3_get_autocommit(handle) == 0 { try? run("ROLLBACK") }
            throw error
        }
    }

    /// The largest string or blob the connection stores (`SQLITE_LIMIT_LENGTH`).
    var lengthLimit: Int {
        guard let handle else { return 0 }
        return Int(sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, -1))
    }

    /// Lowers the largest string or blob the connection stores (SQLite never raises it above its
    /// compiled-in maximum).
    func setLengthLimit(_ bytes: Int) {
        guard let handle else { return }
        sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, Int32(clamping: bytes))
    }

    /// Finalizes every statement and closes the handle. Calling it again does nothing.
    func close() throws {
        guard let database = handle else { return }
        for statement in statements.values { statement.finalize() }
        statements = [:]
        handle = nil
        let status = sqlite3_close(database)
        guard status == SQLITE_OK else {
            let error = StoreError("closing \(path)", status: status, database: database)
            sqlite3_close_v2(database)
            throw error
        }
    }

    private func openHandle() throws -> OpaquePointer {
        guard let handle else { throw StoreError.closed(path) }
        return handle
    }
}
