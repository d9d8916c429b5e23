import CSQLite
import Foundation
import HubCore
import HubServices
import Synchronization

/// The embedded store: one SQLite file in WAL mode holding events, the latest state of each
/// entity, and dead letters.
///
/// Writes go through the write connection, one transaction per `write` call; reads borrow one of a
/// pool of read-only connections (`ReadConnectionPool`, `Options.readConnections`), so that in WAL
/// mode a query never waits for a batch being committed, a commit never waits for a query, and
/// concurrent API reads do not queue behind each other. Each connection sits in its own `Mutex` and
/// is only used inside `withLock`: that is what serializes access to each SQLite handle and its
/// prepared statements (the handles are opened with `SQLITE_OPEN_NOMUTEX`).
/// A third connection, the `Checkpointer`'s, folds the log into the file in the background, so
/// that checkpoints (and their fsyncs) never run inside a batch commit.
public final class SQLiteStore: HubDatabase {
    /// The version of the SQLite library the hub runs with, e.g. `3.40.1`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// The database file.
    public let path: String
    /// The options it was opened with.
    public let options: Options

    let logger: Logger
    let writeConnection: Mutex<SQLiteConnection?>
    /// How many batch writes are waiting for `writeConnection`: a retention slice holding it ends
    /// early when one is, so that a commit waits for one deleted row, not a whole slice.
    let writesWaiting = Atomic<Int>(0)
    let readPool: ReadConnectionPool
    let checkpointer: Checkpointer
    /// The background retention sweeps, while the policy expires anything.
    private let retentionTask = Mutex<RetentionTask?>(nil)
    /// The subscriptions `write` records deliveries for, and their outboxes' sizes (`deliver(to:)`).
    let outbox = Mutex(OutboxRouting())
    /// The identities of the database file and its write-ahead log as the store opened them.
    let files: Mutex<OpenedFiles>

    /// What the store's handles have open, to compare with what its paths name.
    struct OpenedFiles {
        /// The database file's identity.
        var database: FileIdentity?
        /// The write-ahead log's identity, once it exists.
        var log: FileIdentity?
        /// Set while a restore has closed the connections and not yet reopened them all.
        var needsReopen = false
    }

