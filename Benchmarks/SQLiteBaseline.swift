import CSQLite
import Foundation
import HubCore
import HubServices
import HubStore

/// The baseline the decode-and-persist benchmark is compared with: the same event rows inserted into
/// the same `events` table (same indexes) through the sqlite3 C API directly, in batched transactions,
/// with nothing else to do: no decoding, no queues, no latest-state upkeep.
enum SQLiteBaseline {
    /// Inserts `events` into a fresh database at `path` in transactions of `batchSize`; returns the seconds taken.
    static func insert(_ events: [Event], path: String, batchSize: Int) throws -> Double {
        // The store creates the schema (and its indexes) so that both sides write the same tables.
        try SQLiteStore(path: path, logger: Logger(label: "bench")).close()
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        // The baseline does nothing but insert: the device registry's upkeep (schema 2) is the hub's work.
        try exec(db, "DROP TRIGGER IF EXISTS devices_heard; DROP TRIGGER IF EXISTS devices_status;")
        let eventSQL = """
            INSERT OR IGNORE INTO events (id, type, entity, observed_at, received_at, route, latitude, longitude, attributes)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """
        var eventStatement: OpaquePointer?
        guard sqlite3_prepare_v2(db, eventSQL, -1, &eventStatement, nil) == SQLITE_OK, let statement = eventStatement
        else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(statement) }
        // Rows are prepared before the clock starts: the baseline measures SQLite alone.
        let rows = events.map { ($0.id.rawValue, $0.type, $0.entity, $0.observedAt.microsecondsSinceEpoch,
                                 $0.receivedAt.microsecondsSinceEpoch, $0.route, $0.attributesJSON) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = DispatchTime.now()
        for batchStart in stride(from: 0, to: rows.count, by: batchSize) {
            try exec(db, "BEGIN IMMEDIATE")
            for row in rows[batchStart..<min(batchStart + batchSize, rows.count)] {
                sqlite3_bind_text(statement, 1, row.0, -1, transient)
                sqlite3_bind_text(statement, 2, row.1, -1, transient)
                sqlite3_bind_text(statement, 3, row.2, -1, transient)
                sqlite3_bind_int64(statement, 4, row.3)
                sqlite3_bind_int64(statement, 5, row.4)
                sqlite3_bind_text(statement, 6, row.5, -1, transient)
                sqlite3_bind_null(statement, 7)
                sqlite3_bind_null(statement, 8)
                sqlite3_bind_text(statement, 9, row.6, -1, transient)
                guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(statement)
            }
            try exec(db, "COMMIT")
        }
        return DecodeBenchmark.seconds(since: start)
    }

    private static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
