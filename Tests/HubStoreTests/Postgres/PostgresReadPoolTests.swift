import Dispatch
import Foundation
@testable import HubPostgres
import HubTesting
import Synchronization
import XCTest

/// The read connections: more reads than connections wait their turn and all answer; after the
/// server restarts, a read answers without its caller seeing the lost connection.
final class PostgresReadPoolTests: XCTestCase {
    nonisolated(unsafe) static var server: PostgresServer?
    private static let databases = Mutex(0)

    override class func setUp() {
        super.setUp()
        server = try? PostgresServer()
    }

    override class func tearDown() {
        server = nil
        super.tearDown()
    }

    /// The running server (or the error that kept it from starting).
    private func runningServer() throws -> PostgresServer {
        if let server = Self.server { return server }
        return try PostgresServer()
    }

    /// A new, empty database's URL.
    private func makeDatabase() throws -> String {
        let server = try runningServer()
        let name = "pool_\(Self.databases.withLock { count in count += 1; return count })"
        try server.createDatabase(name)
        return server.url(database: name)
    }

    func testMoreReadsThanConnectionsEachGetAnAnswer() throws {
        let pool = try PostgresReadPool(url: makeDatabase(), size: 2)
        defer { pool.close() }
        let answers = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                let value = try pool.withConnection { connection in
                    try connection.query("SELECT $1::bigint FROM pg_sleep(0.05)", [.bigint(Int64(index))]) { $0.int64(0) }.first
                }
                answers.withLock { $0.append(value ?? -1) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(answers.withLock { $0.sorted() }, Array(0..<8))
    }

    func testAReadAfterTheServerRestartedAnswers() throws {
        let server = try runningServer()
        let pool = try PostgresReadPool(url: makeDatabase(), size: 2)
        defer { pool.close() }
        for _ in 0..<2 { XCTAssertEqual(try pool.withConnection { try $0.query("SELECT 1::bigint") { $0.int64(0) } }, [1]) }
        try server.restart()
        for _ in 0..<4 {
            XCTAssertEqual(try pool.withConnection { try $0.query("SELECT 2::bigint") { $0.int64(0) } }, [2], "no error for the lost session")
        }
        pool.close()
        XCTAssertThrowsError(try pool.withConnection { try $0.query("SELECT 3::bigint") { $0.int64(0) } }) { error in
            XCTAssertEqual((error as? PostgresError)?.code, .closed)
        }
    }
}
