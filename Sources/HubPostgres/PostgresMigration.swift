/// One step of the PostgreSQL store's schema, applied once in order; the database's version is the
/// single row of `schema_version`, as SQLite's is its `user_version`.
///
/// Every table is laid out to stay distributable with Citus (see docs/POSTGRESQL.md): the entity's
/// dictionary id is the distribution key of events, latest states and roll-ups, and every primary key
/// or unique constraint of those tables includes it; the dictionaries and small tables can become
/// reference tables. Times are microseconds since the Unix epoch (bigint), as in SQLite.
struct PostgresMigration: Sendable {
    /// The version the database has once this step is applied.
    let version: Int
    /// What the step changes, for the log.
    let summary: String
    /// The step's statements.
    let sql: String

    /// Every step, oldest first.
    static let all: [PostgresMigration] = [
        PostgresMigration(version: 1, summary: "events partitioned by observation day, latest states, dictionaries, device registry, dead letters, documents, roll-ups, invoice register, outbox", sql: """
            CREATE TABLE names (
                id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- what events.entity_id, type_id, route_id hold
                name text NOT NULL UNIQUE                              -- an entity id, a type, a route or an attribute name
            );

            -- The order events were stored in: the live stream's id: and the pages' cursor.
            CREATE SEQUENCE events_seq AS bigint;

            -- Partitioned by observation time, one partition a UTC day (PostgresStore+Partitions), so that
            -- retention drops whole partitions. The key is the event's identity: its entity (the
            -- distribution key), its observation time (the partition key) and the hash of its id.
            CREATE TABLE events (
                entity_id   bigint NOT NULL,           -- names.id
                observed_at bigint NOT NULL,           -- microseconds since the Unix epoch, UTC
                id_hash     bigint NOT NULL,           -- EventID.make's hash, or the first 64 bits of SHA-256 of another id
                id_text     text,                      -- NULL when the id is EventID.make's for observed_at; the id otherwise
                seq         bigint NOT NULL DEFAULT nextval('events_seq'),
                type_id     bigint NOT NULL,           -- names.id
                route_id    bigint NOT NULL,           -- names.id
                received_at bigint NOT NULL,           -- microseconds since the Unix epoch, UTC
                latitude    double precision,          -- WGS84, both NULL when the event has no location
                longitude   double precision,
                attributes  text NOT NULL,             -- Event.attributesJSON, byte for byte
                PRIMARY KEY (entity_id, observed_at, id_hash)
            ) PARTITION BY RANGE (observed_at);
            CREATE INDEX events_by_seq ON events (seq);
            CREATE INDEX events_by_entity_seq ON events (entity_id, seq);
            CREATE INDEX events_by_type_seq ON events (type_id, seq);
            CREATE INDEX events_by_route_seq ON events (route_id, seq);

            -- Each entity's latest state: its stored event observed latest.
            CREATE TABLE latest (
                entity_id   bigint PRIMARY KEY,        -- names.id
                type_id     bigint NOT NULL,
                route_id    bigint NOT NULL,
                event_id    text NOT NULL,             -- the event's id as text
                observed_at bigint NOT NULL,
                received_at bigint NOT NULL,
                latitude    double precision,
                longitude   double precision,
                attributes  text NOT NULL
            );
            CREATE INDEX latest_by_type ON latest (type_id, entity_id);

            CREATE TABLE devices (
                device         text PRIMARY KEY,       -- URN
                route          text NOT NULL,          -- route of the latest message
                first_seen     bigint NOT NULL,        -- microseconds
                last_seen      bigint NOT NULL,
                message_count  bigint NOT NULL,
                last_rssi      double precision,
                inactive_since bigint                  -- NULL while active
            );

            CREATE TABLE dead_letters (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                route       text NOT NULL,
                source      text NOT NULL,             -- mqtt, feed, webhook, folder
                origin      text NOT NULL,             -- topic, URL, path or file name
                payload     bytea NOT NULL,            -- byte for byte
                reason      text NOT NULL,
                received_at bigint NOT NULL,
                replayed_at bigint                     -- NULL until replayed
            );
            CREATE INDEX dead_letters_by_route ON dead_letters (route, id);
            CREATE INDEX dead_letters_by_received ON dead_letters (received_at);

            CREATE TABLE documents (
                sha256      text PRIMARY KEY,          -- 64 lowercase hex digits
                media_type  text NOT NULL,
                bytes       bytea NOT NULL,            -- the document exactly as received
                route       text NOT NULL,             -- the route that first received it
                received_at bigint NOT NULL
            );

            -- Hourly roll-ups of numeric attributes (a day is the sum of its hours, done when read).
            CREATE TABLE rollups (
                entity_id        bigint NOT NULL,      -- names.id of the entity
                attribute_id     bigint NOT NULL,      -- names.id of the attribute's name
                step             integer NOT NULL,     -- bucket width in seconds: 3600
                bucket           bigint NOT NULL,      -- bucket start, microseconds
                count            bigint NOT NULL,
                min              double precision NOT NULL,
                max              double precision NOT NULL,
                sum              double precision NOT NULL,
                last             double precision NOT NULL,
                last_observed_at bigint NOT NULL,
                PRIMARY KEY (entity_id, attribute_id, step, bucket)
            );
            CREATE INDEX rollups_by_bucket ON rollups (step, bucket);

            CREATE TABLE invoice_register (
                seller      text NOT NULL,
                number      text NOT NULL,
                issue_date  text NOT NULL,
                type_code   text NOT NULL,
                document    text NOT NULL,             -- SHA-256 of the first document carrying this invoice
                event_id    text NOT NULL,
                route       text NOT NULL,
                received_at bigint NOT NULL,
                PRIMARY KEY (seller, number, issue_date, type_code)
            );
            CREATE TABLE invoice_status_numbers (
                number text NOT NULL,
                entity text NOT NULL,
                PRIMARY KEY (number, entity)
            );

            CREATE TABLE outbox (
                subscription text NOT NULL,
                seq          bigint NOT NULL,          -- events.seq of the event to deliver
                PRIMARY KEY (subscription, seq)
            );
            CREATE TABLE outbox_batches (
                subscription text PRIMARY KEY,
                last_seq     bigint NOT NULL
            );
            CREATE TABLE api_subscriptions (
                name       text PRIMARY KEY,
                definition text NOT NULL,
                created_at bigint NOT NULL
            );
            """),
        PostgresMigration(version: 2, summary: PostgresKeepingSchema.summary, sql: PostgresKeepingSchema.sql),
    ]

    /// The version a database has once every step is applied.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
