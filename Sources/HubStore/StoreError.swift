import CSQLite
import HubCore

/// Why the store could not do what was asked: a stable `code` for programs and a `message` for people.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<StoreError>

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a person: what the store was doing, SQLite's message and result code.
    public var message: String
    /// SQLite's (extended) result code, when the failure came from SQLite.
    public var resultCode: Int32?

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String, resultCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
    }

    /// The message alone, e.g. `running "BEGIN IMMEDIATE": database is locked; another connection
    /// held the lock for longer than the busy timeout (SQLite result code 5)`.
    public var description: String { message }
}

extension ErrorCode where Domain == StoreError {
    /// The database file or its folder could not be created or opened.
    public static var cannotOpen: Self { Self("cannot-open") }
    /// Another connection held a lock longer than the busy timeout (SQLITE_BUSY, SQLITE_LOCKED).
    public static var busy: Self { Self("busy") }
    /// The disk or the database is full (SQLITE_FULL).
    public static var full: Self { Self("full") }
    /// The file cannot be written (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN during a write).
    public static var readOnly: Self { Self("read-only") }
    /// The operating system reported an input/output error (SQLITE_IOERR).
    public static var ioError: Self { Self("io-error") }
    /// The file is damaged or is not an SQLite database (SQLITE_CORRUPT, SQLITE_NOTADB).
    public static var corrupt: Self { Self("corrupt") }
    /// A constraint was violated (SQLITE_CONSTRAINT): a bug in the store's SQL, not in the data.
    public static var constraint: Self { Self("constraint") }
    /// The database was written by a newer version of the hub (its `user_version` is unknown here).
    public static var schemaTooNew: Self { Self("schema-too-new") }
    /// A stored row cannot be turned back into an event or a dead letter.
    public static var invalidRow: Self { Self("invalid-row") }
    /// The store was closed.
    public static var closed: Self { Self("closed") }
    /// A value is larger than SQLite stores (SQLITE_TOOBIG): retrying the same record never helps.
    public static var tooBig: Self { Self("too-big") }
    /// The database file (or its write-ahead log) at the store's path is no longer the one the store
    /// opened: it was deleted or replaced under the running hub.
    public static var fileReplaced: Self { Self("file-replaced") }
    /// Any other SQLite failure; the message carries SQLite's own words and result code.
    public static var sqlite: Self { Self("sqlite") }
}

extension StoreError {
    /// An error for an SQLite status code: `context` says what the store was doing, and the
    /// message adds `sqlite3_errmsg` of `database` (or `sqlite3_errstr` when there is no handle),
    /// for SQLITE_BUSY why the database was locked, and the result code.
    init(_ context: String, status: Int32, database: OpaquePointer?) {
        let detail: String
        if let database, let text = sqlite3_errmsg(database) {
            detail = String(cString: text)
        } else if let text = sqlite3_errstr(status) {
            detail = String(cString: text)
        } else {
            detail = "unknown error"
        }
        // Without a code in the description, the message says itself why a busy database failed.
        let why = status & 0xFF == SQLITE_BUSY ? "; another connection held the lock for longer than the busy timeout" : ""
        self.init(Self.code(for: status), "\(context): \(detail)\(why) (SQLite result code \(status))", resultCode: status)
    }

    /// The code for an SQLite result code, judged by its primary (low 8 bit) part.
    static func code(for status: Int32) -> Code {
        switch status & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_FULL: .full
        case SQLITE_READONLY, SQLITE_PERM: .readOnly
        case SQLITE_IOERR: .ioError
        case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_CANTOPEN: .cannotOpen
        case SQLITE_TOOBIG: .tooBig
        default: .sqlite
        }
    }

    /// The error thrown by any use of a closed store.
    static func closed(_ path: String) -> StoreError {
        StoreError(.closed, "the store at \(path) is closed")
    }
}
