import HubCore
import HubFeeds

/// The feed door: one poller per route whose source is a feed, each handing the bodies it fetches
/// to its route without waiting (a full route makes the poller skip a turn).
final class FeedIntake: Sendable {
    let pollers: [FeedPoller]

    init(workers: [RouteWorker], logger: Logger) {
        var pollers: [FeedPoller] = []
        for worker in workers {
            guard case .feed(let source) = worker.route.source else { continue }
            pollers.append(FeedPoller(route: worker.route.name, source: source, logger: logger) { envelope, onCommit in
                let delivery = Delivery(envelope) { disposition in
                    switch disposition {
                    case .stored(let events): onCommit(.events(events))
                    case .deadLettered: onCommit(.deadLetter)
                    case .failed: onCommit(.failed)
                    }
                }
                if worker.offer(delivery) { return .accepted }
                return worker.isStopping ? .stopping : .saturated
            })
        }
        self.pollers = pollers
    }

    /// Each feed's status, in route order.
    var statuses: [FeedStatus] { pollers.map(\.status) }

    func start() { for poller in pollers { poller.start() } }

    /// Stops every poller: each cancels its fetch in flight and ends its thread.
    func stop() { for poller in pollers { poller.stop() } }
}
