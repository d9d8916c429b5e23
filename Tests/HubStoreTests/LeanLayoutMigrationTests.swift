import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Schema version 6, the lean event layout: a database written by version 5 migrates with every
/// row and every answer kept, and the registry folded per batch counts as the triggers did.
final class LeanLayoutMigrationTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-lean")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func openStore(_ name: String, options: SQLiteStore.Options = .init()) throws -> SQLiteStore {
        try SQLiteStore(path: path(name), options: options, logger: logs.logger(label: "hub.store"))
    }

    /// A device's readings: `refDevice`, RSSI on some, several events sharing one message's
    /// `received_at`, a reading received out of order, a `Device` event, the device watch's
    /// inactive/active events, an older observation, a re-delivery, and an id not made by `EventID.make`.
    private func history() -> [[Event]] {
        let start = SampleData.observed
        func reading(_ device: Int, _ step: Int64, received: Int64? = nil, rssi: Double? = nil, type: String = "AirQualityObserved",
                     key: String = "") -> Event {
            var attributes: [String: Value] = ["no2": .number(Double(step) + 0.5, unit: "GQ"),
                                               "refDevice": .text("urn:ngsi-ld:Device:\(device)")]
            if let rssi { attributes["rssi"] = .number(rssi, unit: nil) }
            return Event(type: type, entity: "urn:ngsi-ld:\(type):\(device)", observedAt: start.adding(microseconds: step * 1_000_000),
                         receivedAt: start.adding(microseconds: (received ?? step) * 1_000_000 + 7), route: device == 3 ? "parking" : "air",
                         location: device == 2 ? nil : GeoPoint(latitude: 45.7 + Double(device) / 100, longitude: 4.8),
                         attributes: attributes, key: key)
        }
        func status(_ type: String, device: Int, _ step: Int64) -> Event {
            Event(type: type, entity: "urn:ngsi-ld:Device:\(device)", observedAt: start.adding(microseconds: step * 1_000_000),
                  receivedAt: start.adding(microseconds: step * 1_000_000 + 9), route: "air", attributes: [:])
        }
        let legacy = Event(id: EventID(rawValue: "legacy:Sensor:9@1"), type: "Device", entity: "urn:ngsi-ld:Device:9",
                           observedAt: start, receivedAt: start, route: "air", location: nil, attributes: ["rssi": .number(-80, unit: nil)])
        return [
            [reading(1, 1, rssi: -70), reading(1, 1, key: "b"), reading(2, 1), reading(3, 1, rssi: -60.25), legacy],
            [reading(1, 3, rssi: -71), reading(1, 2, received: 2), reading(2, 2, rssi: -90), status("DeviceInactive", device: 2, 4)],
            [reading(1, 3, rssi: -71), reading(2, 5), status("DeviceActive", device: 2, 6), status("DeviceInactive", device: 1, 7),
             reading(1, 0, received: 8, rssi: -10), reading(3, 9, type: "Device")],
        ]
    }

    /// The id as its text, spelled by SQL from each stored form (`EventKey`): an independent
    /// spelling of what `EventKey.id(in:column:observedAt:)` gives.
    private static let idSpelledBySQL = """
        CASE typeof(e.id) \
        WHEN 'integer' THEN printf('%016x%016x', CASE WHEN e.observed_at >= 0 THEN e.observed_at + (-9223372036854775807 - 1) \
                                                      ELSE e.observed_at - (-9223372036854775807 - 1) END, e.id) \
        WHEN 'blob' THEN lower(hex(e.id)) ELSE e.id END
        """

    private static let eventRows = """
        SELECT e.seq, \(idSpelledBySQL), type.name, entity.name, e.observed_at, e.received_at, route.name,
               e.latitude, e.longitude, e.attributes FROM \(StoreSQL.eventSource) ORDER BY e.seq
        """
    private static let oldEventRows = """
        SELECT seq, id, type, entity, observed_at, received_at, route, latitude, longitude, attributes FROM events ORDER BY seq
        """
    private static let keptTables = [
        "SELECT * FROM latest ORDER BY entity", "SELECT * FROM devices ORDER BY device",
        "SELECT * FROM dead_letters ORDER BY id", "SELECT * FROM documents ORDER BY sha256", "SELECT * FROM tokens ORDER BY id",
    ]

    /// Version 5's file, migrated: every event row equal column by column (seq, id, names, times,
    /// location, attributes), the other tables byte for byte, the devices triggers gone, and every
    /// read answering what was written; a re-delivery afterwards changes nothing.
    func testADatabaseOfVersionFiveMigratesRowByRow() throws {
        let old = try VersionFiveDatabase(path: path("old.sqlite"))
        let deadLetter = SampleData.deadLetter(payload: Data([0, 0xff, 0xfe, 0x80, 10, 13, 0]) + Data("{\"no2\":".utf8))
        for (index, batch) in history().enumerated() {
            try old.write(events: batch, deadLetters: index == 1 ? [deadLetter] : [])
        }
        let eventsBefore = try VersionFiveDatabase.rows(of: Self.oldEventRows, on: old.connection)
        let tablesBefore = try Self.keptTables.map { try VersionFiveDatabase.rows(of: $0, on: old.connection) }
        XCTAssertEqual(eventsBefore.count, 14, "the re-delivered reading was ignored by version 5 too")
        XCTAssertEqual(tablesBefore[1].count, 4, "devices 1, 2, 3 and 9 registered by the triggers")
        try old.close()

        let store = try openStore("old.sqlite")
        defer { try? store.close() }
        try store.withReadConnection { connection in
            XCTAssertEqual(try connection.query("PRAGMA user_version") { $0.int64(0) }.first, Int64(SchemaMigration.latestVersion))
            XCTAssertEqual(try VersionFiveDatabase.rows(of: Self.eventRows, on: connection), eventsBefore)
            for (sql, before) in zip(Self.keptTables, tablesBefore) {
                XCTAssertEqual(try VersionFiveDatabase.rows(of: sql, on: connection), before, sql)
            }
            XCTAssertEqual(try connection.query("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") { $0.int64(0) }.first, 0)
            XCTAssertEqual(try connection.query("SELECT typeof(id), count(*) FROM events GROUP BY 1 ORDER BY 1") { "\($0.text(0)) \($0.int64(1))" },
                           ["integer 13", "text 1"], "ids made by EventID.make keep their hash (schema 14); the legacy one its text")
        }

        // Every read answers from the migrated rows what was written.
        let written = history().flatMap { $0 }
        var unique: [Event] = []
        for event in written where !unique.contains(where: { $0.id == event.id }) { unique.append(event) }
        XCTAssertEqual(try store.events(limit: 100), unique.reversed())
        for event in unique { XCTAssertEqual(try store.event(id: event.id), event) }
        XCTAssertEqual(try store.events(entity: "urn:ngsi-ld:AirQualityObserved:1", limit: 100),
                       unique.filter { $0.entity == "urn:ngsi-ld:AirQualityObserved:1" }.reversed())
        XCTAssertEqual(try store.events(route: "parking", limit: 100), unique.filter { $0.route == "parking" }.reversed())
        var filter = EventFilter()
        filter.types = ["Device", "DeviceInactive"]
        filter.hiddenRoutes = ["parking"]
        XCTAssertEqual(try store.events(matching: filter, limit: 100).map(\.event),
                       unique.filter { ["Device", "DeviceInactive"].contains($0.type) && $0.route != "parking" }.reversed())
        XCTAssertEqual(try store.events(matching: EventFilter(), after: 0, limit: 100).map(\.seq),
                       eventsBefore.map { Int64($0[0].dropFirst("integer ".count))! }, "stream ids (seq) are kept")
        let history = try store.history(entity: "urn:ngsi-ld:AirQualityObserved:1", from: nil, to: nil, limit: 100)
        XCTAssertEqual(history.map(\.observedAt), history.map(\.observedAt).sorted(by: >))
        XCTAssertEqual(try store.firstReceived(entity: "urn:ngsi-ld:AirQualityObserved:1"), written[0].receivedAt)
        XCTAssertEqual(try store.latest(entity: "urn:ngsi-ld:AirQualityObserved:1")?.observedAt,
                       SampleData.observed.adding(microseconds: 3_000_000), "the older observation did not move it")
        XCTAssertEqual(try store.deadLetters(limit: 10).map(\.deadLetter), [deadLetter])

        // A re-delivery after the upgrade is recognised: nothing stored, the registry unchanged.
        let devices = try store.devices()
        XCTAssertEqual(try store.write(events: written, deadLetters: [], documents: []), [])
        XCTAssertEqual(try store.eventCount(), 14)
        XCTAssertEqual(try store.devices(), devices)
    }

    /// The registry folded per batch in Swift equals what version 5's triggers kept, row by row,
    /// for the same batches: counts, first and last seen, route, RSSI and inactivity.
    func testTheRegistryFoldedPerBatchEqualsTheTriggers() throws {
        let old = try VersionFiveDatabase(path: path("old.sqlite"))
        for batch in history() { try old.write(events: batch) }
        let expected = try VersionFiveDatabase.rows(of: "SELECT * FROM devices ORDER BY device", on: old.connection)
        try old.close()

        let store = try openStore("new.sqlite")
        defer { try? store.close() }
        for batch in history() { try store.write(events: batch, deadLetters: []) }
        XCTAssertEqual(try store.withReadConnection { try VersionFiveDatabase.rows(of: "SELECT * FROM devices ORDER BY device", on: $0) },
                       expected)
        XCTAssertEqual(try store.device("urn:ngsi-ld:Device:1")?.messageCount, 4)
        XCTAssertNotNil(try store.device("urn:ngsi-ld:Device:1")?.inactiveSince)
        XCTAssertNil(try store.device("urn:ngsi-ld:Device:2")?.inactiveSince, "active again")
    }

    /// Idempotence on the new layout for the three id forms (a hash beside its observation time, 16
    /// bytes, a text): within a batch, across batches, after a reopen (the name dictionary is
    /// rebuilt from the file), and after a batch that rolled back (the names it added are
    /// forgotten, not reused); each is found by its id and read back as it was, before 1970 too.
    func testReDeliveriesAreIgnoredForBothIdFormsAndAfterARollback() throws {
        let store = try openStore("new.sqlite")
        let made = SampleData.parking(spot: 1)
        let legacy = Event(id: EventID(rawValue: "ABC-not-hex"), type: "Note", entity: "urn:ngsi-ld:Note:1",
                           observedAt: SampleData.observed, receivedAt: SampleData.observed, route: "notes", location: nil, attributes: [:])
        // 32 hex digits whose first half is not the observation time: kept as 16 bytes.
        let random = Event(id: EventID(rawValue: "0123456789abcdef0123456789abcdef"), type: "Note", entity: "urn:ngsi-ld:Note:2",
                           observedAt: SampleData.observed, receivedAt: SampleData.observed, route: "notes", location: nil, attributes: [:])
        let early = Event(type: "Note", entity: "urn:ngsi-ld:Note:3", observedAt: Timestamp(microsecondsSinceEpoch: -86_400_000_123),
                          receivedAt: SampleData.observed, route: "notes", attributes: [:])
        XCTAssertEqual(try store.write(events: [made, legacy, made, legacy, random, early, random], deadLetters: [], documents: []).count, 4)
        XCTAssertEqual(try store.write(events: [legacy, made, random, early], deadLetters: [], documents: []), [])
        try store.withReadConnection { connection in
            XCTAssertEqual(try connection.query("SELECT typeof(id) FROM events ORDER BY seq") { $0.text(0) }, ["integer", "text", "blob", "integer"])
        }
        XCTAssertEqual(Set(try store.events(limit: 10).map(\.id)), [made.id, legacy.id, random.id, early.id])
        try store.close()

        let reopened = try openStore("new.sqlite", options: SQLiteStore.Options(largestValueBytes: 2000))
        defer { try? reopened.close() }
        XCTAssertEqual(try reopened.write(events: [made, legacy, random, early], deadLetters: [], documents: []), [])
        XCTAssertEqual(try reopened.event(id: legacy.id), legacy)
        XCTAssertEqual(try reopened.event(id: made.id), made)
        XCTAssertEqual(try reopened.event(id: random.id), random)
        XCTAssertEqual(try reopened.event(id: early.id), early)
        let plans = try reopened.withReadConnection { connection in
            try [(StoreSQL.eventByKey, [SQLiteValue.integer(1), .integer(2)]), (StoreSQL.eventByLegacyID, [.text("x")])].map { sql, values in
                try connection.query("EXPLAIN QUERY PLAN " + sql, values) { $0.text(3) }.first ?? ""
            }
        }
        XCTAssertEqual(plans, ["SEARCH e USING INDEX events_by_id (observed_at=? AND id=?)", "SEARCH e USING INDEX events_by_legacy_id (id=?)"])
        let otherHash = made.id.rawValue.dropLast() + (made.id.rawValue.hasSuffix("0") ? "1" : "0")
        XCTAssertNil(try reopened.event(id: EventID(rawValue: String(otherHash))), "same time, another hash")

        // A batch that fails after adding new names (its event is too big for the store) rolls
        // back; the next one adds them again instead of pointing at rows that are gone.
        let fresh = SampleData.parking(spot: 2, route: "new-route")
        var tooBig = fresh
        tooBig.attributes = ["text": .text(String(repeating: "x", count: 3000))]
        XCTAssertThrowsError(try reopened.write(events: [tooBig], deadLetters: [])) { error in
            XCTAssertEqual((error as? StoreError)?.code, .tooBig)
        }
        XCTAssertEqual(try reopened.write(events: [fresh], deadLetters: [], documents: []).map(\.event), [fresh])
        XCTAssertEqual(try reopened.events(route: "new-route", limit: 10), [fresh])
        XCTAssertEqual(try reopened.eventCount(), 5)
    }
}
