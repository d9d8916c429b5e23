/// The SQL the SQLite store runs, in one place. Each text is prepared once per connection and reused.
enum StoreSQL {
    /// Adds an event unless one with the same id is stored, returning its `seq` (no row when it was
    /// skipped). Parameters: the `events` columns after `seq`.
    static let insertEvent = """
        INSERT OR IGNORE INTO events (id, type, entity, observed_at, received_at, route, latitude, longitude, attributes)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING seq
        """

    /// Records an event as its entity's latest state, only if it is newer than the one recorded.
    /// Same parameters as `insertEvent`.
    static let upsertLatest = """
        INSERT INTO latest (event_id, type, entity, observed_at, received_at, route, latitude, longitude, attributes)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (entity) DO UPDATE SET
            event_id = excluded.event_id, type = excluded.type, observed_at = excluded.observed_at,
            received_at = excluded.received_at, route = excluded.route, latitude = excluded.latitude,
            longitude = excluded.longitude, attributes = excluded.attributes
        WHERE excluded.observed_at > latest.observed_at
        """

    /// Appends a dead letter. Parameters: route, source, origin, payload, reason, received_at.
    static let insertDeadLetter = """
        INSERT INTO dead_letters (route, source, origin, payload, reason, received_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        """

    /// Archives a document unless one with the same SHA-256 is stored. Parameters: sha256, media type,
    /// bytes, route, received_at.
    static let insertDocument = """
        INSERT OR IGNORE INTO documents (sha256, media_type, bytes, route, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
        """

    /// One archived document by SHA-256. Parameter: the hex digest.
    static let documentBySHA256 = "SELECT sha256, media_type, bytes, route, received_at FROM documents WHERE sha256 = ?1"

    /// How many documents are archived.
    static let countDocuments = "SELECT count(*) FROM documents"

    /// The columns every event query selects, in the order `SQLiteStore.event(from:)` reads them.
    static let eventColumns = "id, type, entity, observed_at, received_at, route, latitude, longitude, attributes"

    /// One event by id. Parameter: the id.
    static let eventByID = "SELECT \(eventColumns) FROM events WHERE id = ?1"

    /// An entity's latest state, shaped like an event row. Parameter: the entity.
    static let latestByEntity = """
        SELECT event_id, type, entity, observed_at, received_at, route, latitude, longitude, attributes
        FROM latest WHERE entity = ?1
        """

    /// The most recent events, newest first, filtered by whichever of entity, type and route are
    /// given: one text per combination, so each is prepared once and the entity index stays usable.
    /// Parameters: the given filters in that order, then the limit.
    static func recentEvents(byEntity: Bool, byType: Bool, byRoute: Bool) -> String {
        var conditions: [String] = []
        if byEntity { conditions.append("entity = ?") }
        if byType { conditions.append("type = ?") }
        if byRoute { conditions.append("route = ?") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return "SELECT \(eventColumns) FROM events\(filter) ORDER BY seq DESC LIMIT ?"
    }

    /// The columns every dead-letter query selects, in the order `SQLiteStore.deadLetter(from:)` reads them.
    static let deadLetterColumns = "id, route, source, origin, payload, reason, received_at, replayed_at"

    /// The most recent dead letters, newest first. Parameter: the limit.
    static let recentDeadLetters = "SELECT \(deadLetterColumns) FROM dead_letters ORDER BY id DESC LIMIT ?1"

    /// One dead letter by id. Parameter: the id.
    static let deadLetterByID = "SELECT \(deadLetterColumns) FROM dead_letters WHERE id = ?1"

    /// How many events are stored.
    static let countEvents = "SELECT count(*) FROM events"
    /// How many dead letters are stored.
    static let countDeadLetters = "SELECT count(*) FROM dead_letters"
}
