import HubCore
import HubServices
import HubStore

// The outbox of outbound deliveries: rows recorded by `write`'s transaction for the configured
// subscriptions, read and acknowledged by the hub's delivery stage (as `SQLiteStore+Outbox`).
// Each hub counts its own lag from the table when `deliver(to:)` is called and follows its own
// writes after that.
extension PostgresStore: DeliveryOutbox {
    /// Records deliveries for `subscriptions` from the next write on; rows of subscriptions no
    /// longer listed are removed (logged with their count). Reads each outbox's size.
    public func deliver(to subscriptions: [Subscription]) throws {
        try withWriteConnection { connection in
            let counts = try connection.query("SELECT subscription, count(*) FROM outbox GROUP BY subscription") {
                ($0.text(0), Int($0.int64(1)))
            }
            let names = Set(subscriptions.map(\.name))
            for (name, count) in counts where !names.contains(name) {
                try connection.execute("DELETE FROM outbox WHERE subscription = $1", [.text(name)])
                try connection.execute("DELETE FROM outbox_batches WHERE subscription = $1", [.text(name)])
                logger.warning("undelivered events of a subscription no longer configured were removed",
                               ["subscription": name, "events": String(count)])
            }
            outbox.withLock { $0.route(to: subscriptions, tableCounts: counts) }
        }
    }

    /// Each subscription's lag and drops, by name.
    public func outboxStatus() -> [String: OutboxStatus] {
        outbox.withLock(\.statuses)
    }

    /// Inside `write`'s transaction: one row per stored event and subscription taking it, with the
    /// subscription's lag limit applied, in one statement per subscription.
    func recordDeliveries(of stored: [StoredEvent], on connection: PostgresConnection) throws -> OutboxRouting.Change? {
        let (subscriptions, lag) = outbox.withLock { ($0.subscriptions, $0.lag) }
        guard !subscriptions.isEmpty, !stored.isEmpty else { return nil }
        var change = OutboxRouting.Change()
        for subscription in subscriptions {
            var count = lag[subscription.name] ?? 0, dropped = 0, removed = 0
            // Rows already in the table, older than any of this batch's.
            var inTable = count
            var seqs: [Int64?] = []
            for event in stored where subscription.filter.matches(event.event) {
                if count >= subscription.maxLag {
                    dropped += 1
                    guard subscription.onLagLimit == .dropOldest else { continue }
                    if inTable > 0 {
                        try connection.execute("""
                            DELETE FROM outbox WHERE subscription = $1 AND seq = (SELECT min(seq) FROM outbox WHERE subscription = $1)
                            """, [.text(subscription.name)])
                        inTable -= 1
                    } else if !seqs.isEmpty {
                        seqs.removeFirst()  // the oldest is one of this batch's, not written yet
                    } else {
                        continue  // no room at all (a lag limit of 0)
                    }
                    count -= 1
                    removed += 1
                }
                seqs.append(event.seq)
                count += 1
            }
            if !seqs.isEmpty {
                try connection.execute("INSERT INTO outbox (subscription, seq) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
                                       [.text(subscription.name), .bigintArray(seqs)])
            }
            // Rows of this batch dropped before being written were never added: they count as neither.
            let added = seqs.count + removed
            if added > 0 { change.added[subscription.name] = added }
            if removed > 0 { change.removed[subscription.name] = removed }
            if dropped > 0 { change.dropped[subscription.name] = dropped }
        }
        return change
    }

    /// The oldest events waiting for `subscription`, at most `limit`, oldest first, and no later
    /// than the batch held in flight (`holdDeliveryBatch`) when there is one; `missing` are the seqs
    /// of rows whose event is gone (expired by retention), to be acknowledged as dropped.
    public func pendingDeliveries(for subscription: String, limit: Int) throws -> (events: [StoredEvent], missing: [Int64]) {
        try withReadConnection { connection in
            let held = try connection.query("SELECT last_seq FROM outbox_batches WHERE subscription = $1", [.text(subscription)]) {
                $0.int64(0)
            }.first
            let seqs = try connection.query("SELECT seq FROM outbox WHERE subscription = $1 AND seq <= $3 ORDER BY seq LIMIT $2",
                                            [.text(subscription), .bigint(Int64(max(1, limit))), .bigint(held ?? .max)]) { $0.int64(0) }
            guard !seqs.isEmpty else { return ([], []) }
            let events = try connection.query("""
                SELECT \(Self.eventColumns) FROM \(Self.eventSource) WHERE e.seq = ANY($1::bigint[]) ORDER BY e.seq
                """, [.bigintArray(seqs)], row: Self.storedEvent(from:))
            let found = Set(events.map(\.seq))
            return (events, seqs.filter { !found.contains($0) })
        }
    }

    /// Records that `subscription`'s batch in flight ends at `lastSeq`, before it is sent.
    public func holdDeliveryBatch(for subscription: String, through lastSeq: Int64) throws {
        _ = try withWriteConnection { connection in
            try connection.execute("""
                INSERT INTO outbox_batches (subscription, last_seq) VALUES ($1, $2)
                ON CONFLICT (subscription) DO UPDATE SET last_seq = excluded.last_seq
                """, [.text(subscription), .bigint(lastSeq)])
        }
    }

    /// Removes the rows of `seqs` for `subscription` once delivered (or found gone), and the batch
    /// held in flight once they reach its end; returns how many rows were still there.
    @discardableResult
    public func acknowledgeDeliveries(for subscription: String, seqs: [Int64], dropped: Bool = false) throws -> Int {
        guard !seqs.isEmpty else { return 0 }
        return try withWriteConnection { connection in
            let removed = try connection.transaction {
                let removed = try connection.execute("DELETE FROM outbox WHERE subscription = $1 AND seq = ANY($2::bigint[])",
                                                     [.text(subscription), .bigintArray(seqs)])
                try connection.execute("DELETE FROM outbox_batches WHERE subscription = $1 AND last_seq <= $2",
                                       [.text(subscription), .bigint(seqs.max() ?? 0)])
                return removed
            }
            outbox.withLock { routing in
                routing.lag[subscription, default: 0] -= removed
                if dropped { routing.dropped[subscription, default: 0] += removed }
            }
            return removed
        }
    }

    /// The definitions of the subscriptions made through the API, oldest first.
    public func savedSubscriptions() throws -> [(name: String, definition: String)] {
        try withReadConnection { connection in
            try connection.query("SELECT name, definition FROM api_subscriptions ORDER BY created_at, name") { ($0.text(0), $0.text(1)) }
        }
    }

    /// Keeps the definition of a subscription made through the API; false when one has that name already.
    public func saveSubscription(name: String, definition: String, at time: Timestamp) throws -> Bool {
        try withWriteConnection { connection in
            try connection.execute("INSERT INTO api_subscriptions (name, definition, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                   [.text(name), .text(definition), .bigint(time.microsecondsSinceEpoch)]) == 1
        }
    }

    /// Forgets a subscription made through the API; false when none has that name.
    public func deleteSavedSubscription(name: String) throws -> Bool {
        try withWriteConnection { connection in
            try connection.execute("DELETE FROM api_subscriptions WHERE name = $1", [.text(name)]) == 1
        }
    }
}
