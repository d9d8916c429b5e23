import Foundation
import HubCore
import HubServices

/// The outcomes a `BatchWriter` has taken from the bus and not yet committed.
struct PendingBatch {
    /// Every event of the accumulated outcomes, in arrival order.
    private(set) var events: [Event] = []
    /// Every dead letter of the accumulated outcomes, in arrival order.
    private(set) var deadLetters: [DeadLetter] = []
    /// Every document to archive of the accumulated outcomes, in arrival order.
    private(set) var documents: [ArchivedDocument] = []
    /// The outcomes' commit callbacks, in arrival order.
    private(set) var callbacks: [@Sendable ((any Error)?) -> Void] = []
    /// How many outcomes were accumulated (some carry no event at all and still wait for a commit).
    private(set) var outcomeCount = 0
    /// When the batch must be flushed at the latest: `maxDelay` after its first outcome arrived.
    private(set) var deadline: Date?

    /// The longest an outcome waits before its batch is written.
    let maxDelay: Duration

    /// An empty batch whose outcomes wait at most `maxDelay`.
    init(maxDelay: Duration) {
        self.maxDelay = maxDelay
    }

    /// Whether nothing waits.
    var isEmpty: Bool { outcomeCount == 0 }

    /// Events plus dead letters: what `maxBatchSize` is compared with.
    var size: Int { events.count + deadLetters.count }

    /// Whether the deadline has come.
    func isDue(at now: Date) -> Bool { deadline.map { now >= $0 } ?? false }

    /// Adds an outcome; the first one of a batch starts its deadline.
    mutating func append(_ outcome: Outcome, at now: Date) {
        if deadline == nil { deadline = now.addingTimeInterval(maxDelay.timeInterval) }
        events.append(contentsOf: outcome.events)
        if let deadLetter = outcome.deadLetter { deadLetters.append(deadLetter) }
        documents.append(contentsOf: outcome.documents)
        if let callback = outcome.onCommit { callbacks.append(callback) }
        outcomeCount += 1
    }

    /// Rewrites every record holding a value larger than `largest` bytes into one the store can take:
    /// a dead letter keeps the first bytes of its payload, and its reason gives the whole payload's
    /// size and SHA-256; an event whose attributes are too big, or a document too big to archive,
    /// becomes such a dead letter. Returns how many records were rewritten.
    mutating func makeStorable(largest: Int) -> Int {
        let kept = max(0, min(1 << 20, largest / 2))
        var rewritten = 0
        func shortened(_ bytes: Data, route: String, source: Envelope.Source, origin: String, reason: String,
                       receivedAt: Timestamp) -> DeadLetter {
            let why = "\(reason); the payload (\(bytes.count) bytes, SHA-256 \(SHA256.hash(bytes).hexString)) is larger "
                + "than the store takes (\(largest) bytes): only its first \(kept) bytes are kept"
            return DeadLetter(envelope: Envelope(route: route, source: source, origin: origin, payload: Data(bytes.prefix(kept)),
                                                 receivedAt: receivedAt), reason: why)
        }
        for index in deadLetters.indices where deadLetters[index].payload.count > largest || deadLetters[index].reason.utf8.count > largest {
            let letter = deadLetters[index]
            deadLetters[index] = shortened(letter.payload, route: letter.route, source: letter.source, origin: letter.origin,
                                           reason: String(letter.reason.prefix(4096)), receivedAt: letter.receivedAt)
            rewritten += 1
        }
        let tooBigEvents = events.filter { $0.attributesJSON.utf8.count > largest }
        for event in tooBigEvents {
            deadLetters.append(shortened(Data(event.attributesJSON.utf8), route: event.route, source: .file,
                                         origin: event.entity, reason: "the attributes of event \(event.id) cannot be stored",
                                         receivedAt: event.receivedAt))
        }
        events.removeAll { $0.attributesJSON.utf8.count > largest }
        let tooBigDocuments = documents.filter { $0.bytes.count > largest }
        for document in tooBigDocuments {
            deadLetters.append(shortened(document.bytes, route: document.route, source: .file, origin: document.sha256,
                                         reason: "the \(document.mediaType) document \(document.sha256) cannot be archived",
                                         receivedAt: document.receivedAt))
        }
        documents.removeAll { $0.bytes.count > largest }
        return rewritten + tooBigEvents.count + tooBigDocuments.count
    }

    /// Empties the batch for the next one, keeping the arrays' storage.
    mutating func removeAll() {
        events.removeAll(keepingCapacity: true)
        deadLetters.removeAll(keepingCapacity: true)
        documents.removeAll(keepingCapacity: true)
        callbacks.removeAll(keepingCapacity: true)
        outcomeCount = 0
        deadline = nil
    }
}
