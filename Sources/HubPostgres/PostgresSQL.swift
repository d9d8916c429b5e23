/// The SQL the PostgreSQL store's write path runs, in one place. Each text is prepared once per
/// session; a whole batch goes in one statement through array parameters (`unnest`).
enum PostgresSQL {
    /// Adds the events not stored yet, in the order given, returning the `seq` and key of each one
    /// added. Parameters: arrays of entity id, observed_at, id hash, id text, type id, route id,
    /// received_at, latitude, longitude, attributes.
    static let insertEvents = """
        INSERT INTO events (entity_id, observed_at, id_hash, id_text, type_id, route_id, received_at, latitude, longitude, attributes)
        SELECT entity_id, observed_at, id_hash, id_text, type_id, route_id, received_at, latitude, longitude, attributes
        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
                    $8::float8[], $9::float8[], $10::text[])
             WITH ORDINALITY AS r(entity_id, observed_at, id_hash, id_text, type_id, route_id, received_at, latitude, longitude, attributes, n)
        ORDER BY n
        ON CONFLICT DO NOTHING
        RETURNING seq, entity_id, observed_at, id_hash
        """

    /// Records events as their entities' latest states, each only if newer than the one recorded.
    /// Parameters: arrays of entity id, type id, route id, event id, observed_at, received_at,
    /// latitude, longitude, attributes; one row per entity.
    static let upsertLatest = """
        INSERT INTO latest (entity_id, type_id, route_id, event_id, observed_at, received_at, latitude, longitude, attributes)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[],
                             $7::float8[], $8::float8[], $9::text[])
        ON CONFLICT (entity_id) DO UPDATE SET
            type_id = excluded.type_id, route_id = excluded.route_id, event_id = excluded.event_id,
            observed_at = excluded.observed_at, received_at = excluded.received_at, latitude = excluded.latitude,
            longitude = excluded.longitude, attributes = excluded.attributes
        WHERE excluded.observed_at > latest.observed_at
        """

    /// The registry rows of some devices, locked until the transaction ends. Parameter: the devices.
    static let lockDevices = """
        SELECT device, route, first_seen, last_seen, message_count, last_rssi, inactive_since
        FROM devices WHERE device = ANY($1::text[]) ORDER BY device FOR UPDATE
        """

    /// Replaces registry rows read (and locked) by `lockDevices`. Parameters: arrays of the `devices` columns in order.
    static let updateDevices = """
        UPDATE devices AS d SET route = r.route, first_seen = r.first_seen, last_seen = r.last_seen,
            message_count = r.message_count, last_rssi = r.last_rssi, inactive_since = r.inactive_since
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::float8[], $7::bigint[])
             AS r(device, route, first_seen, last_seen, message_count, last_rssi, inactive_since)
        WHERE d.device = r.device
        """

    /// Registers devices the batch heard first, merged with a row another hub's batch registered
    /// meanwhile as the fold would have merged them. Parameters as `updateDevices`.
    static let insertDevices = """
        INSERT INTO devices (device, route, first_seen, last_seen, message_count, last_rssi, inactive_since)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::float8[], $7::bigint[])
        ON CONFLICT (device) DO UPDATE SET
            route = CASE WHEN excluded.last_seen >= devices.last_seen THEN excluded.route ELSE devices.route END,
            last_rssi = CASE WHEN excluded.last_seen >= devices.last_seen THEN coalesce(excluded.last_rssi, devices.last_rssi)
                             ELSE devices.last_rssi END,
            first_seen = least(devices.first_seen, excluded.first_seen), last_seen = greatest(devices.last_seen, excluded.last_seen),
            message_count = devices.message_count + excluded.message_count
        """

    /// Merges one batch's aggregates of each bucket into its roll-up row: counts, sums and
    /// extremes combine, and `last` is the value observed latest (on a tie, the newer batch's).
    /// Parameters: arrays of entity id, attribute id, step in seconds, bucket start, count, min,
    /// max, sum, last, last_observed_at; one row per bucket.
    static let upsertRollups = """
        INSERT INTO rollups (entity_id, attribute_id, step, bucket, count, min, max, sum, last, last_observed_at)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::float8[],
                             $7::float8[], $8::float8[], $9::float8[], $10::bigint[])
        ON CONFLICT (entity_id, attribute_id, step, bucket) DO UPDATE SET
            count = rollups.count + excluded.count, min = least(rollups.min, excluded.min),
            max = greatest(rollups.max, excluded.max), sum = rollups.sum + excluded.sum,
            last = CASE WHEN excluded.last_observed_at >= rollups.last_observed_at THEN excluded.last ELSE rollups.last END,
            last_observed_at = greatest(rollups.last_observed_at, excluded.last_observed_at)
        """

    /// Appends dead letters. Parameters: arrays of route, source, origin, payload, reason, received_at.
    static let insertDeadLetters = """
        INSERT INTO dead_letters (route, source, origin, payload, reason, received_at)
        SELECT a, b, c, d, e, f FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::bigint[])
             WITH ORDINALITY AS r(a, b, c, d, e, f, n)
        ORDER BY n
        """

    /// Archives documents unless their SHA-256 is stored. Parameters: arrays of sha256, media type,
    /// bytes, route, received_at.
    static let insertDocuments = """
        INSERT INTO documents (sha256, media_type, bytes, route, received_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::bigint[])
        ON CONFLICT (sha256) DO NOTHING
        """
}
