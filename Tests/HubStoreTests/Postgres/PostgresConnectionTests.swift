import Foundation
import HubCore
import HubPostgres
import HubTesting
import Synchronization
import XCTest

/// The libpq connection against a real server: typed parameters and rows, transactions, errors
/// with their SQLSTATE, TLS settings honoured from the URL, reconnection after a restart.
final class PostgresConnectionTests: XCTestCase {
    nonisolated(unsafe) static var server: PostgresServer?

    override class func setUp() {
        super.setUp()
        server = try? PostgresServer()
    }

    override class func tearDown() {
        server?.shutDown()
        server = nil
        super.tearDown()
    }

    private func connect() throws -> PostgresConnection {
        let server = try XCTUnwrap(Self.server, "PostgreSQL did not start")
        return try PostgresConnection(url: server.databaseURL)
    }

    func testParametersAndRowsKeepTheirValuesAndTypes() throws {
        let connection = try connect()
        let bytes = Data([0, 1, 2, 0xFF, 0x5C, 0x27])
        let row = try connection.query("SELECT $1::bigint, $2::float8, $3::text, $4::bytea, $5::boolean, $6::bigint IS NULL",
                                       [.bigint(-9_007_199_254_740_993), .double(0.1), .text("été ' \" \\"), .bytes(bytes),
                                        .boolean(true), .null]) { row in
            (row.int64(0), row.double(1), row.text(2), row.bytes(3), row.boolean(4), row.boolean(5))
        }.first
        let values = try XCTUnwrap(row)
        XCTAssertEqual(values.0, -9_007_199_254_740_993)
        XCTAssertEqual(values.1, 0.1)
        XCTAssertEqual(values.2, "été ' \" \\")
        XCTAssertEqual(values.3, bytes)
        XCTAssertTrue(values.4)
        XCTAssertTrue(values.5)
    }

    func testArraysUnnestWithTheirNulls() throws {
        let connection = try connect()
        let rows = try connection.query("SELECT a, b, c, d FROM unnest($1::bigint[], $2::float8[], $3::text[], $4::bytea[]) AS t(a, b, c, d)",
                                        [.bigintArray([1, nil, 3]), .doubleArray([nil, 2.5, -.infinity]),
                                         .textArray(["x", "", nil]), .bytesArray([Data([1]), nil, Data()])]) { row in
            [row.optionalInt64(0).map(String.init) ?? "NULL", row.double(1).map { "\($0)" } ?? "NULL",
             row.optionalText(2) ?? "NULL", row.isNull(3) ? "NULL" : "\(Array(row.bytes(3)))"]
        }
        XCTAssertEqual(rows, [["1", "NULL", "x", "[1]"], ["NULL", "2.5", "", "NULL"], ["3", "-inf", "NULL", "[]"]])
        XCTAssertEqual(try connection.query("SELECT cardinality($1::bigint[])", [.bigintArray([])]) { $0.int64(0) }, [0])
    }

    func testATransactionThatThrowsLeavesNothingAndTheErrorKeepsItsSQLState() throws {
        let connection = try connect()
        try connection.run(script: "CREATE TABLE IF NOT EXISTS t_unique (k bigint PRIMARY KEY)")
        XCTAssertThrowsError(try connection.transaction {
            try connection.execute("INSERT INTO t_unique VALUES ($1)", [.bigint(1)])
            try connection.execute("INSERT INTO t_unique VALUES ($1)", [.bigint(1)])
        }) { error in
            let failure = error as? PostgresError
            XCTAssertEqual(failure?.code, .server)
            XCTAssertEqual(failure?.sqlState, "23505")
            XCTAssertEqual(failure?.isConnectionFailure, false)
        }
        XCTAssertEqual(try connection.query("SELECT count(*) FROM t_unique") { $0.int64(0) }, [0])
    }

    func testSSLModeFromTheURLIsHonouredByLibpq() throws {
        let server = try XCTUnwrap(Self.server)
        // The test server has no TLS: a URL that requires it is refused by libpq, not downgraded.
        XCTAssertThrowsError(try PostgresConnection(url: server.databaseURL.replacingOccurrences(of: "sslmode=disable", with: "sslmode=require"))) { error in
            XCTAssertEqual((error as? PostgresError)?.code, .cannotConnect)
            XCTAssertTrue("\(error)".lowercased().contains("ssl"), "\(error)")
        }
    }

