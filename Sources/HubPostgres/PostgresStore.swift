import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// The store on PostgreSQL, for a city that runs several hubs on one database: the same `Store`
/// contract and guarantees as `SQLiteStore`, laid out as docs/POSTGRESQL.md describes (events
/// partitioned by observation day, entity, type and route as small dictionary ids, the entity the
/// distribution key for Citus).
///
/// Writes go through one connection (`writer`), one transaction per `write`, each table written
/// with one multi-row statement (`unnest` of array parameters) whatever the batch size. Reads go
/// through a small pool of connections of their own (`readers`), so that a query never waits for a
/// commit and the API's reads run beside each other. When
/// the server restarts, a write fails (the batch writer retries it with its backoff) and the next
/// one reconnects first; nothing of a failed write is stored, so nothing acknowledged is lost.
public final class PostgresStore: Store {
    /// The options it was opened with.
    public let options: Options
    /// The server's URL with any password left out, for messages.
    public let redactedURL: String

    let logger: Logger
    let writer: Mutex<PostgresWriteSession?>
    /// The read connections (`Options.readConnections`).
    let readers: PostgresReadPool
    /// The subscriptions `write` records deliveries for, and their outboxes' sizes (`deliver(to:)`).
    let outbox = Mutex(OutboxRouting())
    /// The background retention sweeps, when `Options.retentionPeriod` asks for them.
    private let retentionTask = Mutex<RetentionTask?>(nil)

    /// Connects to the database `url` names (a `postgresql://` URL; `sslmode` and every other
    /// setting are libpq's) and brings its schema up to date.
    ///
    /// - Throws: `PostgresError`: `.cannotConnect` when the server does not answer or refuses,
    ///   `.schemaTooNew` when a newer hub migrated the database.
    public init(url: String, options: Options = .init(), logger: Logger) throws {
        self.options = options
        self.logger = logger
        let connection = try PostgresConnection(url: url)
        redactedURL = connection.redactedURL
        try Self.migrate(connection, logger: logger)
        let session = PostgresWriteSession(connection: connection)
        session.partitionDays = try PostgresPartitions.existingDays(on: connection)
        writer = Mutex(session)
        readers = try PostgresReadPool(url: url, size: options.readConnections)
        if let period = options.retentionPeriod, options.retention.expiresAnything {
            let task = RetentionTask(period: period, firstDelay: min(period, .seconds(60)), logger: logger) { [weak self] isStopping in
                _ = try self?.sweepExpired(now: .now(), sliceSize: 500, isStopping: isStopping)
            }
            retentionTask.withLock { $0 = task }
        }
        logger.debug("store opened", ["url": redactedURL, "server": String(connection.serverVersion)])
    }

