import HubServices

/// The subscriptions the store records deliveries for, and how many events each one's outbox holds.
/// Changed only while the write connection's lock is held (by a batch's transaction, an
/// acknowledgement, `deliver(to:)`), so that the counts always match the table.
package struct OutboxRouting {
    /// The subscriptions, in configuration order.
    package var subscriptions: [Subscription] = []
    /// Rows in the outbox per subscription.
    package var lag: [String: Int] = [:]
    /// Events not recorded for (`pause`) or removed from (`dropOldest`) each subscription at its lag limit.
    package var dropped: [String: Int] = [:]

    /// No subscription.
    package init() {}

    /// What one batch's transaction did to the outbox, applied once it committed.
    package struct Change {
        /// Rows recorded, per subscription.
        package var added: [String: Int] = [:]
        /// Rows removed at the lag limit (`dropOldest`), per subscription.
        package var removed: [String: Int] = [:]
        /// Events dropped at the lag limit, per subscription.
        package var dropped: [String: Int] = [:]

        /// No change.
        package init() {}
    }

    /// Records deliveries for `subscriptions` from now on: `tableCounts` are the outbox's rows per
    /// subscription as the table holds them, once those of unlisted subscriptions are deleted.
    package mutating func route(to subscriptions: [Subscription], tableCounts: [(name: String, count: Int)]) {
        let names = Set(subscriptions.map(\.name))
        self.subscriptions = subscriptions
        lag = Dictionary(tableCounts.filter { names.contains($0.name) }, uniquingKeysWith: +)
        dropped = dropped.filter { names.contains($0.key) }
    }

    /// Counts what a committed batch did to the outbox.
    package mutating func apply(_ change: Change) {
        for (name, count) in change.added { lag[name, default: 0] += count }
        for (name, count) in change.removed { lag[name, default: 0] -= count }
        for (name, count) in change.dropped { dropped[name, default: 0] += count }
    }

    /// Each subscription's lag and drops, by name, as `DeliveryOutbox.outboxStatus()` gives them.
    package var statuses: [String: OutboxStatus] {
        Dictionary(uniqueKeysWithValues: subscriptions.map { subscription in
            let lag = lag[subscription.name] ?? 0
            return (subscription.name, OutboxStatus(
                lag: lag, dropped: dropped[subscription.name] ?? 0,
                isPausedAtLimit: subscription.onLagLimit == .pause && lag >= subscription.maxLag))
        })
    }
}
