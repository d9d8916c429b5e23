import HubCore
import HubServices
import HubStore

// The reads the write path's tests need, with `SQLiteStore`'s signatures (`EventReading` and
// friends); the rest of the read protocols follow in files named like SQLiteStore's.
extension PostgresStore {
    /// The columns every event query selects, in the order `event(from:)` reads them: seq, id
    /// text, observed_at, id hash, type, entity, route, received_at, latitude, longitude, attributes.
    static let eventColumns = """
        e.seq, e.id_text, e.observed_at, e.id_hash, type.name, entity.name, route.name, e.received_at, e.latitude, \
        e.longitude, e.attributes
        """

    /// The events with their names (dictionary joins: reference tables under Citus, so each stays on its node).
    static let eventSource = """
        events AS e JOIN names AS entity ON entity.id = e.entity_id JOIN names AS type ON type.id = e.type_id \
        JOIN names AS route ON route.id = e.route_id
        """

    /// The id an event row holds: its text, or the one `EventID.make` spelled from its
    /// observation time and hash (`EventKey`).
    static func eventID(text: String?, observedAt: Int64, hash: Int64) -> EventID {
        if let text { return EventID(rawValue: text) }
        let digits = Array("0123456789abcdef".utf8)
        let time = UInt64(bitPattern: observedAt) ^ (1 << 63), low = UInt64(bitPattern: hash)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for half in [time, low] {
            for digit in 0..<16 { bytes.append(digits[Int(half >> UInt64(60 - 4 * digit) & 15)]) }
        }
        return EventID(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    /// A stored event from a row of `eventColumns`.
    static func storedEvent(from row: PostgresRow) throws -> StoredEvent {
        let observed = row.int64(2)
        let id = eventID(text: row.optionalText(1), observedAt: observed, hash: row.int64(3))
        let location: GeoPoint? = row.double(8).flatMap { latitude in row.double(9).flatMap { GeoPoint(latitude: latitude, longitude: $0) } }
        let event = Event(id: id, type: row.text(4), entity: row.text(5), observedAt: Timestamp(microsecondsSinceEpoch: observed),
                          receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(7)), route: row.text(6), location: location,
                          attributes: try StoredAttributes.values(of: row.text(10), event: id.rawValue))
        return StoredEvent(seq: row.int64(0), event: event)
    }

    /// How many events are stored.
    public func eventCount() throws -> Int {
        try withReadConnection { try Int($0.query("SELECT count(*) FROM events") { $0.int64(0) }.first ?? 0) }
    }

    /// The event with this id, if stored: found by its observation time and hash when `EventID.make`
    /// made it (one partition), by its text otherwise.
    public func event(id: EventID) throws -> Event? {
        try withReadConnection { connection in
            if let (time, hash) = EventKey.timeAndHash(of: id) {
                let found = try connection.query("""
                    SELECT \(Self.eventColumns) FROM \(Self.eventSource)
                    WHERE e.observed_at = $1 AND e.id_hash = $2 AND e.id_text IS NULL
                    """, [.bigint(time), .bigint(hash)], row: Self.storedEvent(from:)).first
                if let found { return found.event }
            }
            return try connection.query("SELECT \(Self.eventColumns) FROM \(Self.eventSource) WHERE e.id_text = $1 LIMIT 1",
                                        [.text(id.rawValue)], row: Self.storedEvent(from:)).first?.event
        }
    }

    /// The most recently stored events, newest first, of `entity`, `type` and `route` when given,
    /// at most `limit` (no page cap). One statement per combination of filters, names matched by
    /// their dictionary ids (`PostgresWhereClause`), so that each is planned for its own index.
    public func recentEvents(entity: String?, type: String?, route: String?, limit: Int) throws -> [Event] {
        guard limit > 0 else { return [] }
        var filter = EventFilter()
        filter.entity = entity
        filter.types = type.map { [$0] } ?? []
        filter.routes = route.map { [$0] } ?? []
        var clause = PostgresWhereClause()
        clause.add(filter, alias: "e")
        let sql = "SELECT \(Self.eventColumns) FROM \(Self.eventSource)\(clause.text) ORDER BY e.seq DESC LIMIT \(clause.parameter(.bigint(Int64(limit))))"
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.storedEvent(from:)).map(\.event)
        }
    }

    /// The most recently stored events, newest first, of `entity`, `type` and `route` when given.
    public func events(entity: String? = nil, type: String? = nil, route: String? = nil, limit: Int) throws -> [Event] {
        try recentEvents(entity: entity, type: type, route: route, limit: limit)
    }

    /// The latest state of an entity: the stored event with the latest observation time.
    public func latest(entity: String) throws -> Event? {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.latestColumns) FROM \(Self.latestSource) WHERE l.entity_id = (SELECT id FROM names WHERE name = $1)",
                                 [.text(entity)], row: Self.latestEvent(from:)).first
        }
    }

    /// The roll-up buckets of `attribute` of `entity` at `step`, oldest first, from the bucket
    /// holding `from` to before `to`; at most `StoreLimits.maximumSeriesPoints`. A day sums its
    /// hours; its `last` is that of its hour observed latest.
    public func series(entity: String, attribute: String, step: SeriesStep, from: Timestamp, to: Timestamp) throws -> [SeriesPoint] {
        let first = step.bucket(of: from.microsecondsSinceEpoch)
        let end = step.bucket(of: to.microsecondsSinceEpoch - 1) + step.microseconds
        let width = step.microseconds
        return try withReadConnection { connection in
            try connection.query("""
                SELECT b, sum(count)::bigint, min(min), max(max), sum(sum), (array_agg(last ORDER BY last_observed_at DESC))[1]
                FROM (SELECT bucket - ((bucket % $5) + $5) % $5 AS b, count, min, max, sum, last, last_observed_at FROM rollups
                      WHERE entity_id = (SELECT id FROM names WHERE name = $1) AND attribute_id = (SELECT id FROM names WHERE name = $2)
                        AND step = 3600 AND bucket >= $3 AND bucket < $4) AS hours
                GROUP BY b ORDER BY b LIMIT $6
                """, [.text(entity), .text(attribute), .bigint(first), .bigint(end), .bigint(width),
                      .bigint(Int64(StoreLimits.maximumSeriesPoints))]) { row in
                let count = row.int64(1)
                return SeriesPoint(start: Timestamp(microsecondsSinceEpoch: row.int64(0)), count: Int(count),
                                   min: row.double(2) ?? 0, max: row.double(3) ?? 0,
                                   mean: (row.double(4) ?? 0) / Double(max(count, 1)), last: row.double(5) ?? 0)
            }
        }
    }
}

