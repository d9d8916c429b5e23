import HubCore
import HubServices

/// The feed door: one poller per route whose source is a feed, each delivering the bodies it
/// fetches to its route without waiting (a full route makes the poller skip a turn).
public final class FeedIntake: Door {
    /// The pollers, in route order.
    let pollers: [FeedPoller]

    /// A poller for each route whose source is a feed; nothing is fetched until `start()`. With a
    /// `gate`, each feed is fetched only while this hub holds its lease (`SingletonTask.feed`), so
    /// that a fleet of hubs fetches it once.
    public init(routes: [Route], inbox: any Inbox, gate: (any SingletonGate)? = nil, logger: Logger) {
        pollers = routes.compactMap { route in
            guard case .feed(let source) = route.source else { return nil }
            return FeedPoller(route: route.name, source: source, inbox: inbox, gate: gate, logger: logger)
        }
    }

    /// Each feed's status, in route order.
    public var statuses: [FeedStatus] { pollers.map(\.status) }

    /// Starts every poller: each fetches at once, then every period.
    public func start() { for poller in pollers { poller.start() } }

    /// Stops every poller: each cancels its fetch in flight and ends its thread.
    public func stop() { for poller in pollers { poller.stop() } }
}
