import Foundation
import HubCore
@testable import HubStore
import HubTesting
import XCTest

/// The subscriptions made through the API (`POST /api/v1/subscriptions`): kept as written, one per
/// name, listed oldest first, forgotten once deleted.
///
/// The contract every backend answers: run here on SQLite, and on PostgreSQL by
/// `PostgresSavedSubscriptionTests`, which overrides `makeStore`.
class SavedSubscriptionTests: XCTestCase {
    /// A store on a new, empty database, closed when the test ends.
    func makeStore() throws -> any DeliveryOutbox {
        let path = try TemporaryDirectory.make(prefix: "hub-subscriptions").appendingPathComponent("hub.sqlite").path
        let store = try SQLiteStore(path: path, logger: CapturedLog().logger(label: "hub.store"))
        addTeardownBlock { try? store.close() }
        return store
    }

    func testSubscriptionsAreKeptAsWrittenOnePerNameOldestFirst() throws {
        let store = try makeStore()
        XCTAssertTrue(try store.savedSubscriptions().isEmpty)
        let definition = #"{"name": "b", "target": {"http": {"url": "${PARTNER_URL}", "secret": "${PARTNER_SECRET}"}}, "note": "é \\ '"}"#
        XCTAssertTrue(try store.saveSubscription(name: "b", definition: definition, at: SampleData.observed))
        XCTAssertTrue(try store.saveSubscription(name: "a", definition: "{}", at: SampleData.observed.adding(microseconds: 1)))
        XCTAssertTrue(try store.saveSubscription(name: "c", definition: "{}", at: SampleData.observed.adding(microseconds: 1)))
        XCTAssertFalse(try store.saveSubscription(name: "b", definition: "{}", at: SampleData.observed.adding(microseconds: 2)),
                       "one per name")
        let saved = try store.savedSubscriptions()
        XCTAssertEqual(saved.map(\.name), ["b", "a", "c"], "oldest first, by name within a microsecond")
        XCTAssertEqual(saved.first?.definition, definition, "byte for byte, the first one kept")

        XCTAssertTrue(try store.deleteSavedSubscription(name: "b"))
        XCTAssertFalse(try store.deleteSavedSubscription(name: "b"), "already gone")
        XCTAssertEqual(try store.savedSubscriptions().map(\.name), ["a", "c"])
        XCTAssertTrue(try store.saveSubscription(name: "b", definition: "{}", at: SampleData.observed.adding(microseconds: 3)))
        XCTAssertEqual(try store.savedSubscriptions().map(\.name), ["a", "c", "b"])
    }
}