    /// A server with TLS: `sslmode=verify-full` with the server's CA connects encrypted (and the
    /// store works over it); with another CA libpq refuses the server.
    func testATLSServerIsVerifiedAgainstItsCAAndRefusedUnderAnotherOne() throws {
        let directory = try TemporaryDirectory.make(prefix: "postgres-tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try TestCertificates.make(in: directory, name: "db")
        let stranger = try TestCertificates.make(in: directory, name: "stranger")
        // The server reads its key as its own user, and refuses a key others may read.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: certificates.serverKeyFile)
        if geteuid() == 0 {
            for path in [directory.path, certificates.serverCertFile, certificates.serverKeyFile] {
                try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: path)
            }
        }
        let server = try PostgresServer(settings: ["ssl=on", "ssl_cert_file=\(certificates.serverCertFile)",
                                                   "ssl_key_file=\(certificates.serverKeyFile)"])
        defer { server.shutDown() }
        func url(trusting ca: String) -> String {
            server.databaseURL.replacingOccurrences(of: "sslmode=disable", with: "sslmode=verify-full&sslrootcert=\(ca)")
        }
        let connection = try PostgresConnection(url: url(trusting: certificates.caFile))
        defer { connection.close() }
        XCTAssertEqual(try connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") { $0.boolean(0) }, [true])
        XCTAssertThrowsError(try PostgresConnection(url: url(trusting: stranger.caFile))) { error in
            XCTAssertEqual((error as? PostgresError)?.code, .cannotConnect, "\(error)")
        }
        let store = try PostgresStore(url: url(trusting: certificates.caFile), logger: CapturedLog().logger(label: "hub.store"))
        defer { try? store.close() }
        try store.write(events: [SampleData.airQuality(station: 1, observedAt: SampleData.observed, no2: 21)], deadLetters: [])
        XCTAssertEqual(try store.eventCount(), 1)
    }

    func testThePasswordIsLeftOutOfMessages() {
        XCTAssertThrowsError(try PostgresConnection(url: "postgresql://hub:s3cret@127.0.0.1:1/none?connect_timeout=2")) { error in
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
            XCTAssertTrue("\(error)".contains("***"), "\(error)")
        }
    }

    func testASilentServerIsGivenUpOnAfterTheDefaultTimeoutOrTheURLsOwn() throws {
        // A listening socket that never accepts: the kernel completes the TCP handshake, and libpq
        // then waits for an answer to its first packet that never comes.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        XCTAssertTrue(bound)
        XCTAssertEqual(listen(listener, 8), 0)
        let port = UInt16(bigEndian: address.sin_port)

        let clock = ContinuousClock()
        var started = clock.now
        XCTAssertThrowsError(try PostgresConnection(url: "postgresql://hub@127.0.0.1:\(port)/hub?connect_timeout=1&sslmode=disable")) {
            XCTAssertEqual(($0 as? PostgresError)?.code, .cannotConnect, "\($0)")
        }
        XCTAssertLessThan(started.duration(to: clock.now), .seconds(5), "the URL's own connect_timeout is the one used")
        // Without one in the URL the default bounds the wait (on a thread of its own, so that a
        // connection that never gives up fails this test instead of hanging it).
        started = clock.now
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Thread {
            do { _ = try PostgresConnection(url: "postgresql://hub@127.0.0.1:\(port)/hub?sslmode=disable") } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }.start()
        let limit = PostgresConnection.defaultConnectTimeoutSeconds
        XCTAssertEqual(done.wait(timeout: .now() + .seconds(limit + 10)), .success, "connecting to a silent server never gave up")
        XCTAssertGreaterThanOrEqual(started.duration(to: clock.now), .seconds(limit - 1))
        XCTAssertEqual((failure.withLock { $0 } as? PostgresError)?.code, .cannotConnect)
    }

    func testAConnectionReconnectsByItselfAfterTheServerRestarts() throws {
        let server = try XCTUnwrap(Self.server)
        let connection = try connect()
        XCTAssertEqual(try connection.query("SELECT $1::bigint + 1", [.bigint(41)]) { $0.int64(0) }, [42])
        try server.restart()
        // The first command finds the old session gone; the next reconnects and prepares again.
        XCTAssertThrowsError(try connection.query("SELECT $1::bigint + 1", [.bigint(41)]) { $0.int64(0) }) { error in
            XCTAssertEqual((error as? PostgresError)?.isConnectionFailure, true, "\(error)")
        }
        XCTAssertEqual(try connection.query("SELECT $1::bigint + 1", [.bigint(41)]) { $0.int64(0) }, [42])
        XCTAssertTrue(connection.isConnected)
    }
}
