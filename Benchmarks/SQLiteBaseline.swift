import CSQLite
import Foundation
import HubCore

/// The baseline the decode-and-persist benchmark is compared with: each event's id, observation
/// time and attributes inserted into a minimal table (`readings (id, time, payload)`, no index)
/// through the sqlite3 C API, in batched transactions, with nothing else to do: no decoding, no
/// queues, no names, no latest state, no registry. The ratio says what the hub's layout and
/// pipeline cost over a bare insert.
enum SQLiteBaseline {
    /// Inserts `events` into a fresh database at `path` in transactions of `batchSize`; returns the seconds taken.
    static func insert(_ events: [Event], path: String, batchSize: Int) throws -> Double {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        try exec(db, "CREATE TABLE readings (id TEXT NOT NULL, time INTEGER NOT NULL, payload TEXT NOT NULL)")
        var insert: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO readings (id, time, payload) VALUES (?1, ?2, ?3)", -1, &insert, nil) == SQLITE_OK,
              let statement = insert
        else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(statement) }
        // Rows are prepared before the clock starts: the baseline measures SQLite alone.
        let rows = events.map { ($0.id.rawValue, $0.observedAt.microsecondsSinceEpoch, $0.attributesJSON) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = DispatchTime.now()
        for batchStart in stride(from: 0, to: rows.count, by: batchSize) {
            try exec(db, "BEGIN IMMEDIATE")
            for row in rows[batchStart..<min(batchStart + batchSize, rows.count)] {
                sqlite3_bind_text(statement, 1, row.0, -1, transient)
                sqlite3_bind_int64(statement, 2, row.1)
                sqlite3_bind_text(statement, 3, row.2, -1, transient)
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
