import Foundation
import HubCore
import HubServices
import Synchronization

/// Fans committed events out to live-stream clients. Publishing never waits: each client has a
/// bounded buffer, and a client whose buffer is full is dropped (its stream ends with an error).
public final class EventBroadcaster: Sendable {
    private let subscribers = Mutex<[ObjectIdentifier: EventSubscription]>([:])
    /// Clients dropped for being too slow, since start.
    public let dropped = Counter()

    /// Creates a broadcaster with no clients.
    public init() {}

    /// Clients connected now.
    public var clientCount: Int { subscribers.withLock { $0.count } }

    /// Hands committed events to every client whose filter they match (called on the writer's thread).
    public func publish(_ events: [Event]) {
        let current = subscribers.withLock { Array($0.values) }
        guard !current.isEmpty, !events.isEmpty else { return }
        var rendered: [EventID: Data] = [:]
        for subscription in current {
            var frames: [Data] = []
            for event in events where subscription.matches(event) {
                if rendered[event.id] == nil {
                    rendered[event.id] = Data("event: event\ndata: \(EventEncoding.json(event).jsonText)\n\n".utf8)
                }
                frames.append(rendered[event.id]!)
            }
            if !frames.isEmpty, !subscription.enqueue(frames) {
                dropped.increment()
                remove(subscription)
            }
        }
    }

    /// Registers a client that wants events of `types` (any when empty) from `routes` (any when
    /// empty) except `hiddenRoutes`, buffering at most `capacity` events.
    func subscribe(types: Set<String>, routes: Set<String>, hiddenRoutes: Set<String>, capacity: Int) -> EventSubscription {
        let subscription = EventSubscription(types: types, routes: routes, hiddenRoutes: hiddenRoutes, capacity: capacity,
                                             broadcaster: self)
        subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func remove(_ subscription: EventSubscription) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
    }
}

/// One live-stream client: its filter and its bounded buffer of rendered events.
final class EventSubscription: ResponseStream {
    private let types: Set<String>
    private let routes: Set<String>
    private let hiddenRoutes: Set<String>
    private let capacity: Int
    private weak let broadcaster: EventBroadcaster?
    private let state = Mutex<(frames: [Data], dropped: Bool, closed: Bool)>(([Data(": connected\nretry: 3000\n\n".utf8)], false, false))
    private let wakeUp = DispatchSemaphore(value: 0)

    init(types: Set<String>, routes: Set<String>, hiddenRoutes: Set<String>, capacity: Int, broadcaster: EventBroadcaster) {
        self.types = types
        self.routes = routes
        self.hiddenRoutes = hiddenRoutes
        self.capacity = capacity
        self.broadcaster = broadcaster
    }

    func matches(_ event: Event) -> Bool {
        (types.isEmpty || types.contains(event.type)) && (routes.isEmpty || routes.contains(event.route))
            && !hiddenRoutes.contains(event.route)
    }

    /// Adds frames; false (and the client is marked dropped) when they do not fit.
    func enqueue(_ frames: [Data]) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.dropped, !state.closed else { return true }
            guard state.frames.count + frames.count <= capacity else {
                state.dropped = true
                state.frames = []
                return false
            }
            state.frames += frames
            return true
        }
        wakeUp.signal()
        return accepted
    }

    func next(timeout: Duration) -> StreamChunk {
        for attempt in 0..<2 {
            let chunk = state.withLock { state -> StreamChunk? in
                if state.dropped { return .abort }
                if state.closed { return .end }
                guard !state.frames.isEmpty else { return nil }
                let joined = state.frames.reduce(into: Data()) { $0.append($1) }
                state.frames = []
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
