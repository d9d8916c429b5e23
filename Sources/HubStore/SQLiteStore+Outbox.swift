import HubCore
import HubServices

// The outbox of outbound deliveries (schema 16): rows recorded by `write`'s transaction for the
// configured subscriptions, read and acknowledged by the hub's delivery stage.
extension SQLiteStore {
    static let insertOutboxRow = "INSERT OR IGNORE INTO outbox (subscription, seq) VALUES (?1, ?2)"
    static let deleteOldestOutboxRow = """
        DELETE FROM outbox WHERE subscription = ?1 AND seq = (SELECT min(seq) FROM outbox WHERE subscription = ?1)
        """

    /// Records deliveries for `subscriptions` from the next write on; rows of subscriptions no
    /// longer listed are removed (logged with their count). Reads each outbox's size.
    public func deliver(to subscriptions: [Subscription]) throws {
        try withWriteConnection { connection in
            let counts = try connection.query("SELECT subscription, count(*) FROM outbox GROUP BY subscription") {
                ($0.text(0), Int($0.int64(1)))
            }
            let names = Set(subscriptions.map(\.name))
            for (name, count) in counts where !names.contains(name) {
                try connection.run("DELETE FROM outbox WHERE subscription = ?1", [.text(name)])
                try connection.run("DELETE FROM outbox_batches WHERE subscription = ?1", [.text(name)])
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
    /// subscription's lag limit applied. Matched per batch; nothing runs when there is no subscription.
    func recordDeliveries(of stored: [StoredEvent], on connection: SQLiteConnection) throws -> OutboxRouting.Change? {
        let (subscriptions, lag) = outbox.withLock { ($0.subscriptions, $0.lag) }
        guard !subscriptions.isEmpty, !stored.isEmpty else { return nil }
        var change = OutboxRouting.Change()
        let insert = try connection.statement(Self.insertOutboxRow)
        for subscription in subscriptions {
            let name = SQLiteValue.text(subscription.name)
            var count = lag[subscription.name] ?? 0, added = 0, dropped = 0, removed = 0
            for event in stored where subscription.filter.matches(event.event) {
                if count >= subscription.maxLag {
                    dropped += 1
                    guard subscription.onLagLimit == .dropOldest else { continue }
                    try connection.statement(Self.deleteOldestOutboxRow).execute([name])
                    count -= 1
                    removed += 1
                }
                try insert.execute([name, .integer(event.seq)])
                count += 1
                added += 1
            }
            if added > 0 { change.added[subscription.name] = added }
            if removed > 0 { change.removed[subscription.name] = removed }
            if dropped > 0 { change.dropped[subscription.name] = dropped }
        }
        return change
    }

    /// Applies what a committed transaction did to the outbox (with the write connection's lock held).
    func applyOutbox(_ change: OutboxRouting.Change?) {
        guard let change else { return }
        outbox.withLock { $0.apply(change) }
    }

    /// The oldest events waiting for `subscription`, at most `limit`, oldest first, and no later
    /// than the batch held in flight (`holdDeliveryBatch`) when there is one; `missing` are the seqs
    /// of rows whose event is gone (expired by retention), to be acknowledged as dropped.
    public func pendingDeliveries(for subscription: String, limit: Int) throws -> (events: [StoredEvent], missing: [Int64]) {
        try withReadConnection { connection in
            let held = try connection.query("SELECT last_seq FROM outbox_batches WHERE subscription = ?1", [.text(subscription)]) {
                $0.int64(0)
            }.first
            let seqs = try connection.query("SELECT seq FROM outbox WHERE subscription = ?1 AND seq <= ?3 ORDER BY seq LIMIT ?2",
                                            [.text(subscription), .integer(Int64(max(1, limit))), .integer(held ?? .max)]) { $0.int64(0) }
            guard let first = seqs.first, let last = seqs.last else { return ([], []) }
            let sql = """
                SELECT \(StoreSQL.eventColumns), e.seq FROM outbox AS o CROSS JOIN \(StoreSQL.eventSource) \
                WHERE o.subscription = ?1 AND o.seq BETWEEN ?2 AND ?3 AND e.seq = o.seq ORDER BY o.seq
                """
            let events = try connection.query(sql, [.text(subscription), .integer(first), .integer(last)]) { row in
                StoredEvent(seq: row.int64(10), event: try Self.event(from: row))
            }
            let found = Set(events.map(\.seq))
            return (events, seqs.filter { !found.contains($0) })
        }
    }

    /// Records that `subscription`'s batch in flight ends at `lastSeq`, before it is sent: until it
    /// is acknowledged, `pendingDeliveries` reads no later row, so that a hub restarted after a crash
    /// sends the same batch under the same key (a crash between the target's 2xx and the removal
    /// then finds a receiver that has seen that key).
    public func holdDeliveryBatch(for subscription: String, through lastSeq: Int64) throws {
        try withWriteConnection { connection in
            try connection.run("INSERT OR REPLACE INTO outbox_batches (subscription, last_seq) VALUES (?1, ?2)",
                               [.text(subscription), .integer(lastSeq)])
        }
    }

    /// Removes the rows of `seqs` for `subscription`, once its target acknowledged them (or, for
    /// `missing` rows, once found gone), and the batch held in flight once they reach its end;
    /// returns how many rows were still there.
    @discardableResult
    public func acknowledgeDeliveries(for subscription: String, seqs: [Int64], dropped: Bool = false) throws -> Int {
        guard !seqs.isEmpty else { return 0 }
        return try withWriteConnection { connection in
            let removed = try connection.transaction {
                let delete = try connection.statement("DELETE FROM outbox WHERE subscription = ?1 AND seq = ?2 RETURNING seq")
                var removed = 0
                for seq in seqs { removed += try delete.rows([.text(subscription), .integer(seq)]) { $0.int64(0) }.count }
                try connection.run("DELETE FROM outbox_batches WHERE subscription = ?1 AND last_seq <= ?2",
                                   [.text(subscription), .integer(seqs.max() ?? 0)])
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
            try !connection.query("INSERT OR IGNORE INTO api_subscriptions (name, definition, created_at) VALUES (?1, ?2, ?3) RETURNING name",
                                  [.text(name), .text(definition), .integer(time.microsecondsSinceEpoch)]) { $0.text(0) }.isEmpty
        }
    }

    /// Forgets a subscription made through the API; false when none has that name.
    public func deleteSavedSubscription(name: String) throws -> Bool {
        try withWriteConnection { connection in
            try !connection.query("DELETE FROM api_subscriptions WHERE name = ?1 RETURNING name", [.text(name)]) { $0.text(0) }.isEmpty
        }
    }
}
