import Foundation
import HubCore
import HubServices

// Reads, all through the read-only connection. Each is one short statement (its own implicit read
// transaction), so a reader never holds back checkpoints for long.
extension SQLiteStore {
    /// How many events are stored.
    public func eventCount() throws -> Int {
        try withReadConnection { connection in
            Int(try connection.query(StoreSQL.countEvents) { $0.int64(0) }.first ?? 0)
        }
    }

    /// How many dead letters are stored.
    public func deadLetterCount() throws -> Int {
        try withReadConnection { connection in
            Int(try connection.query(StoreSQL.countDeadLetters) { $0.int64(0) }.first ?? 0)
        }
    }

    /// The most recently stored events, newest first (by the order they were written), keeping
    /// only those that match every filter given (nil: any), at most `limit` (no page cap).
    public func recentEvents(entity: String?, type: String?, route: String?, limit: Int) throws -> [Event] {
        guard limit > 0 else { return [] }
        let sql = StoreSQL.recentEvents(byEntity: entity != nil, byType: type != nil, byRoute: route != nil)
        let values = [entity, type, route].compactMap { $0.map(SQLiteValue.text) } + [.integer(Int64(limit))]
        return try withReadConnection { connection in
            try connection.query(sql, values, row: Self.event(from:))
        }
    }

    /// The event with this id, if stored.
    public func event(id: EventID) throws -> Event? {
        try withReadConnection { connection in
            let (key, legacy) = EventKey.lookup(id)
            if let key, let event = try connection.query(StoreSQL.eventByKey, [.integer(key.observedAt), .integer(key.hash)],
                                                         row: Self.event(from:)).first {
                return event
            }
            return try connection.query(StoreSQL.eventByLegacyID, [legacy], row: Self.event(from:)).first
        }
    }

    /// The latest state of an entity: the stored event with the latest observation time.
    public func latest(entity: String) throws -> Event? {
        try withReadConnection { connection in
            try connection.query(StoreSQL.latestByEntity, [.text(entity)], row: Self.event(from:)).first
        }
    }

    /// The most recently stored dead letters, newest first.
    public func deadLetters(limit: Int) throws -> [StoredDeadLetter] {
        guard limit > 0 else { return [] }
        return try withReadConnection { connection in
            try connection.query(StoreSQL.recentDeadLetters, [.integer(Int64(limit))], row: Self.deadLetter(from:))
        }
    }

    /// The dead letter with this id, if stored (to show it whole, or to replay it).
    public func deadLetter(id: Int64) throws -> StoredDeadLetter? {
        try withReadConnection { connection in
            try connection.query(StoreSQL.deadLetterByID, [.integer(id)], row: Self.deadLetter(from:)).first
        }
    }

    /// How many documents are archived.
    public func documentCount() throws -> Int {
        try withReadConnection { connection in
            Int(try connection.query(StoreSQL.countDocuments) { $0.int64(0) }.first ?? 0)
        }
    }

    /// The archived document with this SHA-256 (64 hex digits, with or without a `sha256:` prefix), if stored.
    public func document(sha256: String) throws -> ArchivedDocument? {
        let key = sha256.hasPrefix("sha256:") ? String(sha256.dropFirst(7)) : sha256
        return try withReadConnection { connection in
            try connection.query(StoreSQL.documentBySHA256, [.text(key.lowercased())]) { row in
                ArchivedDocument(
                    sha256: row.text(0), mediaType: row.text(1), bytes: row.blob(2), route: row.text(3),
                    receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(4)))
            }.first
        }
    }

    /// An event from a row of `StoreSQL.eventColumns`, or of the `latest` table's nine columns.
    static func event(from row: PreparedStatement.Row) throws -> Event {
        let id = EventKey.id(in: row, column: 0, observedAt: row.int64(3)).rawValue
        var attributesText = row.text(8)
        if row.columnCount > 9, !row.isNull(9) {
            attributesText = try StoredAttributes.joined(template: row.text(9), values: attributesText, event: id)
        }
        return Event(
            id: EventID(rawValue: id), type: row.text(1), entity: row.text(2),
            observedAt: Timestamp(microsecondsSinceEpoch: row.int64(3)),
            receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(4)),
            route: row.text(5), location: location(from: row), attributes: try StoredAttributes.values(of: attributesText, event: id))
    }

    /// The location in columns 6 (latitude) and 7 (longitude) of an event row, nil when not stored.
    static func location(from row: PreparedStatement.Row) -> GeoPoint? {
        guard let latitude = row.double(6), let longitude = row.double(7) else { return nil }
        return GeoPoint(latitude: latitude, longitude: longitude)
    }

    /// A dead letter from a row of `StoreSQL.deadLetterColumns`.
    static func deadLetter(from row: PreparedStatement.Row) throws -> StoredDeadLetter {
        let id = row.int64(0)
        let sourceName = row.text(2)
        guard let source = Envelope.Source(rawValue: sourceName) else {
            throw StoreError(.invalidRow, "reading dead letter \(id): unknown source \"\(sourceName)\"")
        }
        let envelope = Envelope(
            route: row.text(1), source: source, origin: row.text(3), payload: row.blob(4),
            receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(6)))
        let replayedAt = row.isNull(7) ? nil : Timestamp(microsecondsSinceEpoch: row.int64(7))
        return StoredDeadLetter(id: id, deadLetter: DeadLetter(envelope: envelope, reason: row.text(5)), replayedAt: replayedAt)
    }
}
