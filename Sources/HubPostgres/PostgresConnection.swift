import CLibPQ
import Foundation

/// One libpq connection (`PGconn`) and the statements prepared on it.
///
/// Queries are parameterised and prepared once per connection (`PQprepare`, then `PQexecPrepared`):
/// parameters travel in PostgreSQL's binary format with their types (`PostgresValue`), results come
/// back as text and are read typed through `PostgresRow`. TLS and every other connection setting come
/// from the URL and are libpq's own (`postgresql://user@host:5432/db?sslmode=verify-full`, or a
/// `key=value` string): nothing here speaks the protocol or TLS.
///
/// After the server restarts or the network breaks, a command fails with
/// `PostgresError.isConnectionFailure`; the next command first reconnects (`PQreset`) and prepares
/// its statements again, so the owner only retries what failed.
///
/// Not safe for two threads at once, and it does not lock: its owner serializes every use
/// (`PostgresStore` keeps each connection in a `Mutex`).
public final class PostgresConnection: @unchecked Sendable {
    // @unchecked Sendable: `handle` and `prepared` are touched by one thread at a time because every
    // owner reaches a connection only while holding the lock (a `Mutex`) that holds it; libpq
    // connections may move between threads (libpq is built thread-safe: `PQisthreadsafe`).
    private var handle: OpaquePointer?
    /// Statement names by SQL text and parameter types, on the current session.
    private var prepared: [String: String] = [:]
    /// The URL, kept for error messages with its password left out.
    public let redactedURL: String

    /// How long connecting may take when the URL does not say (`connect_timeout`, in seconds): libpq
    /// otherwise waits as long as the network does, and a hub starting against an unreachable or
    /// silent server would hang instead of saying so.
    public static let defaultConnectTimeoutSeconds = 10

    /// Connects to the server `url` names (a `postgresql://` URI or a libpq `key=value` string).
    ///
    /// - Throws: `PostgresError` with `.cannotConnect` and libpq's reason.
    public init(url: String) throws {
        redactedURL = Self.redacted(url)
        // The default comes first: what the URL says, expanded in place of `dbname`, comes later and wins.
        let keywords = ["connect_timeout", "dbname"], values = [String(Self.defaultConnectTimeoutSeconds), url]
        let connection = Self.withCStrings(keywords) { keywords in
            Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            PQfinish(connection)
            throw PostgresError(.cannotConnect, "connecting to \(redactedURL): \(reason.trimmingTrailingNewlines)")
        }
        handle = connection
        Self.silenceNotices(connection)
    }

    deinit {
        PQfinish(handle)
    }

    /// `strings` as a NULL-terminated array of C strings, for the time of `body`.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Whether the connection is open and was working at its last command.
    public var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The server's version number (`150018` for 15.18), 0 when not connected.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// Runs one parameterised statement (prepared on first use) and returns each row as `row` reads it.
    @discardableResult
    public func query<T>(_ sql: String, _ parameters: [PostgresValue] = [], row: (PostgresRow) throws -> T) throws -> [T] {
        try withResult(sql, parameters) { result in
            let count = PQntuples(result)
            var rows: [T] = []
            rows.reserveCapacity(Int(count))
            for index in 0..<count { rows.append(try row(PostgresRow(result: result, index: index))) }
            return rows
        }
    }

