import Foundation
import HubCore
import HubStore
import Synchronization

/// One live-stream client: its filter, its bounded buffer of rendered events and, when it resumes
/// after a `Last-Event-ID`, the catch-up from the store that comes before them.
///
/// While it catches up, a full buffer is emptied rather than the client dropped: everything in it
/// was committed before the next store read, which gives it again. Once a store read reaches the
/// newest stored event with no overflow since it began, the buffer holds every later event and the
/// stream goes live; from then on a full buffer means a slow client, which is dropped.
final class EventSubscription: ResponseStream {
    /// A rendered event and its sequence number.
    struct Frame: Sendable {
        var seq: Int64
        var bytes: Data
    }

    private struct State {
        var greeting: Data? = Data(": connected\nretry: 3000\n\n".utf8)
        var frames: [Frame] = []
        var dropped = false
        var closed = false
        /// Reading the store rather than the buffer.
        var catchingUp: Bool
        /// Counts the buffer's overflows while catching up.
        var overflows = 0
        /// The last sequence number sent (nil before any, without `Last-Event-ID`).
        var lastSent: Int64?
    }

    /// Events read from the store in one step of the catch-up.
    static let catchUpPageSize = 500

    let filter: StreamFilter
    private let capacity: Int
    private weak let broadcaster: EventBroadcaster?
    private let catchUp: (@Sendable (_ after: Int64, _ limit: Int) throws -> [StoredEvent])?
    private let state: Mutex<State>
    private let wakeUp = DispatchSemaphore(value: 0)

    init(filter: StreamFilter, capacity: Int, broadcaster: EventBroadcaster, resumingAfter: Int64?,
         catchUp: (@Sendable (_ after: Int64, _ limit: Int) throws -> [StoredEvent])?) {
        self.filter = filter
        self.capacity = capacity
        self.broadcaster = broadcaster
        self.catchUp = catchUp
        state = Mutex(State(catchingUp: resumingAfter != nil && catchUp != nil, lastSent: resumingAfter))
    }

    /// Adds frames; false (and the client is marked dropped) when a live client's buffer cannot take them.
    func enqueue(_ frames: [Frame]) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.dropped, !state.closed else { return true }
            guard state.frames.count + frames.count <= capacity else {
                state.frames = []
                if state.catchingUp {
                    state.overflows += 1
                    return true
                }
                state.dropped = true
                return false
            }
            state.frames += frames
            return true
        }
        wakeUp.signal()
        return accepted
    }

    func next(timeout: Duration) -> StreamChunk {
        if let greeting = state.withLock({ state -> Data? in
            guard !state.dropped else { return nil }
            defer { state.greeting = nil }
            return state.greeting
        }) {
            return .data(greeting)
        }
        while case let (after, overflows)? = state.withLock({ $0.catchingUp && !$0.closed ? ($0.lastSent ?? 0, $0.overflows) : nil }) {
            let page: [StoredEvent]
            do {
                page = try catchUp?(after, Self.catchUpPageSize) ?? []
            } catch {
                return .abort
            }
            state.withLock { state in
                if let last = page.last { state.lastSent = last.seq }
                if page.count < Self.catchUpPageSize, state.overflows == overflows {
                    // Reached the newest stored event, and the buffer lost nothing since the read began.
                    state.catchingUp = false
                    let sent = state.lastSent ?? 0
                    state.frames.removeAll { $0.seq <= sent }
                }
            }
            if !page.isEmpty {
                return .data(page.reduce(into: Data()) { $0.append(EventBroadcaster.frame($1)) })
            }
        }
        for attempt in 0..<2 {
            let chunk = state.withLock { state -> StreamChunk? in
                if state.dropped { return .abort }
                if state.closed { return .end }
                guard let last = state.frames.last else { return nil }
                let joined = state.frames.reduce(into: Data()) { $0.append($1.bytes) }
                state.frames = []
                state.lastSent = last.seq
                return .data(joined)
            }
            if let chunk { return chunk }
            if attempt == 0 { _ = wakeUp.wait(timeout: .now() + timeout.timeInterval) }
        }
        return .idle
    }

    func close() {
        state.withLock { $0.closed = true }
        broadcaster?.remove(self)
        wakeUp.signal()
    }
}
