import Foundation
import HubCore
import HubServices
import Synchronization

/// Folds the write-ahead log into the database file on its own thread and its own connection, so
/// that the fsyncs of a checkpoint never stall the thread that commits batches.
///
/// The store turns SQLite's automatic checkpoints off on its write connection; this runs a
/// PASSIVE checkpoint (which never waits for readers or writers) at a fixed period instead.
final class Checkpointer: Sendable {
    private let connection: Mutex<SQLiteConnection?>
    private let period: Duration
    private let logger: Logger
    private let stopRequested = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Opens a connection of its own to the database at `path` and starts checkpointing every `period`.
    init(path: String, busyTimeout: Duration, period: Duration, logger: Logger) throws {
        connection = Mutex(try SQLiteConnection(path: path, readOnly: false, busyTimeout: busyTimeout))
        self.period = period
        self.logger = logger
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub checkpoint")
            var failures = 0
            while stopRequested.wait(timeout: .now() + period.timeInterval) == .timedOut {
                do {
                    try checkpoint()
                    if failures > 0 { logger.info("background checkpoints work again", ["failed": String(failures)]) }
                    failures = 0
                } catch {
                    // The first failure of a run, then about once a minute.
                    if failures % max(1, Int(60 / max(period.timeInterval, 0.001))) == 0 {
                        logger.warning("background checkpoint failed; the write-ahead log grows until one succeeds",
                                       ["error": "\(error)", "failures": String(failures + 1)])
                    }
                    failures += 1
                }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Runs one PASSIVE checkpoint now.
    func checkpoint() throws {
        let frames = try connection.withLock { connection in
            guard let connection else { return (log: Int64(0), copied: Int64(0)) }
            return try connection.query("PRAGMA wal_checkpoint(PASSIVE)") { row in (log: row.int64(1), copied: row.int64(2)) }.first
                ?? (0, 0)
        }
        logger.debug("checkpoint", ["wal_frames": String(frames.log), "checkpointed": String(frames.copied)])
    }

    /// Closes the connection and opens a new one to `path` (after the store restored its file).
    func reopen(path: String, busyTimeout: Duration) throws {
        try connection.withLock { connection in
            guard connection != nil else { return }
            try? connection?.close()
            connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: busyTimeout)
        }
    }

    /// Closes the connection (before the store restores its file); `reopen` opens a new one.
    func closeConnection() {
        connection.withLock { try? $0?.close() }
    }

    /// Stops the thread and closes the connection; calling it again does nothing.
    func stop() throws {
        let wasOpen = connection.withLock { $0 != nil }
        guard wasOpen else { return }
        stopRequested.signal()
        finished.wait()
        try connection.withLock { connection in
            defer { connection = nil }
            try connection?.close()
        }
    }
}
