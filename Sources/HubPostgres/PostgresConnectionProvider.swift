/// Where a concern of the PostgreSQL store (`PostgresTokens`, `PostgresAlarms`) reaches the
/// database: the store's write connection, one command or transaction at a time, and its reads.
/// `PostgresStore` is one.
protocol PostgresConnectionProvider: AnyObject, Sendable {
    /// Runs `body` with the write connection, once no other write holds it.
    func withWriteConnection<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T
    /// Runs `body` with a read connection.
    func withReadConnection<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T
}
