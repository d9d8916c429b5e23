import HubCore
/// What one accepted message became: its events, or its dead letter. Outcomes travel on the bus
/// from the routes to the store; `onCommit` is called once the store has committed (or failed to
/// commit) the transaction that holds it, so that a webhook can answer only after commit.
public struct Outcome: Sendable {
    /// The events decoded from the message (empty for a dead letter, or for a message with nothing new).
    public var events: [Event]
    /// The dead letter, when the message could not be decoded.
    public var deadLetter: DeadLetter?
    /// Original documents to archive with the events (see `Connector.archivedMediaType`).
    public var documents: [ArchivedDocument]
    /// Called after the batch holding this outcome is committed (`nil` error) or has failed.
    public var onCommit: (@Sendable (_ error: (any Error)?) -> Void)?

    /// The outcome of a message that decoded to events, with the documents to archive beside them.
    public init(events: [Event], documents: [ArchivedDocument] = [], onCommit: (@Sendable ((any Error)?) -> Void)? = nil) {
        self.events = events
        self.documents = documents
        self.deadLetter = nil
        self.onCommit = onCommit
    }

    /// The outcome of a message that became a dead letter.
    public init(deadLetter: DeadLetter, onCommit: (@Sendable ((any Error)?) -> Void)? = nil) {
        self.events = []
        self.documents = []
        self.deadLetter = deadLetter
        self.onCommit = onCommit
    }
}

/// The bounded queue between the routes and the store.
public typealias Bus = BoundedQueue<Outcome>
