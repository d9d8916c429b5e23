import Foundation
import HubCore
import HubServices
import Synchronization

/// Folds the write-ahead log into the database file on its own thread and its own connection, so
/// that the fsyncs of a checkpoint never stall the thread that commits batches.
///
/// The store turns SQLite's automatic checkpoints off on its write connection; this runs a
/// PASSIVE checkpoint (which never waits for readers or writers) at a fixed period instead. Under
/// steady commits such a checkpoint never catches up with the log's end (commits keep appending
/// while it copies and syncs), so SQLite never starts the log over and it grows until the store's
/// cap truncates it inside a commit (a 64 MB log: about 60 ms that commit waits). So once its
/// passes have come within a few frames of the log's end, the checkpointer copies the rest while
/// batch writes wait (`pausingWrites`, see `foldLog`): a few milliseconds each period, after which
/// the next commit starts the log over from its beginning.
final class Checkpointer: Sendable {
    private let connection: Mutex<SQLiteConnection?>
    private let period: Duration
    private let logger: Logger
    private let stopRequested = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Set by `start`.
    private let started = Atomic<Bool>(false)
    /// How to pause batch writes, given by `start`; held for the whole of a fold, so that two folds
    /// (the period's and a retention sweep's) never interleave, where one would hold the writes
    /// paused while waiting for the other's pass to end.
    private let folding = Mutex<(@Sendable (() -> Void) -> Void)?>(nil)

    /// Opens a connection of its own to the database at `path`; `start` starts the checkpoints.
    init(path: String, busyTimeout: Duration, period: Duration, logger: Logger) throws {
        connection = Mutex(try SQLiteConnection(path: path, readOnly: false, busyTimeout: busyTimeout))
        self.period = period
        self.logger = logger
    }

    /// Starts checkpointing every `period` on a thread of its own. `pausingWrites` runs its
    /// argument while no batch write can begin (the store holds its write connection's lock).
    func start(pausingWrites: @escaping @Sendable (() -> Void) -> Void) {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        folding.withLock { $0 = pausingWrites }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("hub checkpoint")
            var failures = 0
            while stopRequested.wait(timeout: .now() + period.timeInterval) == .timedOut {
                do {
                    try fold()
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

    /// Folds the log into the file as each period does (`foldLog`), once it holds more than
    /// `frames` frames (a PASSIVE checkpoint only, when it holds fewer), waiting for a fold under way
    /// on another thread to end first; does nothing before `start`.
    func fold(whenLogExceeds frames: Int64 = 0) throws {
        try folding.withLock { pausingWrites in
            guard let pausingWrites else { return }
            try foldLog(whenLogExceeds: frames, pausingWrites: pausingWrites)
        }
    }

    /// One fold: PASSIVE passes, each copying what commits appended during the one before, until a
    /// pass finds that few frames were appended during the last (at most
    /// `framesCopiedWhileWritesWait`); then one more while writes wait, which leaves the log copied
    /// whole, so that the next commit starts it over. Gives up after four passes, when the log
    /// started over already or holds at most `frames` frames, or when a reader's snapshot held a
    /// pass back (the next ones would be held back too).
    private func foldLog(whenLogExceeds frames: Int64, pausingWrites: (() -> Void) -> Void) throws {
        var previous = try passiveCheckpoint()
        for _ in 0..<3 {
            guard previous.log > frames, previous.copied == previous.log else { return }
            let pass = try passiveCheckpoint()
            let appended = pass.log - previous.log
            guard appended > 0 else { return }
            previous = pass
            if appended <= Self.framesCopiedWhileWritesWait {
                var result: Result<(log: Int64, copied: Int64), any Error> = .success(pass)
                pausingWrites { result = Result { try self.passiveCheckpoint() } }
                _ = try result.get()
                return
            }
        }
    }

    /// The most frames commits may have appended during a pass for the checkpointer to copy the
    /// next ones while writes wait (about 2 MB: a few milliseconds of copying and syncing).
    static let framesCopiedWhileWritesWait: Int64 = 500

    /// Runs one PASSIVE checkpoint now.
    func checkpoint() throws {
        _ = try folding.withLock { _ in try passiveCheckpoint() }
    }

    /// Runs one PASSIVE checkpoint; returns the frames in the log and how many of them are now in the file.
    private func passiveCheckpoint() throws -> (log: Int64, copied: Int64) {
        let frames = try connection.withLock { connection in
            guard let connection else { return (log: Int64(0), copied: Int64(0)) }
            return try connection.query("PRAGMA wal_checkpoint(PASSIVE)") { row in (log: row.int64(1), copied: row.int64(2)) }.first
                ?? (0, 0)
        }
        logger.debug("checkpoint", ["wal_frames": String(frames.log), "checkpointed": String(frames.copied)])
        return frames
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
        if started.load(ordering: .relaxed) {
            stopRequested.signal()
            finished.wait()
        }
        try connection.withLock { connection in
            defer { connection = nil }
            try connection?.close()
        }
    }
}
