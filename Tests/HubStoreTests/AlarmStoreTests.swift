import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The `alarms` table (schema 15): saved and read back, one open alarm per rule and entity,
/// filtered listings, the history's expiry, and the migration of a database of version 14.
///
/// The contract every backend answers: run here on SQLite, and on PostgreSQL by
/// `PostgresAlarmStoreTests`, which overrides `makeStore`.
class AlarmStoreTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-alarms")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var path: String { directory.appendingPathComponent("hub.sqlite").path }

    /// A store on a new, empty database, closed when the test ends.
    func makeStore() throws -> any AlarmKeeping {
        let store = try SQLiteStore(path: path, logger: logs.logger(label: "hub.store"))
        addTeardownBlock { try? store.close() }
        return store
    }

    private func alarm(_ rule: String, _ entity: String, severity: String = "major", route: String = "air",
                       at time: Timestamp = SampleData.observed) -> AlarmRecord {
        AlarmRecord(rule: rule, severity: severity, entity: entity, entityType: "AirQualityObserved", route: route,
                    message: "no2 250: no2 > 200", value: 250, raisedAt: time, observedAt: time)
    }

    func testAlarmsAreSavedUpdatedAndListed() throws {
        let store = try makeStore()
        var saved = try store.saveAlarms([alarm("no2", "aq-1"), alarm("no2", "aq-2", severity: "minor", route: "parking"),
                                          alarm("pm10", "aq-1")])
        XCTAssertEqual(saved.map(\.id), [1, 2, 3])
        XCTAssertEqual(try store.openAlarms(), saved)

        saved[0].count = 3
        saved[0].value = 270
        saved[0].acknowledgedBy = "duty"
        saved[0].acknowledgedAt = SampleData.observed.adding(microseconds: 5)
        saved[1].clearedAt = SampleData.observed.adding(microseconds: 9)
        saved[1].clearedReason = "no2 150"
        try store.saveAlarms([saved[0], saved[1]])
        XCTAssertEqual(try store.alarm(id: 1), saved[0])
        XCTAssertEqual(try store.alarm(id: 1)?.status, .acknowledged)
        XCTAssertEqual(try store.alarm(id: 2)?.status, .cleared)
        XCTAssertEqual(try store.openAlarms().map(\.id), [1, 3])

        var query = AlarmQuery()
        XCTAssertEqual(try store.alarms(matching: query, limit: 10).map(\.id), [3, 2, 1], "newest first")
        query.open = false
        XCTAssertEqual(try store.alarms(matching: query, limit: 10).map(\.id), [2], "the history")
        query.open = true
        query.severities = ["major"]
        query.entity = "aq-1"
        XCTAssertEqual(try store.alarms(matching: query, limit: 10).map(\.id), [3, 1])
        query.rule = "no2"
        XCTAssertEqual(try store.alarms(matching: query, limit: 10).map(\.id), [1])
        var hidden = AlarmQuery()
        hidden.hiddenRoutes = ["parking"]
        hidden.before = 3
        XCTAssertEqual(try store.alarms(matching: hidden, limit: 10).map(\.id), [1])

        // One open alarm per rule and entity, whatever else the call saves; a new one once the first is cleared.
        XCTAssertThrowsError(try store.saveAlarms([alarm("pm10", "aq-9"), alarm("no2", "aq-1")])) { error in
            XCTAssertEqual((error as? StoreError)?.code, .constraint, "\(error)")
        }
        XCTAssertEqual(try store.alarms(matching: AlarmQuery(), limit: 10).map(\.id), [3, 2, 1], "nothing of the refused call saved")
        // A new id, larger than every other (PostgreSQL's may skip the one the refused call took).
        let reopened = try XCTUnwrap(store.saveAlarms([alarm("no2", "aq-2")]).first?.id)
        XCTAssertGreaterThan(reopened, 3)
        XCTAssertEqual(try store.openAlarms().map(\.id), [1, 3, reopened])
    }

    func testTheHistoryExpiresByClearingTime() throws {
        let store = try makeStore()
        let now = SampleData.observed
        var alarms = (0..<5).map { alarm("no2", "aq-\($0)") }
        for index in 0..<4 {
            alarms[index].clearedAt = now.adding(microseconds: Int64(index - 2) * 86_400_000_000)
            alarms[index].clearedReason = "back under the limit"
        }
        try store.saveAlarms(alarms)
        XCTAssertEqual(try store.deleteClearedAlarms(before: now, limit: 1), 1)
        XCTAssertEqual(try store.deleteClearedAlarms(before: now, limit: 500), 1)
        XCTAssertEqual(try store.deleteClearedAlarms(before: now, limit: 500), 0)
        XCTAssertEqual(try store.alarms(matching: AlarmQuery(), limit: 10).map(\.entity), ["aq-4", "aq-3", "aq-2"],
                       "cleared today or later, and the open one, are kept")
    }
}

/// SQLite's migration to the alarms table (schema 15).
final class SQLiteAlarmMigrationTests: XCTestCase {
    private let logs = CapturedLog()

    private func alarm(_ rule: String, _ entity: String) -> AlarmRecord {
        AlarmRecord(rule: rule, severity: "major", entity: entity, entityType: "AirQualityObserved", route: "air",
                    message: "no2 250: no2 > 200", value: 250, raisedAt: SampleData.observed, observedAt: SampleData.observed)
    }

    /// A database of schema 14 gets the alarms table; its events are untouched.
    func testADatabaseOfVersionFourteenMigrates() throws {
        let path = try TemporaryDirectory.make(prefix: "hub-alarms").appendingPathComponent("hub.sqlite").path
        var store = try SQLiteStore(path: path, logger: logs.logger(label: "hub.store"))
        let events = (0..<20).map { SampleData.airQuality(station: $0) }
        try store.write(events: events, deadLetters: [])
        try store.close()
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: .seconds(1))
        try connection.execute(script: "DROP TABLE alarms; PRAGMA user_version = 14;")
        try connection.close()
        store = try SQLiteStore(path: path, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        XCTAssertEqual(try store.eventCount(), 20)
        XCTAssertEqual(try store.openAlarms(), [])
        XCTAssertEqual(try store.saveAlarms([alarm("no2", "aq-1")]).first?.id, 1)
        try store.withReadConnection { connection in
            XCTAssertEqual(try connection.query("PRAGMA user_version") { $0.int64(0) }.first, Int64(SchemaMigration.latestVersion))
        }
    }
}
