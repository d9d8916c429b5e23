import CLibPQ
import HubCore

/// Why PostgreSQL could not do what was asked: a stable `code` for programs, the server's SQLSTATE
/// when the server answered, and a `message` for people.
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<PostgresError>

    /// The kind of failure.
    public var code: Code
    /// The server's five-character SQLSTATE (`23505` unique violation, `57P01` shutting down), when
    /// the failure came from the server.
    public var sqlState: String?
    /// What went wrong, for a person: what the store was doing and libpq's or the server's words.
    public var message: String

    /// Creates an error with a code, a message and the SQLSTATE if any.
    public init(_ code: Code, _ message: String, sqlState: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
    }

    /// The message alone, with the SQLSTATE when there is one.
    public var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }

    /// Whether the connection was lost (or could not be made): the same work may succeed once the
    /// server answers again.
    public var isConnectionFailure: Bool {
        code == .cannotConnect || code == .connectionLost || sqlState?.hasPrefix("08") == true
            || sqlState?.hasPrefix("57P") == true
    }
}

extension ErrorCode where Domain == PostgresError {
    /// No connection could be made (server down, wrong address, refused credentials, TLS required).
    public static var cannotConnect: Self { Self("cannot-connect") }
    /// The connection broke while a command ran (server restarted, network cut).
    public static var connectionLost: Self { Self("connection-lost") }
    /// The server refused a command; `sqlState` says why.
    public static var server: Self { Self("server") }
    /// The connection was closed by its owner.
    public static var closed: Self { Self("closed") }
    /// A result did not have the shape the caller expected (a column type, a NULL).
    public static var unexpectedResult: Self { Self("unexpected-result") }
    /// The database was written by a newer hub (its `schema_version` is unknown here).
    public static var schemaTooNew: Self { Self("schema-too-new") }
}

extension PostgresError {
    /// An error for a failed command: the server's message and SQLSTATE from `result` when there is
    /// one, libpq's connection message otherwise; `.connectionLost` when the connection is now bad.
    init(_ context: String, result: OpaquePointer?, connection: OpaquePointer?) {
        var detail = ""
        var state: String?
        if let result {
            if let text = PQresultErrorMessage(result) { detail = String(cString: text) }
            if let text = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) { state = String(cString: text) }
        }
        if detail.isEmpty, let connection, let text = PQerrorMessage(connection) { detail = String(cString: text) }
        let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        let code: Code = lost ? .connectionLost : .server
        self.init(code, "\(context): \(detail.trimmingTrailingNewlines)", sqlState: state)
    }
}

extension String {
    /// The text without the newlines libpq ends its messages with.
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
