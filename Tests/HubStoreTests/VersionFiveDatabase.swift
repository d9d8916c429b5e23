import Foundation
import HubCore
import HubServices
@testable import HubStore

/// A database as the hub wrote it at schema version 5, before the lean event layout: the first five
/// migration steps, and events written with that version's own statements (text columns, the
/// devices triggers). Migration tests fill one, open it with today's store and compare.
struct VersionFiveDatabase {
    /// The write path of schema version 5, verbatim.
    static let insertEvent = """
        INSERT OR IGNORE INTO events (id, type, entity, observed_at, received_at, route, latitude, longitude, attributes)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING seq
        """
    static let upsertLatest = """
        INSERT INTO latest (event_id, type, entity, observed_at, received_at, route, latitude, longitude, attributes)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (entity) DO UPDATE SET
            event_id = excluded.event_id, type = excluded.type, observed_at = excluded.observed_at,
            received_at = excluded.received_at, route = excluded.route, latitude = excluded.latitude,
            longitude = excluded.longitude, attributes = excluded.attributes
        WHERE excluded.observed_at > latest.observed_at
        """
    static let insertDeadLetter = """
        INSERT INTO dead_letters (route, source, origin, payload, reason, received_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        """

    let connection: SQLiteConnection

    /// Creates the file at `path` with the schema of version 5.
    init(path: String) throws {
        connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: .seconds(5))
        try connection.execute(script: "PRAGMA journal_mode = WAL")
        for migration in SchemaMigration.all where migration.version <= 5 {
            try connection.execute(script: migration.sql)
            try connection.execute(script: "PRAGMA user_version = \(migration.version)")
        }
    }

    /// Writes one batch as version 5's `SQLiteStore.write` did: every event inserted unless its id
    /// is stored, the newest of each entity offered to `latest`, then the dead letters.
    func write(events: [Event], deadLetters: [DeadLetter] = []) throws {
        var newestByEntity: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            if let current = newestByEntity[event.entity], events[current].observedAt >= event.observedAt { continue }
            newestByEntity[event.entity] = index
        }
        try connection.transaction {
            for (index, event) in events.enumerated() {
                let columns: [SQLiteValue] = [
                    .text(event.id.rawValue), .text(event.type), .text(event.entity),
                    .integer(event.observedAt.microsecondsSinceEpoch), .integer(event.receivedAt.microsecondsSinceEpoch),
                    .text(event.route), .real(event.location?.latitude), .real(event.location?.longitude),
                    .text(event.attributesJSON),
                ]
                _ = try connection.query(Self.insertEvent, columns) { $0.int64(0) }
                if newestByEntity[event.entity] == index { try connection.run(Self.upsertLatest, columns) }
            }
            for deadLetter in deadLetters {
                try connection.run(Self.insertDeadLetter, [
                    .text(deadLetter.route), .text(deadLetter.source.rawValue), .text(deadLetter.origin),
                    .blob(deadLetter.payload), .text(deadLetter.reason), .integer(deadLetter.receivedAt.microsecondsSinceEpoch),
                ])
            }
        }
    }

    /// Every row of `table` in `order`, each column as SQLite holds it (type and bytes), for row-by-row comparison.
    static func rows(of sql: String, on connection: SQLiteConnection) throws -> [[String]] {
        try connection.query(sql) { row in
            (0..<Int32(row.columnCount)).map { column in row.describe(column) }
        }
    }

    func close() throws { try connection.close() }
}
