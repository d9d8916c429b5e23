import HubStore

extension PostgresError {
    /// The error as the store's contract says it: a broken constraint (SQLSTATE class 23: unique,
    /// foreign key, check) is `StoreError` `.constraint`, as SQLite's is; anything else is kept.
    func asStoreError(_ context: String) -> any Error {
        guard sqlState?.hasPrefix("23") == true else { return self }
        return StoreError(.constraint, "\(context): \(message)")
    }
}
