import Dispatch
import Synchronization

/// The store's read connections to one PostgreSQL database: each read borrows one for its
/// duration, so up to `size` reads run at once, beside each other and beside a write (PostgreSQL
/// gives each statement its own snapshot; nobody waits for the writer).
///
/// Each connection sits in its own `Mutex`, held while it is borrowed: that is what gives a libpq
/// connection to one thread at a time. A semaphore counts the free connections, so a read beyond
/// `size` waits for one instead of spinning.
///
/// After the server restarts, a connection's next command reconnects by itself
/// (`PostgresConnection`); a read that failed because its connection was found lost runs once
/// more on the reconnected session, since reading twice changes nothing.
final class PostgresReadPool: Sendable {
    /// How many connections the pool holds.
    let size: Int
    private let slots: [Slot]
    /// The indexes of the slots nobody borrowed.
    private let free: Mutex<[Int]>
    private let available: DispatchSemaphore
    private let redactedURL: String

    /// Opens `size` (at least 1) connections to `url`.
    ///
    /// - Throws: `PostgresError` with `.cannotConnect` when the server cannot be reached.
    init(url: String, size: Int) throws {
        self.size = max(1, size)
        slots = try (0..<self.size).map { _ in Slot(try PostgresConnection(url: url)) }
        redactedURL = PostgresConnection.redacted(url)
        free = Mutex(Array(0..<self.size))
        available = DispatchSemaphore(value: self.size)
    }

    /// Runs `body` with a free connection, waiting for one when all are borrowed; runs it once more
    /// when the connection was found lost.
    ///
    /// - Throws: `PostgresError` with `.closed` once the pool is closed; what `body` throws.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        available.wait()
        let index = free.withLock { $0.removeLast() }
        defer {
            free.withLock { $0.append(index) }
            available.signal()
        }
        return try slots[index].connection.withLock { connection throws -> T in
            guard let connection else { throw PostgresError(.closed, "the store at \(redactedURL) is closed") }
            do {
                return try body(connection)
            } catch let error as PostgresError where error.isConnectionFailure {
                return try body(connection)
            }
        }
    }

    /// Closes every connection, each once the read using it ended. Calling it again does nothing.
    func close() {
        for slot in slots {
            slot.connection.withLock { connection in
                connection?.close()
                connection = nil
            }
        }
    }

    /// One connection in its lock (a `Mutex` cannot sit in an array by itself); nil once closed.
    private final class Slot: Sendable {
        let connection: Mutex<PostgresConnection?>
        init(_ connection: PostgresConnection) { self.connection = Mutex(connection) }
    }
}