    /// Runs one parameterised statement and returns how many rows it changed (or returned).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        try withResult(sql, parameters) { result in
            if PQresultStatus(result) == PGRES_TUPLES_OK { return Int(PQntuples(result)) }
            return Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs SQL text of one or more statements without parameters (schema changes), unprepared.
    public func run(script sql: String) throws {
        let connection = try ready()
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw PostgresError("running \(Self.summary(sql))", result: result, connection: connection)
        }
    }

    /// Runs `body` inside `BEGIN ... COMMIT`; rolls back and rethrows when `body` or the commit throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try run(script: "BEGIN")
        do {
            let value = try body()
            try run(script: "COMMIT")
            return value
        } catch {
            // After a lost connection there is nothing to roll back: the server did it.
            if isConnected { try? run(script: "ROLLBACK") }
            throw error
        }
    }

    /// Reconnects when the connection is bad (`PQreset`: same URL, new session), forgetting the
    /// statements prepared on the old session. Does nothing when it is good.
    ///
    /// - Throws: `PostgresError` with `.cannotConnect` while the server does not answer.
    public func reconnectIfNeeded() throws {
        guard let handle else { throw PostgresError(.closed, "the connection to \(redactedURL) is closed") }
        guard PQstatus(handle) != CONNECTION_OK else { return }
        prepared.removeAll()
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(.cannotConnect, "reconnecting to \(redactedURL): \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)")
        }
        Self.silenceNotices(handle)
    }

    /// Closes the connection. Later commands throw `.closed`; calling it again does nothing.
    public func close() {
        PQfinish(handle)
        handle = nil
        prepared.removeAll()
    }

    /// The open connection, reconnected first if it broke.
    private func ready() throws -> OpaquePointer {
        try reconnectIfNeeded()
        guard let handle else { throw PostgresError(.closed, "the connection to \(redactedURL) is closed") }
        return handle
    }

    /// Prepares `sql` for these parameter types if this session has not, runs it with `parameters`
    /// in binary format, and hands the result to `body`.
    private func withResult<T>(_ sql: String, _ parameters: [PostgresValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let connection = try ready()
        let types = parameters.map(\.typeOID)
        let key = types.isEmpty ? sql : sql + "\u{0}" + types.map(String.init).joined(separator: ",")
        let name: String
        if let known = prepared[key] {
            name = known
        } else {
            name = "hub_\(prepared.count + 1)"
            let result = PQprepare(connection, name, sql, Int32(types.count), types)
            defer { PQclear(result) }
            guard result.map(PQresultStatus) == PGRES_COMMAND_OK else {
                throw PostgresError("preparing \(Self.summary(sql))", result: result, connection: connection)
            }
            prepared[key] = name
        }
        // Every parameter's bytes in one buffer; libpq reads them during the call.
        var buffer: [UInt8] = []
        var offsets: [Int] = [], lengths: [Int32] = [], isNull: [Bool] = []
        for parameter in parameters {
            let start = buffer.count
            let present = parameter.appendBinary(to: &buffer)
            offsets.append(start)
            lengths.append(Int32(buffer.count - start))
            isNull.append(!present)
        }
        let formats = [Int32](repeating: 1, count: parameters.count)
        let result = buffer.withUnsafeBufferPointer { bytes -> OpaquePointer? in
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let values: [UnsafePointer<CChar>?] = parameters.indices.map { index in
                isNull[index] ? nil : (base.map { $0 + offsets[index] } ?? UnsafePointer(bitPattern: 1))
            }
            return PQexecPrepared(connection, name, Int32(parameters.count), values, lengths, formats, 0)
        }
        defer { PQclear(result) }
        guard let result, [PGRES_COMMAND_OK, PGRES_TUPLES_OK].contains(PQresultStatus(result)) else {
            throw PostgresError("running \(Self.summary(sql))", result: result, connection: connection)
        }
        return try body(result)
    }

    /// The first line of a statement, for error messages.
    private static func summary(_ sql: String) -> String {
        let line = sql.split(separator: "\n").first.map(String.init) ?? sql
        return "\"\(line.prefix(120))\(line.count > 120 || sql.contains("\n") ? "..." : "")\""
    }

    /// `url` with any password replaced by `***`, for messages and logs.
    static func redacted(_ url: String) -> String {
        var text = url
        // postgresql://user:password@host
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
           let colon = text[scheme.upperBound..<at].firstIndex(of: ":") {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        // password=... in a query string or a key=value string
        if let range = text.range(of: "password=") {
            let end = text[range.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? text.endIndex
            text.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return text
    }

    /// Notices (`relation already exists, skipping`) would go to standard error; the store says
    /// what matters in its own log.
    private static func silenceNotices(_ connection: OpaquePointer) {
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }
}
