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
