/// The SQL the SQLite store runs, in one place. Each text is prepared once per connection and reused.
enum StoreSQL {
    /// Adds an event unless one with the same id is stored (its `seq` is then the connection's last
    /// inserted rowid: `PreparedStatement.insertedRowID`). `OR IGNORE` rather than an upsert
    /// clause: no constraint can then stop the statement half-way, so SQLite keeps no statement
    /// journal for it (the values are never NULL, and the id (`events_by_id`,
    /// `events_by_legacy_id`) is the only unique key besides `seq`). Parameters: the id
    /// (`EventKey`), the entity, type and route ids (`names`), observed_at, received_at, latitude,
    /// longitude, attributes (the whole JSON, or the values of its template), the template's id
    /// (`attribute_shapes`, NULL for a whole JSON).
    static let insertEvent = """
        INSERT OR IGNORE INTO events (id, entity_id, type_id, route_id, observed_at, received_at, latitude, longitude, attributes, shape_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        """

    /// The id of a name in the dictionary. Parameter: the name.
    static let nameID = "SELECT id FROM names WHERE name = ?1"
    /// Adds a name to the dictionary, returning its id. Parameter: the name.
    static let insertName = "INSERT INTO names (name) VALUES (?1) RETURNING id"

    /// The id of an attribute template. Parameter: the template.
    static let shapeID = "SELECT id FROM attribute_shapes WHERE template = ?1"
    /// Adds an attribute template, returning its id. Parameter: the template.
    static let insertShape = "INSERT INTO attribute_shapes (template) VALUES (?1) RETURNING id"

    /// One device's registry row, as `DeviceRegistryFold` reads it. Parameter: the device.
    static let deviceByURN = """
        SELECT route, first_seen, last_seen, message_count, last_rssi, inactive_since FROM devices WHERE device = ?1
        """
    /// Writes one device's registry row whole. Parameters: the `devices` columns in order.
    static let upsertDevice = """
        INSERT INTO devices (device, route, first_seen, last_seen, message_count, last_rssi, inactive_since)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (device) DO UPDATE SET
            route = excluded.route, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
            message_count = excluded.message_count, last_rssi = excluded.last_rssi, inactive_since = excluded.inactive_since
        """

    /// Merges one batch's aggregates of a bucket into its roll-up row: counts, sums and extremes
    /// combine, and `last` is the value observed latest (on a tie, the newer batch's).
    /// Parameters: entity id, attribute id (`names`), step in seconds, bucket start, count, min, max,
    /// sum, last, last_observed_at.
    static let upsertRollup = """
        INSERT INTO rollups (entity_id, attribute_id, step, bucket, count, min, max, sum, last, last_observed_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        ON CONFLICT (step, bucket, entity_id, attribute_id) DO UPDATE SET
            count = rollups.count + excluded.count, min = min(rollups.min, excluded.min),
            max = max(rollups.max, excluded.max), sum = rollups.sum + excluded.sum,
            last = CASE WHEN excluded.last_observed_at >= rollups.last_observed_at THEN excluded.last ELSE rollups.last END,
            last_observed_at = max(rollups.last_observed_at, excluded.last_observed_at)
        """

    /// The hours a series reads, each found by the roll-ups' primary key (step, hour, entity,
    /// attribute): from the first bucket asked for, or the oldest hour stored if later, to the
    /// bucket to stop before, or just past the newest hour stored if earlier. A series of a day is
    /// 24 lookups; no index by entity is kept beside the key for it. Parameters as `hourlySeries`.
    private static let seriesHours = """
        WITH RECURSIVE hours(bucket, last) AS (
            SELECT max(?3, coalesce((SELECT min(bucket) FROM rollups WHERE step = 3600), ?4)),
                   min(?4, coalesce((SELECT max(bucket) FROM rollups WHERE step = 3600) + 3600000000, ?3))
            UNION ALL SELECT bucket + 3600000000, last FROM hours WHERE bucket + 3600000000 < last
        ), series(bucket, count, min, max, sum, last, last_observed_at) AS (
            SELECT r.bucket, r.count, r.min, r.max, r.sum, r.last, r.last_observed_at
            FROM hours CROSS JOIN rollups AS r
            WHERE hours.bucket < hours.last AND r.step = 3600 AND r.bucket = hours.bucket
              AND r.entity_id = (SELECT id FROM names WHERE name = ?1) AND r.attribute_id = (SELECT id FROM names WHERE name = ?2)
        )
        """

    /// One attribute's hourly roll-up buckets of one entity, oldest first. Parameters: the entity,
    /// the attribute, the first bucket start included, the bucket start to stop before, the limit.
    static let hourlySeries = """
        \(seriesHours)
        SELECT bucket, count, min, max, sum, last FROM series ORDER BY bucket LIMIT ?5
        """

    /// The same by day (UTC), each day summed from its hours; `last` is that of the day's hour with
    /// the latest observation. Parameters as `hourlySeries`, the bounds on hours.
    static let dailySeries = """
        \(seriesHours)
        SELECT day, sum(count), min(min), max(max), sum(sum), max(latest) FROM (
            SELECT bucket - ((bucket % 86400000000) + 86400000000) % 86400000000 AS day, count, min, max, sum,
                   first_value(last) OVER (PARTITION BY bucket - ((bucket % 86400000000) + 86400000000) % 86400000000
                                           ORDER BY last_observed_at DESC) AS latest
            FROM series
        ) GROUP BY day ORDER BY day LIMIT ?5
        """

