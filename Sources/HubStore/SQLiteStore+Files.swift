import Foundation
import HubServices
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The store's watch over its own files: a deleted database restored from the open handle, a
// replaced one refused, the write-ahead log kept under its cap, and a probe that really commits.
extension SQLiteStore {
    /// The `application_id` the readiness probe writes into the database header: "HUB1".
    static let applicationID: Int32 = 0x4855_4231

    /// Whether the store can take a write now: the paths still name the files it opened, and a
    /// one-page transaction really commits (it writes the header's `application_id`).
    ///
    /// - Throws: `StoreError` saying why not: `.fileReplaced`, `.readOnly`, `.full`, `.ioError`...
    public func checkWritable() throws {
        try writeConnection.withLock { slot in
            let connection = try verifyFiles(&slot)
            try connection.transaction { try connection.run("PRAGMA application_id = \(Self.applicationID)") }
        }
    }

    /// The write connection, after making sure the database file and its log at `path` are the
    /// ones the store opened.
    ///
    /// A database (or log) deleted under the running hub is still open, and still holds every
    /// commit: the store copies it to a new file at `path` (`VACUUM INTO`, then a rename), opens
    /// its connections on the copy and goes on, so that nothing committed is lost. A file put in
    /// its place by someone else is not overwritten: the store refuses to write (`.fileReplaced`)
    /// until the original is back, and the hub holds what it has meanwhile.
    func verifyFiles(_ slot: inout SQLiteConnection?) throws -> SQLiteConnection {
        let opened = files.withLock { $0 }
        if opened.needsReopen { return try reopenConnections(&slot) }
        guard let connection = slot else { throw StoreError.closed(path) }
        let database = FileIdentity.of(path)
        let log = FileIdentity.of(path + "-wal")
        if let expected = opened.database, let database, !database.isSameFile(as: expected) {
            throw StoreError(.fileReplaced, "the database file \(path) was replaced by another file (inode \(database), the hub opened \(expected)); the hub keeps what it holds and retries: put the original file back, or stop the hub (what it holds is spilled beside the database)")
        }
        if let expected = opened.log, let log, !log.isSameFile(as: expected) {
            throw StoreError(.fileReplaced, "the write-ahead log \(path)-wal was replaced by another file (inode \(log), the hub opened \(expected)); the hub keeps what it holds and retries")
        }
        if opened.database != nil, database == nil {
            return try restore(&slot, from: connection, because: "the database file \(path) was deleted")
        }
        if opened.log != nil, log == nil {
            return try restore(&slot, from: connection, because: "the write-ahead log \(path)-wal was deleted")
        }
        if opened.log == nil, let log { files.withLock { $0.log = log } }
        return connection
    }

    /// Copies the open database (whose file at `path` is gone) to a new file there and reopens
    /// every connection on it.
    private func restore(_ slot: inout SQLiteConnection?, from connection: SQLiteConnection, because why: String) throws -> SQLiteConnection {
        logger.error("\(why) while the hub was running; restoring it from the open copy", ["path": path])
        let copy = path + ".restoring"
        unlink(copy)
        do {
            try connection.run("VACUUM INTO ?", [.text(copy)])
        } catch {
            unlink(copy)
            throw StoreError((error as? StoreError)?.code ?? .ioError,
                             "\(why) while the hub was running, and copying the open database to \(copy) failed: \(error)")
        }
        // Close every handle on the old files first: the last close removes "<path>-wal" by name.
        files.withLock { $0.needsReopen = true }
        _ = readPool.close()
        checkpointer.closeConnection()
        try? connection.close()
        slot = nil
        guard rename(copy, path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError(.ioError, "\(why); the copy \(copy) could not be renamed to \(path): \(reason)")
        }
        let restored = try reopenConnections(&slot)
        let events = (try? restored.query("SELECT count(*) FROM events") { $0.int64(0) }.first) ?? nil
        logger.warning("database restored; commits go on", ["path": path, "events": events.map(String.init) ?? "?"])
        return restored
    }

    /// Opens the write and read connections and the checkpointer's on the file at `path`, after a restore.
    private func reopenConnections(_ slot: inout SQLiteConnection?) throws -> SQLiteConnection {
        if slot == nil { slot = try Self.openWriter(path: path, options: options, logger: logger) }
        try readPool.reopen(path: path, busyTimeout: options.busyTimeout)
        try checkpointer.reopen(path: path, busyTimeout: options.busyTimeout)
        files.withLock { $0 = OpenedFiles(database: FileIdentity.of(path), log: FileIdentity.of(path + "-wal")) }
        guard let writer = slot else { throw StoreError.closed(path) }
        return writer
    }

    /// Folds the write-ahead log into the database file and truncates it to nothing
    /// (`wal_checkpoint(TRUNCATE)`); a failure is logged, not thrown (the commit is done, or failed already).
    func truncateLog(on connection: SQLiteConnection, because why: String) {
        do {
            let result = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)") { (busy: $0.int64(0), frames: $0.int64(1)) }.first
            logger.debug("write-ahead log truncated", ["why": why, "busy": String(result?.busy ?? 0),
                                                       "frames": String(result?.frames ?? 0)])
        } catch {
            logger.debug("truncating the write-ahead log failed; the next commit tries again", ["why": why, "error": "\(error)"])
        }
    }
}
