import HubStore

/// How a delivery worker hands a batch of events to its subscription's target: a webhook
/// (`WebhookPoster`) or topics on the broker (`TopicPublisher`).
protocol DeliveryTransport: Sendable {
    /// `http` or `mqtt`, for `GET /api/v1/subscriptions`.
    var kind: String { get }
    /// The target in words, secrets masked.
    var target: String { get }
    /// Returns once the target acknowledged every event of `events` (HTTP 2xx, PUBACK); throws
    /// otherwise. The worker calls it again with the same events until it returns.
    func send(_ events: [StoredEvent]) throws(DeliveryFailure)
    /// Stops a `send` in progress, and every later one: the hub is stopping.
    func cancel()
    /// Lets go of the connection, if any; called once the worker's thread is done with `send`.
    func close()
}

/// Why a delivery was not acknowledged, in words for `/api/v1/subscriptions` and the log.
struct DeliveryFailure: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String
}
