import HubCore

/// Where the hub keeps what it accepted: events, the latest state of each entity, and dead letters.
///
/// Deliberately small, so that a second backend (PostgreSQL) and the fakes used in tests stay easy
/// to write. Reads live on the concrete store (`SQLiteStore`).
public protocol Store: AnyObject, Sendable {
    /// Writes events and dead letters in ONE transaction: either all of them are stored or none.
    ///
    /// Idempotent by event id: an event whose id is already stored is skipped, so re-delivered
    /// messages are harmless. Dead letters are always appended. Throws when the transaction failed
    /// (nothing was stored); the caller may retry the same call.
    func write(events: [Event], deadLetters: [DeadLetter]) throws

    /// Releases the store's resources. Further writes throw; calling it again does nothing.
    func close() throws
}