    /// Deletes up to a slice of the hourly roll-up buckets that started before a cutoff, returning
    /// one row each. Parameters: the cutoff, the slice size.
    static let deleteExpiredRollups = """
        DELETE FROM rollups WHERE (step, bucket, entity_id, attribute_id) IN (
            SELECT step, bucket, entity_id, attribute_id FROM rollups WHERE step = 3600 AND bucket < ?1 ORDER BY bucket LIMIT ?2
        ) RETURNING step
        """

    /// Records an event as its entity's latest state, only if it is newer than the one recorded.
    /// Parameters: id, type, entity, observed_at, received_at, route, latitude, longitude, attributes.
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

    /// The columns every event query selects, in the order `SQLiteStore.event(from:)` reads them,
    /// from `eventSource`: ten of them (the tenth is the attributes' template, NULL when the ninth is
    /// the whole JSON), so a query's own columns start at index 10.
    static let eventColumns = """
        e.id, type.name, entity.name, e.observed_at, e.received_at, route.name, e.latitude, e.longitude, e.attributes, \
        shape.template
        """

    /// The events with their names and attribute templates: `events AS e` first (CROSS JOIN keeps it
    /// the outer loop, so that its indexes serve the filters and the order), each name found by its key.
    static let eventSource = """
        events AS e CROSS JOIN names AS entity ON entity.id = e.entity_id CROSS JOIN names AS type ON type.id = e.type_id \
        CROSS JOIN names AS route ON route.id = e.route_id LEFT JOIN attribute_shapes AS shape ON shape.id = e.shape_id
        """

    /// One name by id. Parameter: the id.
    static let nameByID = "SELECT name FROM names WHERE id = ?1"

    /// One attribute template by id. Parameter: the id.
    static let shapeByID = "SELECT template FROM attribute_shapes WHERE id = ?1"

    /// One event by the observation time and hash of its id (`EventKey`). Parameters: the time, the hash.
    static let eventByKey = "SELECT \(eventColumns) FROM \(eventSource) WHERE e.observed_at = ?1 AND e.id = ?2"

    /// One event by an id kept as a BLOB or TEXT (`EventKey`). Parameter: that value.
    static let eventByLegacyID = "SELECT \(eventColumns) FROM \(eventSource) WHERE typeof(e.id) <> 'integer' AND e.id = ?1"

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
        if byEntity { conditions.append("e.entity_id = (SELECT id FROM names WHERE name = ?)") }
        // With an entity, `+` keeps the type and route terms off their indexes (see `WhereClause.add(events:)`).
        let byEntityOnly = byEntity ? "+" : ""
        if byType { conditions.append("\(byEntityOnly)e.type_id = (SELECT id FROM names WHERE name = ?)") }
        if byRoute { conditions.append("\(byEntityOnly)e.route_id = (SELECT id FROM names WHERE name = ?)") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return "SELECT \(eventColumns) FROM \(eventSource)\(filter) ORDER BY e.seq DESC LIMIT ?"
    }

    /// The columns every dead-letter query selects, in the order `SQLiteStore.deadLetter(from:)` reads them.
    static let deadLetterColumns = "id, route, source, origin, payload, reason, received_at, replayed_at"

    /// The most recent dead letters, newest first. Parameter: the limit.
    static let recentDeadLetters = "SELECT \(deadLetterColumns) FROM dead_letters ORDER BY id DESC LIMIT ?1"

    /// One dead letter by id. Parameter: the id.
    static let deadLetterByID = "SELECT \(deadLetterColumns) FROM dead_letters WHERE id = ?1"

    /// The routes that have stored events, by their `names` id, each found by one probe of the
    /// route index.
    static let routesWithEvents = """
        WITH RECURSIVE route(id) AS (
            SELECT (SELECT min(route_id) FROM events)
            UNION ALL SELECT (SELECT min(route_id) FROM events WHERE route_id > route.id) FROM route WHERE route.id IS NOT NULL
        ) SELECT id FROM route WHERE id IS NOT NULL
        """

    /// One route's events in insertion order after a given `seq`, with their two times: what a
    /// retention sweep reads. Parameters: the route id, the `seq` to start after, the limit.
    static let routeEventTimes = """
        SELECT seq, observed_at, received_at FROM events WHERE route_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3
        """

    /// Deletes one event. Parameter: its `seq`.
    static let deleteEvent = "DELETE FROM events WHERE seq = ?1"

    /// Deletes up to a slice of the dead letters received before a cutoff, returning their ids.
    /// Parameters: the cutoff, the slice size.
    static let deleteExpiredDeadLetters = """
        DELETE FROM dead_letters WHERE id IN (
            SELECT id FROM dead_letters WHERE received_at < ?1 ORDER BY received_at LIMIT ?2
        ) RETURNING id
        """

    /// How many events are stored.
    static let countEvents = "SELECT count(*) FROM events"
    /// How many dead letters are stored.
    static let countDeadLetters = "SELECT count(*) FROM dead_letters"
}
