import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// Fans committed events out to live-stream clients. Publishing never waits: each client has a
/// bounded buffer, and a live client whose buffer is full is dropped (its stream ends with an
/// error; it reconnects with `Last-Event-ID` and is given what it missed from the store).
public final class EventBroadcaster: Sendable {
    private let subscribers = Mutex<[ObjectIdentifier: EventSubscription]>([:])
    /// Clients dropped for being too slow, since start.
    public let dropped = Counter()

    /// Creates a broadcaster with no clients.
    public init() {}

    /// Clients connected now.
    public var clientCount: Int { subscribers.withLock { $0.count } }

    /// Hands events just committed, in the order the store numbered them, to every client whose
    /// filter they match (called on the writer's thread).
    public func publish(_ stored: [StoredEvent]) {
        let current = subscribers.withLock { Array($0.values) }
        guard !current.isEmpty, !stored.isEmpty else { return }
        var rendered: [Int64: Data] = [:]
        for subscription in current {
            var frames: [EventSubscription.Frame] = []
            for item in stored where subscription.filter.matches(item.event) {
                if rendered[item.seq] == nil { rendered[item.seq] = Self.frame(item) }
                frames.append(EventSubscription.Frame(seq: item.seq, bytes: rendered[item.seq]!))
            }
            if !frames.isEmpty, !subscription.enqueue(frames) {
                dropped.increment()
                remove(subscription)
            }
        }
    }

    /// One Server-Sent Events frame: `id:` is the event's sequence number in the store, the cursor
    /// a reconnecting client sends back as `Last-Event-ID`.
    static func frame(_ stored: StoredEvent) -> Data {
        Data("id: \(stored.seq)\nevent: event\ndata: \(EventEncoding.jsonText(stored.event))\n\n".utf8)
    }

    /// Registers a client for the events `filter` matches, buffering at most `capacity` of them.
    ///
    /// With `resumingAfter` (the client's `Last-Event-ID`), the stream first gives the matching
    /// events stored after that sequence number, read page by page through `catchUp`, then the
    /// live ones, each once. The subscription is registered before the store is read, so an event
    /// committed meanwhile is in the store's answer, the live buffer, or both, and never in neither;
    /// sequence numbers remove the doubles.
    func subscribe(filter: StreamFilter, capacity: Int, resumingAfter: Int64? = nil,
                   catchUp: (@Sendable (_ after: Int64, _ limit: Int) throws -> [StoredEvent])? = nil) -> EventSubscription {
        let subscription = EventSubscription(filter: filter, capacity: capacity, broadcaster: self,
                                             resumingAfter: resumingAfter, catchUp: catchUp)
        subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func remove(_ subscription: EventSubscription) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
    }
}

/// Which events a live-stream client wants.
struct StreamFilter: Sendable {
    /// Any of these types (any when empty).
    var types: Set<String> = []
    /// Any of these routes (any when empty).
    var routes: Set<String> = []
    /// None of these routes (restricted routes the client may not read).
    var hiddenRoutes: Set<String> = []

    func matches(_ event: Event) -> Bool {
        (types.isEmpty || types.contains(event.type)) && (routes.isEmpty || routes.contains(event.route))
            && !hiddenRoutes.contains(event.route)
    }

    /// The same filter for the store.
    var eventFilter: EventFilter {
        var filter = EventFilter()
        filter.types = types.sorted()
        filter.routes = routes.sorted()
        filter.hiddenRoutes = hiddenRoutes.sorted()
        return filter
    }
}
