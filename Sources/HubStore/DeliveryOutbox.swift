import HubCore
import HubServices

/// The outbox of outbound deliveries: rows recorded by the write transaction for the configured
/// subscriptions, read and acknowledged by the hub's delivery stage, so that nothing committed is
/// lost to a stop or a crash.
public protocol DeliveryOutbox: AnyObject, Sendable {
    /// Records deliveries for `subscriptions` from the next write on; rows of subscriptions no
    /// longer listed are removed.
    func deliver(to subscriptions: [Subscription]) throws
    /// Each subscription's lag and drops, by name.
    func outboxStatus() -> [String: OutboxStatus]
    /// The oldest events waiting for `subscription`, at most `limit`, oldest first, and no later
    /// than the batch held in flight (`holdDeliveryBatch`) when there is one; `missing` are the seqs
    /// of rows whose event is gone (expired by retention), to be acknowledged as dropped.
    func pendingDeliveries(for subscription: String, limit: Int) throws -> (events: [StoredEvent], missing: [Int64])
    /// Holds the batch ending at `lastSeq` in flight until it is acknowledged, so that a hub
    /// restarted after a crash sends the same batch under the same key.
    func holdDeliveryBatch(for subscription: String, through lastSeq: Int64) throws
    /// Removes the rows `seqs` of `subscription` once delivered (or `dropped`); returns how many
    /// rows were still there.
    func acknowledgeDeliveries(for subscription: String, seqs: [Int64], dropped: Bool) throws -> Int
    /// The definitions of the subscriptions made through the API, oldest first.
    func savedSubscriptions() throws -> [(name: String, definition: String)]
    /// Keeps the definition of a subscription made through the API; false when one has that name already.
    func saveSubscription(name: String, definition: String, at time: Timestamp) throws -> Bool
    /// Forgets a subscription made through the API; false when none has that name.
    func deleteSavedSubscription(name: String) throws -> Bool
}

extension DeliveryOutbox {
    /// Removes the rows `seqs` of `subscription`, delivered.
    @discardableResult
    public func acknowledgeDeliveries(for subscription: String, seqs: [Int64]) throws -> Int {
        try acknowledgeDeliveries(for: subscription, seqs: seqs, dropped: false)
    }
}
