import HubServices

/// The archived documents (invoices as received), found by their SHA-256.
public protocol DocumentReading: AnyObject, Sendable {
    /// How many documents are archived.
    func documentCount() throws -> Int
    /// The archived document with this SHA-256 (64 hex digits, with or without a `sha256:` prefix), if stored.
    func document(sha256: String) throws -> ArchivedDocument?
}
