import Foundation
import HubServices
import Synchronization

/// The leases of a fleet of hubs sharing one PostgreSQL database (see `SingletonLease`): one row per
/// task in `hub_leases (task, holder, expires_at)`, on a connection of its own.
///
/// A lease is taken or renewed by one statement, an upsert whose update applies only when the
/// lease ran out or is already the asker's (`... ON CONFLICT (task) DO UPDATE ... WHERE
/// hub_leases.expires_at < now() OR hub_leases.holder = $2`), so two hubs asking at once cannot
/// both get it: PostgreSQL locks the row for the first and re-checks the condition for the
/// second. Expiry is written and compared on the database's clock alone (`now()`), so the hosts'
/// clocks never need to agree. Released leases keep their row (expired at once), which is how the
/// fleet's members stay listed (`tasks(withPrefix:)`).
///
/// Why rows and not advisory locks: see docs/ARCHITECTURE.md (a lock lives as long as its
/// connection, not for a stated time).
public final class PostgresLease: SingletonLease {
    private let connection: Mutex<PostgresConnection>

    /// The table, created by the first hub that needs it (idempotent; two hubs racing to create it
    /// are told apart by the retry below).
    static let schema = """
        CREATE TABLE IF NOT EXISTS hub_leases (
            task text PRIMARY KEY,
            holder text NOT NULL,
            expires_at timestamptz NOT NULL
        )
        """

    /// Connects to `url` and creates the lease table when missing.
    ///
    /// - Throws: `PostgresError` when the server cannot be reached or the table cannot be created.
    public init(url: String) throws {
        let connection = try PostgresConnection(url: url)
        do {
            try connection.run(script: Self.schema)
        } catch {
            // Another hub created it at the same moment (a unique violation on the catalog): it exists now.
            try connection.reconnectIfNeeded()
            try connection.run(script: Self.schema)
        }
        self.connection = Mutex(connection)
    }

    public func acquire(_ task: String, holder: String, for duration: Duration) throws -> Bool {
        let milliseconds = Int64(duration.timeInterval * 1000)
        return try connection.withLock { connection in
            try connection.reconnectIfNeeded()
            return try connection.query("""
                INSERT INTO hub_leases (task, holder, expires_at) VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond')
                ON CONFLICT (task) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE hub_leases.expires_at < now() OR hub_leases.holder = EXCLUDED.holder
                RETURNING holder
                """, [.text(task), .text(holder), .bigint(milliseconds)]) { _ in true }.isEmpty == false
        }
    }

    public func release(_ task: String, holder: String) throws {
        try connection.withLock { connection in
            try connection.reconnectIfNeeded()
            try connection.execute("UPDATE hub_leases SET expires_at = now() WHERE task = $1 AND holder = $2",
                                   [.text(task), .text(holder)])
        }
    }

    public func tasks(withPrefix prefix: String) throws -> [String] {
        try connection.withLock { connection in
            try connection.reconnectIfNeeded()
            return try connection.query("SELECT task FROM hub_leases WHERE starts_with(task, $1) ORDER BY task",
                                        [.text(prefix)]) { $0.text(0) }
        }
    }

    /// Closes the connection; later calls throw.
    public func close() {
        connection.withLock { $0.close() }
    }
}