extension PostgresStore: DeviceRegistryReading {
    private static let deviceColumns = "device, route, first_seen, last_seen, message_count, last_rssi, inactive_since"

    /// Every device the hub has heard from, by URN.
    public func devices() throws -> [DeviceRecord] {
        try withReadConnection { try $0.query("SELECT \(Self.deviceColumns) FROM devices ORDER BY device", row: Self.device(from:)) }
    }

    /// One device of the registry, if heard from.
    public func device(_ urn: String) throws -> DeviceRecord? {
        try withReadConnection {
            try $0.query("SELECT \(Self.deviceColumns) FROM devices WHERE device = $1", [.text(urn)], row: Self.device(from:)).first
        }
    }

    private static func device(from row: PostgresRow) -> DeviceRecord {
        DeviceRecord(device: row.text(0), route: row.text(1), firstSeen: Timestamp(microsecondsSinceEpoch: row.int64(2)),
                     lastSeen: Timestamp(microsecondsSinceEpoch: row.int64(3)), messageCount: Int(row.int64(4)),
                     lastRSSI: row.double(5), inactiveSince: row.optionalInt64(6).map(Timestamp.init(microsecondsSinceEpoch:)))
    }
}

extension PostgresStore: DocumentReading {
    /// How many documents are archived.
    public func documentCount() throws -> Int {
        try withReadConnection { try Int($0.query("SELECT count(*) FROM documents") { $0.int64(0) }.first ?? 0) }
    }

    /// The archived document with this SHA-256 (64 hex digits, with or without a `sha256:` prefix), if stored.
    public func document(sha256: String) throws -> ArchivedDocument? {
        let digest = (sha256.hasPrefix("sha256:") ? String(sha256.dropFirst(7)) : sha256).lowercased()
        return try withReadConnection { connection in
            try connection.query("SELECT sha256, media_type, bytes, route, received_at FROM documents WHERE sha256 = $1", [.text(digest)]) { row in
                ArchivedDocument(sha256: row.text(0), mediaType: row.text(1), bytes: row.bytes(2), route: row.text(3),
                                 receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(4)))
            }.first
        }
    }
}
