import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// A fake `Store` that remembers every successful write, and can be told to fail its first writes.
/// It lets BatchWriter's batching be tested without SQLite.
final class RecordingStore: Store {
    /// One successful `write` call.
    struct Write: Sendable {
        var events: [Event]
        var deadLetters: [DeadLetter]
        var documents: [ArchivedDocument] = []
        var size: Int { events.count + deadLetters.count }
    }

    private struct State {
        var writes: [Write] = []
        var attempts = 0
        var failuresLeft: Int
        var closed = false
    }

    private let state: Mutex<State>

    /// A store whose first `failures` writes throw.
    init(failures: Int = 0) {
        state = Mutex(State(failuresLeft: failures))
    }

    /// Every successful write, in order.
    var writes: [Write] { state.withLock { $0.writes } }
    /// Every call to `write`, successful or not.
    var attempts: Int { state.withLock { $0.attempts } }
    /// The sizes (events + dead letters) of the successful writes, in order.
    var sizes: [Int] { writes.map(\.size) }
    /// Every event written, in order.
    var events: [Event] { writes.flatMap(\.events) }
    /// Every dead letter written, in order.
    var deadLetters: [DeadLetter] { writes.flatMap(\.deadLetters) }

    /// Whether an event with this id has been written.
    func contains(_ id: EventID) -> Bool {
        state.withLock { $0.writes.contains { $0.events.contains { $0.id == id } } }
    }

    func write(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument]) throws -> [StoredEvent] {
        try state.withLock { state in
            state.attempts += 1
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw StoreError(.busy, "simulated failure: the store was busy writing the batch")
            }
            let first = state.writes.reduce(1) { $0 + $1.events.count }
            state.writes.append(Write(events: events, deadLetters: deadLetters, documents: documents))
            return events.enumerated().map { StoredEvent(seq: Int64(first + $0.offset), event: $0.element) }
        }
    }

    var largestValueBytes: Int { Int(Int32.max) }

    func close() throws {
        state.withLock { $0.closed = true }
    }
}
