import Dispatch
import Synchronization

/// The store's read-only connections: each read borrows one for its duration, so up to `size`
/// reads run at once, beside each other and beside a write transaction (WAL mode gives each
/// reader a snapshot; nobody waits for the writer).
///
/// Each connection sits in its own `Mutex`, held while it is borrowed: that is what gives a handle
/// to one thread at a time (they are opened with `SQLITE_OPEN_NOMUTEX`), and what lets `close`
/// and a restore wait for the reads in flight. A semaphore counts the free connections, so a read
/// beyond `size` waits for one instead of spinning.
final class ReadConnectionPool: Sendable {
    /// How many connections the pool holds.
    let size: Int
    private let slots: [Slot]
    /// The indexes of the slots nobody borrowed.
    private let free: Mutex<[Int]>
    private let available: DispatchSemaphore

    /// Opens `size` (at least 1) read-only connections on `path`.
    init(path: String, size: Int, busyTimeout: Duration) throws {
        self.size = max(1, size)
        slots = try (0..<self.size).map { _ in Slot(try Self.open(path: path, busyTimeout: busyTimeout)) }
        free = Mutex(Array(0..<self.size))
        available = DispatchSemaphore(value: self.size)
    }

    /// Runs `body` with a free connection, waiting for one when all are borrowed; throws
    /// `StoreError.closed` when the pool was closed.
    func withConnection<T: Sendable>(path: String, _ body: (SQLiteConnection) throws -> T) throws -> T {
        available.wait()
        let index = free.withLock { $0.removeLast() }
        defer {
            free.withLock { $0.append(index) }
            available.signal()
        }
        return try slots[index].connection.withLock { connection throws -> T in
            guard let connection else { throw StoreError.closed(path) }
            return try body(connection)
        }
    }

    /// Closes every connection, each once the read using it ended; returns the first error.
    func close() -> Result<Void, any Error> {
        var result: Result<Void, any Error> = .success(())
        for slot in slots {
            let closed = slot.connection.withLock { connection -> Result<Void, any Error> in
                defer { connection = nil }
                return Result { try connection?.close() }
            }
            if case .failure = closed, case .success = result { result = closed }
        }
        return result
    }

    /// Opens again every connection `close` closed, on the file now at `path` (after a restore).
    func reopen(path: String, busyTimeout: Duration) throws {
        for slot in slots {
            try slot.connection.withLock { connection in
                if connection == nil { connection = try Self.open(path: path, busyTimeout: busyTimeout) }
            }
        }
    }

    /// The most of the database file a read connection maps into memory (SQLite lowers it to its
    /// compiled-in maximum, 2 GiB in the distributions' builds); past it, pages are read with `pread`.
    static let mappedBytes: Int64 = 1 << 40

    /// A read-only connection on `path` that reads the database file through a memory map.
    ///
    /// A listing reads each of its rows from a different page of the events table (an entity's
    /// events are spread over the whole file): through `pread`, each is a system call and a 4 KiB
    /// copy out of the kernel's page cache (a quarter of a listing's CPU, measured), where mapped
    /// pages are read in place, shared by every connection. Only reads are mapped (the writer
    /// writes through the log), and the log itself is always read with `pread`. The cost SQLite
    /// documents: an I/O error while reading a mapped page is a signal, not an error code.
    static func open(path: String, busyTimeout: Duration) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path, readOnly: true, busyTimeout: busyTimeout)
        _ = try connection.query("PRAGMA mmap_size = \(mappedBytes)") { $0.int64(0) }
        return connection
    }

    /// One connection in its lock (a `Mutex` cannot sit in an array by itself); nil once closed.
    private final class Slot: Sendable {
        let connection: Mutex<SQLiteConnection?>
        init(_ connection: SQLiteConnection) { self.connection = Mutex(connection) }
    }
}