    /// Writes events, dead letters and archived documents in one transaction (`Store.write`).
    ///
    /// Names new to the dictionary and the partitions of the batch's days (and the day after each,
    /// so that midnight finds its partition made) are created first, each committed on its own:
    /// they are harmless if the batch then fails. In the transaction, in order: the invoice register
    /// marks duplicates; the events are inserted (`ON CONFLICT DO NOTHING`: an event whose identity
    /// — entity, observation time, id — is stored is skipped, and so is a repeat within the batch);
    /// the newest event of each entity is offered to `latest`, which only a later observation moves;
    /// the device registry and the roll-ups are folded from the events inserted and written once per
    /// device and bucket; outbox rows are added for the subscriptions taking them; dead letters are
    /// appended byte for byte; documents are added unless their SHA-256 is stored.
    @discardableResult
    public func write(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument]) throws -> [StoredEvent] {
        guard !events.isEmpty || !deadLetters.isEmpty || !documents.isEmpty else { return [] }
        return try writer.withLock { slot in
            guard let session = slot else { throw PostgresError(.closed, "the store at \(redactedURL) is closed") }
            do {
                return try insert(events: events, deadLetters: deadLetters, documents: documents, on: session)
            } catch let error as PostgresError where error.sqlState == "23514" {
                // No partition for a row: another hub's retention dropped one this session knew. Once more, after a look.
                session.partitionDays = try PostgresPartitions.existingDays(on: session.connection)
                return try insert(events: events, deadLetters: deadLetters, documents: documents, on: session)
            }
        }
    }

    /// The identity of an event row: its primary key.
    struct Identity: Hashable {
        var entity: Int64
        var observedAt: Int64
        var hash: Int64
    }

    /// The transaction of `write`; returns the events it stored, in the order given.
    private func insert(events incoming: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument],
                        on session: PostgresWriteSession) throws -> [StoredEvent] {
        let connection = session.connection
        var names = Set<String>()
        for event in incoming {
            names.insert(event.entity)
            names.insert(event.type)
            names.insert(event.route)
            if options.maintainsRollups {
                for (name, value) in event.attributes {
                    if case .number(let number, _) = value, number.isFinite { names.insert(name) }
                }
            }
        }
        try session.resolve(names)
        var days = Set<Int64>()
        for event in incoming { days.insert(PostgresPartitions.day(of: event.observedAt.microsecondsSinceEpoch)) }
        for day in days.union(days.map { $0 + 1 }).sorted() where !session.partitionDays.contains(day) && PostgresPartitions.exists(day: day) {
            try PostgresPartitions.create(day: day, on: connection)
            session.partitionDays.insert(day)
        }

        var outboxChange: OutboxRouting.Change?
        let stored = try connection.transaction { () -> [StoredEvent] in
            // A received invoice is checked against the register first: a duplicate is stored marked.
            let events = try incoming.map { try PostgresInvoiceRegister.record($0, on: connection) }
            let stored = try insertEvents(events, session: session)
            try upsertLatest(events, session: session)
            try foldRegistry(of: stored, on: connection)
            if options.maintainsRollups { try foldRollups(of: stored, session: session) }
            outboxChange = try recordDeliveries(of: stored, on: connection)
            try insertDeadLetters(deadLetters, on: connection)
            try insertDocuments(documents, on: connection)
            return stored
        }
        if let outboxChange { outbox.withLock { $0.apply(outboxChange) } }
        return stored
    }

    /// The key an event is stored under, and its id's text when the key cannot spell it back.
    static func key(of event: Event, entity: Int64) -> (identity: Identity, idText: String?) {
        let observed = event.observedAt.microsecondsSinceEpoch
        if let (time, hash) = EventKey.timeAndHash(of: event.id), time == observed {
            return (Identity(entity: entity, observedAt: observed, hash: hash), nil)
        }
        var hasher = SHA256()
        hasher.update(event.id.rawValue)
        let digest = hasher.finalize()
        let hash = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (Identity(entity: entity, observedAt: observed, hash: Int64(bitPattern: hash)), event.id.rawValue)
    }

    /// Inserts the events not stored yet in one statement, in the order given (so their `seq`s
    /// follow it); returns them with their `seq`s.
    private func insertEvents(_ events: [Event], session: PostgresWriteSession) throws -> [StoredEvent] {
        guard !events.isEmpty else { return [] }
        var identities: [Identity] = []
        var seen = Set<Identity>()
        var entity: [Int64?] = [], observed: [Int64?] = [], hash: [Int64?] = [], idText: [String?] = []
        var type: [Int64?] = [], route: [Int64?] = [], received: [Int64?] = []
        var latitude: [Double?] = [], longitude: [Double?] = [], attributes: [String?] = []
        var offered: [Int] = []
        for (index, event) in events.enumerated() {
            let (identity, text) = Self.key(of: event, entity: try session.id(of: event.entity))
            identities.append(identity)
            // A repeat within the batch is skipped, as a stored one is: the first is kept.
            guard seen.insert(identity).inserted else { continue }
            offered.append(index)
            entity.append(identity.entity)
            observed.append(identity.observedAt)
            hash.append(identity.hash)
            idText.append(text)
            type.append(try session.id(of: event.type))
            route.append(try session.id(of: event.route))
            received.append(event.receivedAt.microsecondsSinceEpoch)
            latitude.append(event.location?.latitude)
            longitude.append(event.location?.longitude)
            attributes.append(event.attributesJSON)
        }
        var seqs: [Identity: Int64] = [:]
        for (identity, seq) in try session.connection.query(PostgresSQL.insertEvents, [
            .bigintArray(entity), .bigintArray(observed), .bigintArray(hash), .textArray(idText), .bigintArray(type),
            .bigintArray(route), .bigintArray(received), .doubleArray(latitude), .doubleArray(longitude), .textArray(attributes),
        ], row: { (Identity(entity: $0.int64(1), observedAt: $0.int64(2), hash: $0.int64(3)), $0.int64(0)) }) {
            seqs[identity] = seq
        }
        return offered.compactMap { index in seqs[identities[index]].map { StoredEvent(seq: $0, event: events[index]) } }
    }

    /// Offers the newest event of each entity in the batch (the first of equals) to `latest`,
    /// which takes it only when it was observed later than the one recorded; entities in id order,
    /// so that two hubs lock their rows in the same order.
    private func upsertLatest(_ events: [Event], session: PostgresWriteSession) throws {
        guard !events.isEmpty else { return }
        var newest: [Int64: Event] = [:]
        for event in events {
            let entity = try session.id(of: event.entity)
            if let current = newest[entity], current.observedAt >= event.observedAt { continue }
            newest[entity] = event
        }
        let rows = newest.sorted { $0.key < $1.key }
        try session.connection.execute(PostgresSQL.upsertLatest, [
            .bigintArray(rows.map(\.key)), .bigintArray(try rows.map { try session.id(of: $0.value.type) }),
            .bigintArray(try rows.map { try session.id(of: $0.value.route) }), .textArray(rows.map { $0.value.id.rawValue }),
            .bigintArray(rows.map { $0.value.observedAt.microsecondsSinceEpoch }),
            .bigintArray(rows.map { $0.value.receivedAt.microsecondsSinceEpoch }),
            .doubleArray(rows.map { $0.value.location?.latitude }), .doubleArray(rows.map { $0.value.location?.longitude }),
            .textArray(rows.map { $0.value.attributesJSON }),
        ])
    }

    /// Folds the device registry over the stored events: the rows they touch are read (and locked,
    /// so that two hubs fold one device in turn) in one statement, folded in memory, and written
    /// back in two: rows that existed are replaced, rows the batch registers are merged with any a
    /// concurrent batch registered meanwhile.
    private func foldRegistry(of stored: [StoredEvent], on connection: PostgresConnection) throws {
        let touched = Set(stored.flatMap { DeviceRegistryFold.devices(touchedBy: $0.event) })
        guard !touched.isEmpty else { return }
        var rows: [String: DeviceRegistryFold.Row] = [:]
        for (device, row) in try connection.query(PostgresSQL.lockDevices, [.textArray(touched.sorted())], row: { row in
            (row.text(0), DeviceRegistryFold.Row(route: row.text(1), firstSeen: row.int64(2), lastSeen: row.int64(3),
                                                 messageCount: row.int64(4), lastRSSI: row.double(5),
                                                 inactiveSince: row.optionalInt64(6)))
        }) {
            rows[device] = row
        }
        var fold = DeviceRegistryFold()
        for event in stored { try fold.apply(event.event) { rows[$0] } }
        let changed = fold.changedRows.sorted { $0.device < $1.device }
        for existed in [true, false] {
            let part = changed.filter { $0.existed == existed }
            guard !part.isEmpty else { continue }
            try connection.execute(existed ? PostgresSQL.updateDevices : PostgresSQL.insertDevices, [
                .textArray(part.map(\.device)), .textArray(part.map(\.row.route)), .bigintArray(part.map(\.row.firstSeen)),
                .bigintArray(part.map(\.row.lastSeen)), .bigintArray(part.map(\.row.messageCount)),
                .doubleArray(part.map(\.row.lastRSSI)), .bigintArray(part.map(\.row.inactiveSince)),
            ])
        }
    }

    /// Folds the stored events' finite numeric attributes into their hour buckets and merges each
    /// bucket into `rollups` in one statement (keys in order, so that two hubs lock in the same order).
    private func foldRollups(of stored: [StoredEvent], session: PostgresWriteSession) throws {
        var fold = RollupFold()
        for item in stored {
            let event = item.event
            try fold.apply(entity: try session.id(of: event.entity), observedAt: event.observedAt.microsecondsSinceEpoch,
                           attributes: event.attributes) { try session.id(of: $0) }
        }
        let buckets = fold.buckets.sorted { ($0.entity, $0.attribute, $0.bucket) < ($1.entity, $1.attribute, $1.bucket) }
        guard !buckets.isEmpty else { return }
        try session.connection.execute(PostgresSQL.upsertRollups, [
            .bigintArray(buckets.map(\.entity)), .bigintArray(buckets.map(\.attribute)),
            .bigintArray(buckets.map { _ in SeriesStep.hour.microseconds / 1_000_000 }), .bigintArray(buckets.map(\.bucket)),
            .bigintArray(buckets.map(\.count)), .doubleArray(buckets.map(\.min)), .doubleArray(buckets.map(\.max)),
            .doubleArray(buckets.map(\.sum)), .doubleArray(buckets.map(\.last)), .bigintArray(buckets.map(\.lastObservedAt)),
        ])
    }

    /// Appends the dead letters, payloads byte for byte, in one statement.
    private func insertDeadLetters(_ deadLetters: [DeadLetter], on connection: PostgresConnection) throws {
        guard !deadLetters.isEmpty else { return }
        try connection.execute(PostgresSQL.insertDeadLetters, [
            .textArray(deadLetters.map(\.route)), .textArray(deadLetters.map(\.source.rawValue)),
            .textArray(deadLetters.map(\.origin)), .bytesArray(deadLetters.map(\.payload)), .textArray(deadLetters.map(\.reason)),
            .bigintArray(deadLetters.map(\.receivedAt.microsecondsSinceEpoch)),
        ])
    }

    /// Archives the documents whose SHA-256 is not stored, in one statement.
    private func insertDocuments(_ documents: [ArchivedDocument], on connection: PostgresConnection) throws {
        guard !documents.isEmpty else { return }
        try connection.execute(PostgresSQL.insertDocuments, [
            .textArray(documents.map(\.sha256)), .textArray(documents.map(\.mediaType)), .bytesArray(documents.map(\.bytes)),
            .textArray(documents.map(\.route)), .bigintArray(documents.map(\.receivedAt.microsecondsSinceEpoch)),
        ])
    }

    /// PostgreSQL's largest field: 1 GiB (a bigger one fails and is never retried as it is).
    public var largestValueBytes: Int { 1 << 30 - 1 }

    /// Stops the retention task and closes both connections. Calling it again does nothing; any
    /// other use afterwards throws `PostgresError` with code `.closed`.
    public func close() throws {
        retentionTask.withLock { task in
            task?.stop()
            task = nil
        }
        writer.withLock { session in
            session?.connection.close()
            session = nil
        }
        readers.close()
    }

    /// Runs `body` with the write connection while holding its lock.
    func withWriteConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try writer.withLock { session in
            guard let session else { throw PostgresError(.closed, "the store at \(redactedURL) is closed") }
            return try body(session.connection)
        }
    }

    /// Runs `body` with a read connection of the pool, waiting for one when all are busy; once
    /// more, on a new session, when the connection was found lost (a server restarted since its last
    /// read): a read changes nothing.
    func withReadConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try readers.withConnection(body)
    }

    /// Brings the schema to `PostgresMigration.latestVersion` in one transaction, holding an advisory
    /// lock so that two hubs starting on a new database do not both migrate it.
    private static func migrate(_ connection: PostgresConnection, logger: Logger) throws {
        try connection.transaction {
            // The key is arbitrary and fixed: "hub schema" as a number.
            try connection.execute("SELECT pg_advisory_xact_lock(4849505348656941)")
            try connection.run(script: "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
            let version = try connection.query("SELECT max(version) FROM schema_version") { $0.int64(0) }.first.map(Int.init) ?? 0
            guard version <= PostgresMigration.latestVersion else {
                throw PostgresError(.schemaTooNew, "\(connection.redactedURL) has schema version \(version); this hub knows up to \(PostgresMigration.latestVersion): use a newer hub")
            }
            for migration in PostgresMigration.all where migration.version > version {
                try connection.run(script: migration.sql)
                try connection.execute("DELETE FROM schema_version")
                try connection.execute("INSERT INTO schema_version (version) VALUES ($1::bigint)", [.bigint(Int64(migration.version))])
                logger.info("store schema migrated", ["url": connection.redactedURL, "version": String(migration.version),
                                                       "change": migration.summary])
            }
        }
    }
}
