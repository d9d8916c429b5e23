import HubCore
import HubServices

/// Where the hub keeps what it accepted: events, the latest state of each entity, and dead letters.
///
/// Deliberately small, so that a second backend (PostgreSQL) and the fakes used in tests stay easy
/// to write. Reads live on the concrete store (`SQLiteStore`).
public protocol Store: AnyObject, Sendable {
    /// Writes events, dead letters and archived documents in ONE transaction: either all of them
    /// are stored or none.
    ///
    /// Idempotent by event id: an event whose id is already stored is skipped, so re-delivered
    /// messages are harmless; so is a document whose SHA-256 is stored. Dead letters are always
    /// appended. In the same transaction the store keeps the invoice register: an `InvoiceReceived`
    /// event whose seller, number, issue date and type code an earlier, different document carried is
    /// stored (and returned) with a `DUPLICATE` failure and `valid` false. Throws when the transaction
    /// failed (nothing was stored); the caller may retry the same call.
    ///
    /// - Returns: the events this call stored (not those skipped as already stored), in the order
    ///   given, each with the sequence number the store gave it (the live stream's `id:`).
    @discardableResult
    func write(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument]) throws -> [StoredEvent]

    /// The largest string or blob the store takes in one value: a record holding a bigger one
    /// fails with `StoreError` code `.tooBig`, whatever the retries.
    var largestValueBytes: Int { get }

    /// Releases the store's resources. Further writes throw; calling it again does nothing.
    func close() throws
}

extension Store {
    /// Writes events and dead letters, with no document to archive.
    @discardableResult
    public func write(events: [Event], deadLetters: [DeadLetter]) throws -> [StoredEvent] {
        try write(events: events, deadLetters: deadLetters, documents: [])
    }
}
