import Foundation
@testable import HubPostgres
import HubTesting
import Synchronization
import XCTest

/// A real PostgreSQL server for one test class, and a new database on it for each test.
///
/// Each Postgres test class starts its server in `setUp()` (class) with `start()` and stops it in
/// `tearDown()` (class) with `stop()`: the cluster, its folder and its process end with the class.
final class PostgresTestDatabase: @unchecked Sendable {
    // @unchecked Sendable: `server` and `count` are touched only under `lock`.
    private let lock = NSLock()
    private var server: PostgresServer?
    private var startError: (any Error)?
    private var count = 0

    /// Starts the server; a failure is reported by the first `makeDatabase`.
    func start() {
        lock.withLock {
            do {
                server = try PostgresServer()
            } catch {
                startError = error
            }
        }
    }

    /// Stops the server and removes its folder.
    func stop() {
        lock.withLock { server = nil }
    }

    /// The running server.
    func runningServer() throws -> PostgresServer {
        try lock.withLock {
            if let startError { throw startError }
            return try XCTUnwrap(server, "PostgreSQL was not started")
        }
    }

    /// Creates a new, empty database and returns its URL.
    func makeDatabase() throws -> String {
        let server = try runningServer()
        let name = lock.withLock {
            count += 1
            return "test_\(count)"
        }
        try server.createDatabase(name)
        return server.url(database: name)
    }

    /// Connections to a new database holding the keeping tables, closed when `test` ends.
    func makeKeepingConnections(for test: XCTestCase) throws -> PostgresTestConnections {
        try connections(to: makeDatabase(), for: test)
    }

    /// Connections to the database `url` with the keeping tables made, closed when `test` ends.
    func connections(to url: String, for test: XCTestCase) throws -> PostgresTestConnections {
        let connections = try PostgresTestConnections(url: url)
        test.addTeardownBlock { connections.close() }
        try connections.withWriteConnection { try $0.run(script: PostgresKeepingSchema.sql) }
        return connections
    }
}

/// A write connection and a read pool, as a store holds them, for the concerns tested on their own.
final class PostgresTestConnections: PostgresConnectionProvider {
    private let writer: Mutex<PostgresConnection?>
    private let readers: PostgresReadPool

    init(url: String) throws {
        writer = Mutex(try PostgresConnection(url: url))
        readers = try PostgresReadPool(url: url, size: 2)
    }

    func withWriteConnection<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try writer.withLock { connection throws -> T in
            guard let connection else { throw PostgresError(.closed, "closed") }
            return try body(connection)
        }
    }

    func withReadConnection<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try readers.withConnection(body)
    }

    func close() {
        writer.withLock { connection in
            connection?.close()
            connection = nil
        }
        readers.close()
    }
}
