import HubCore
import HubServices
import HubStore

extension PostgresStore: DeadLetterKeeping {
    private static let deadLetterColumns = "id, route, source, origin, payload, reason, received_at, replayed_at"

    /// Dead letters, newest first, of the given routes (all when empty) except the hidden ones,
    /// older than id `before` when given, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    public func deadLetters(routes: [String] = [], hiddenRoutes: [String] = [], before: Int64? = nil,
                            limit: Int) throws -> [StoredDeadLetter] {
        try withReadConnection { connection in
            try connection.query("""
                SELECT \(Self.deadLetterColumns) FROM dead_letters
                WHERE (cardinality($1::text[]) = 0 OR route = ANY($1)) AND NOT (route = ANY($2)) AND ($3::bigint IS NULL OR id < $3)
                ORDER BY id DESC LIMIT $4
                """, [.textArray(routes), .textArray(hiddenRoutes), .bigint(before),
                      .bigint(Int64(min(max(limit, 1), StoreLimits.maximumPageSize)))], row: Self.deadLetter(from:))
        }
    }

    /// The dead letter with this id, if stored.
    public func deadLetter(id: Int64) throws -> StoredDeadLetter? {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.deadLetterColumns) FROM dead_letters WHERE id = $1", [.bigint(id)],
                                 row: Self.deadLetter(from:)).first
        }
    }

    /// How many dead letters are stored.
    public func deadLetterCount() throws -> Int {
        try withReadConnection { try Int($0.query("SELECT count(*) FROM dead_letters") { $0.int64(0) }.first ?? 0) }
    }

    /// Records that the dead letter `id` was replayed at `time`. False when it does not exist or
    /// was replayed already.
    public func markReplayed(deadLetter id: Int64, at time: Timestamp) throws -> Bool {
        try withWriteConnection { connection in
            try connection.execute("UPDATE dead_letters SET replayed_at = $1 WHERE id = $2 AND replayed_at IS NULL",
                                   [.bigint(time.microsecondsSinceEpoch), .bigint(id)]) == 1
        }
    }

    /// A dead letter from a row of `deadLetterColumns`.
    private static func deadLetter(from row: PostgresRow) throws -> StoredDeadLetter {
        let id = row.int64(0)
        let sourceName = row.text(2)
        guard let source = Envelope.Source(rawValue: sourceName) else {
            throw PostgresError(.unexpectedResult, "reading dead letter \(id): unknown source \"\(sourceName)\"")
        }
        let envelope = Envelope(route: row.text(1), source: source, origin: row.text(3), payload: row.bytes(4),
                                receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(6)))
        return StoredDeadLetter(id: id, deadLetter: DeadLetter(envelope: envelope, reason: row.text(5)),
                                replayedAt: row.optionalInt64(7).map(Timestamp.init(microsecondsSinceEpoch:)))
    }
}