    /// Opens (or creates) the database at `path`, creating its folder when missing, switches it
    /// to WAL mode and brings its schema up to date.
    ///
    /// - Throws: `StoreError` with `.cannotOpen` when the folder or file cannot be created or opened,
    ///   `.corrupt` when the file is not a database, `.schemaTooNew` when a newer hub wrote it.
    public init(path: String, options: Options = .init(), logger: Logger) throws {
        self.path = path
        self.options = options
        self.logger = logger

        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.cannotOpen, "cannot create the folder \(folder.path) for the database \(path): \(error.localizedDescription)")
        }

        let writer = try Self.openWriter(path: path, options: options, logger: logger)
        // Opened after the writer made sure the file exists, is in WAL mode and has its schema.
        let readers = try ReadConnectionPool(path: path, size: options.readConnections, busyTimeout: options.busyTimeout)
        checkpointer = try Checkpointer(path: path, busyTimeout: options.busyTimeout, period: options.checkpointPeriod,
                                        logger: logger)
        writeConnection = Mutex(writer)
        readPool = readers
        files = Mutex(OpenedFiles(database: FileIdentity.of(path), log: FileIdentity.of(path + "-wal")))
        checkpointer.start { [weak self] copy in
            self?.writeConnection.withLock { connection in
                if connection != nil { copy() }
            }
        }
        if options.retention.expiresAnything {
            let task = RetentionTask(period: options.retentionPeriod, firstDelay: min(options.retentionPeriod, .seconds(60)),
                                     logger: logger) { [weak self] isStopping in
                _ = try self?.sweepExpired(now: .now(), sliceSize: 500, isStopping: isStopping)
            }
            retentionTask.withLock { $0 = task }
        }
        logger.debug("store opened", ["path": path, "synchronous": options.synchronous.rawValue.lowercased()])
    }

    /// Opens the write connection: WAL mode, the synchronous level, no automatic checkpoints, the
    /// log size limit, the largest value, and the schema brought up to date.
    static func openWriter(path: String, options: Options, logger: Logger) throws -> SQLiteConnection {
        let writer = try SQLiteConnection(path: path, readOnly: false, busyTimeout: options.busyTimeout)
        let mode = try switchToWAL(writer, within: options.busyTimeout)
        guard mode.lowercased() == "wal" else {
            throw StoreError(.cannotOpen, "\(path) could not be switched to WAL mode (journal mode is \"\(mode)\")")
        }
        try writer.run("PRAGMA synchronous = \(options.synchronous.rawValue)")
        // A batch touches a page per entity in the entity indexes (about 5 MB for 4,000 readings of
        // 500 sensors): with SQLite's default 2 MB cache, it would spill pages to the log before its
        // commit and read them back.
        try writer.run("PRAGMA cache_size = -8192")
        // A statement that may stop half-way (an upsert, a NOT NULL check) keeps the pages it changes
        // in a statement journal until it ends; past 64 KiB SQLite moves that journal to a temporary
        // file, and then writes every page a statement touches to it. Kept in memory, it costs a copy.
        try writer.run("PRAGMA temp_store = MEMORY")
        // Checkpoints run on the Checkpointer's thread, not inside commits.
        _ = try writer.query("PRAGMA wal_autocheckpoint = 0") { $0.int64(0) }
        // After a checkpoint resets the log, SQLite truncates the file to this size.
        _ = try writer.query("PRAGMA journal_size_limit = \(options.walLimitBytes)") { $0.int64(0) }
        if let largest = options.largestValueBytes { writer.setLengthLimit(largest) }
        try migrate(writer, logger: logger)
        return writer
    }

    /// Sets WAL mode, retrying while another connection opening the same new file holds its lock:
    /// SQLite answers a lock upgrade that could deadlock with SQLITE_BUSY at once, without waiting
    /// for the busy timeout, when two connections switch a fresh file to WAL together.
    private static func switchToWAL(_ connection: SQLiteConnection, within timeout: Duration) throws -> String {
        let deadline = DispatchTime.now() + timeout.timeInterval
        while true {
            do {
                return try connection.query("PRAGMA journal_mode = WAL") { $0.text(0) }.first ?? ""
            } catch let error as StoreError where error.code == .busy && DispatchTime.now() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Writes events, dead letters and archived documents in one `BEGIN IMMEDIATE ... COMMIT` transaction.
    ///
    /// An event whose id is stored already is skipped (`ON CONFLICT (id) DO NOTHING`). Each new event also
    /// becomes its entity's latest state when it was observed later than the one recorded; a document
    /// whose SHA-256 is stored already is skipped. A received invoice goes through the
    /// `InvoiceRegister` first, and is stored (and returned) marked when it is a duplicate. On any
    /// failure the transaction is rolled back and the error rethrown: nothing of the call is stored.
    ///
    /// Before the transaction it checks that the paths still name the files it opened
    /// (`verifyFiles`): a deleted database is restored from the open handle, a replaced one makes
    /// the write throw `.fileReplaced`. After it, a write-ahead log larger than
    /// `Options.walLimitBytes` is folded into the file and truncated, and so it is after a commit
    /// that failed for want of space, so that the log never keeps disk space freed for the database.
    /// Returns the events stored (not those already there), with their sequence numbers.
    @discardableResult
    public func write(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument]) throws -> [StoredEvent] {
        guard !events.isEmpty || !deadLetters.isEmpty || !documents.isEmpty else { return [] }
        writesWaiting.add(1, ordering: .relaxed)
        return try writeConnection.withLock { slot in
            writesWaiting.subtract(1, ordering: .relaxed)
            guard slot != nil else { throw StoreError.closed(path) }
            let connection = try verifyFiles(&slot)
            let stored: [StoredEvent]
            do {
                stored = try insert(events: events, deadLetters: deadLetters, documents: documents, on: connection)
            } catch let error as StoreError where error.code == .full || error.code == .ioError {
                // A full disk: the log may hold space a checkpoint can give back once there is room.
                truncateLog(on: connection, because: "a commit failed: \(error)")
                throw error
            }
            if let log = FileIdentity.of(path + "-wal"), log.size > options.walLimitBytes {
                truncateLog(on: connection, because: "the write-ahead log passed \(options.walLimitBytes) bytes")
            }
            return stored
        }
    }

    /// The transaction of `write`, on the write connection; returns the events it stored.
    ///
    /// Per batch, not per row: names are looked up in the connection's dictionary, only the newest
    /// event of each entity is offered to `latest`, and the device registry is folded in memory and
    /// written once per device; the roll-ups of the stored events' numeric attributes are folded
    /// likewise and merged once per bucket.
    private func insert(events: [Event], deadLetters: [DeadLetter], documents: [ArchivedDocument],
                        on connection: SQLiteConnection) throws -> [StoredEvent] {
        let insertEvent = try connection.statement(StoreSQL.insertEvent)
        let upsertLatest = try connection.statement(StoreSQL.upsertLatest)
        let insertDeadLetter = try connection.statement(StoreSQL.insertDeadLetter)
        let insertDocument = try connection.statement(StoreSQL.insertDocument)
        let register = try InvoiceRegister(on: connection)
        // Only the newest event of each entity in the batch can move its latest state forward
        // (the first of equals, as row-by-row upserts would keep): upsert just those.
        var newestByEntity: [String: Int] = [:]
        var isNewest = [Bool](repeating: false, count: events.count)
        for (index, event) in events.enumerated() {
            if let current = newestByEntity[event.entity] {
                guard events[current].observedAt < event.observedAt else { continue }
                isNewest[current] = false
            }
            newestByEntity[event.entity] = index
            isNewest[index] = true
        }
        var registry = DeviceRegistryFold()
        var rollups = RollupFold()
        // A batch's events mostly share their type and route: the last ids found are kept, and a
        // text equal to the last one's (usually the same storage) skips the dictionary.
        var lastType: (name: String, id: Int64)?, lastRoute: (name: String, id: Int64)?
        func id(of name: String, after last: inout (name: String, id: Int64)?) throws -> Int64 {
            if let last, last.name == name { return last.id }
            let id = try connection.names.id(of: name, on: connection)
            last = (name, id)
            return id
        }
        var outboxChange: OutboxRouting.Change?
        do {
            let stored = try connection.transaction {
                var stored: [StoredEvent] = []
                stored.reserveCapacity(events.count)
                for (index, incoming) in events.enumerated() {
                    // A received invoice is checked against the register first: a duplicate is stored marked.
                    let event = try register.record(incoming)
                    let observed = SQLiteValue.integer(event.observedAt.microsecondsSinceEpoch)
                    let received = SQLiteValue.integer(event.receivedAt.microsecondsSinceEpoch)
                    let latitude = SQLiteValue.real(event.location?.latitude), longitude = SQLiteValue.real(event.location?.longitude)
                    let attributes = SQLiteValue.text(event.attributesJSON)
                    // Attributes shaped like earlier ones are stored as their template's id and numbers.
                    let entity = try connection.names.id(of: event.entity, on: connection)
                    var storedAttributes = attributes, shape = SQLiteValue.null
                    if let (template, values) = AttributeShape.split(event.attributesJSON),
                       let id = try connection.shapes.id(of: template, entity: entity, on: connection) {
                        storedAttributes = .text(values)
                        shape = .integer(id)
                    }
                    let row: [SQLiteValue] = [
                        EventKey.value(of: event.id, observedAt: event.observedAt.microsecondsSinceEpoch), .integer(entity),
                        .integer(try id(of: event.type, after: &lastType)),
                        .integer(try id(of: event.route, after: &lastRoute)),
                        observed, received, latitude, longitude, storedAttributes, shape,
                    ]
                    if let seq = try insertEvent.insertedRowID(row) {
                        stored.append(StoredEvent(seq: seq, event: event))
                        try registry.apply(event, on: connection)
                        if options.maintainsRollups { try rollups.apply(event, entity: entity, on: connection) }
                    }
                    if isNewest[index] {
                        try upsertLatest.execute([
                            .text(event.id.rawValue), .text(event.type), .text(event.entity), observed, received,
                            .text(event.route), latitude, longitude, attributes,
                        ])
                    }
                }
                try registry.write(on: connection)
                try rollups.write(on: connection)
                // The deliveries of the stored events, in the same transaction (the outbox).
                outboxChange = try recordDeliveries(of: stored, on: connection)
                for deadLetter in deadLetters {
                    try insertDeadLetter.execute([
                        .text(deadLetter.route), .text(deadLetter.source.rawValue), .text(deadLetter.origin),
                        .blob(deadLetter.payload), .text(deadLetter.reason),
                        .integer(deadLetter.receivedAt.microsecondsSinceEpoch),
                    ])
                }
                for document in documents {
                    try insertDocument.execute([
                        .text(document.sha256), .text(document.mediaType), .blob(document.bytes), .text(document.route),
                        .integer(document.receivedAt.microsecondsSinceEpoch),
                    ])
                }
                return stored
            }
            connection.names.commit()
            connection.shapes.commit()
            registry.remember(on: connection)
            applyOutbox(outboxChange)
            return stored
        } catch {
            connection.names.forget()
            connection.shapes.forget()
            throw error
        }
    }

    /// The largest string or blob SQLite stores in one value (`SQLITE_LIMIT_LENGTH`); a bigger one
    /// fails with `StoreError` code `.tooBig`.
    public var largestValueBytes: Int {
        (try? withWriteConnection { $0.lengthLimit }) ?? Int(Int32.max)
    }

    /// Copies what the write-ahead log holds into the database file without waiting for readers
    /// or writers (`PRAGMA wal_checkpoint(PASSIVE)`), so the log stays small. The store does this
    /// by itself every `Options.checkpointPeriod`; this runs one now.
    public func checkpoint() throws {
        try checkpointer.checkpoint()
    }

    /// The journal mode SQLite reports for the file (`wal` for a store opened by this type), for diagnostics.
    public func journalMode() throws -> String {
        try withReadConnection { connection in
            try connection.query("PRAGMA journal_mode") { $0.text(0) }.first ?? ""
        }
    }

    /// Finalizes every prepared statement and closes every connection; the last close folds the
    /// write-ahead log into the file. Calling it again does nothing; any other use afterwards throws
    /// `StoreError` with code `.closed`.
    public func close() throws {
        retentionTask.withLock { task in
            task?.stop()
            task = nil
        }
        let checkpointResult = Result { try checkpointer.stop() }
        let readResult = readPool.close()
        let writeResult = writeConnection.withLock { connection -> Result<Void, any Error> in
            defer { connection = nil }
            return Result { try connection?.close() }
        }
        try checkpointResult.get()
        try readResult.get()
        try writeResult.get()
    }

    /// Runs `body` with the write connection while holding its lock.
    func withWriteConnection<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writeConnection.withLock { connection throws -> T in
            guard let connection else { throw StoreError.closed(path) }
            return try body(connection)
        }
    }

    /// Runs `body` with a read-only connection of the pool, borrowed for the call.
    func withReadConnection<T: Sendable>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readPool.withConnection(path: path, body)
    }

    /// Brings the schema to `SchemaMigration.latestVersion`, in one transaction, so that two hubs
    /// opening the same new file cannot both migrate it.
    private static func migrate(_ connection: SQLiteConnection, logger: Logger) throws {
        try connection.transaction {
            let version = try connection.query("PRAGMA user_version") { Int32(truncatingIfNeeded: $0.int64(0)) }.first ?? 0
            guard version <= SchemaMigration.latestVersion else {
                throw StoreError(.schemaTooNew, "\(connection.path) has schema version \(version); this hub knows up to \(SchemaMigration.latestVersion): use a newer hub")
            }
            for migration in SchemaMigration.all where migration.version > version {
                try connection.execute(script: migration.sql)
                try migration.apply?(connection)
                try connection.execute(script: "PRAGMA user_version = \(migration.version)")
                logger.info("store schema migrated", ["path": connection.path, "version": String(migration.version),
                                                       "change": migration.summary])
            }
        }
    }
}
