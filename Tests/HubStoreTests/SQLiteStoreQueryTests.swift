import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The operations API's reads: filters, hidden routes, cursors, page cap, replay marks, and the
/// NGSI-LD view's counts, offsets, type summaries and histories.
///
/// The contract every backend answers: run here on SQLite, and on PostgreSQL by
/// `PostgresStoreQueryTests`, which overrides `makeStore`.
class SQLiteStoreQueryTests: XCTestCase {
    private(set) var store: (any HubDatabase)!
    /// The 30 events of `setUp`, with their sequence numbers, in the order written.
    private var stored: [StoredEvent] = []
    let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    /// A store on a new, empty database.
    func makeStore() throws -> any HubDatabase {
        let directory = try TemporaryDirectory.make(prefix: "hub-store-queries")
        return try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logger)
    }

    override func setUpWithError() throws {
        store = try makeStore()
        var events: [Event] = []
        for index in 0..<30 {
            let time = SampleData.observed.adding(microseconds: Int64(index) * 1_000_000)
            events.append(index % 3 == 0 ? SampleData.parking(spot: index, observedAt: time, route: "secret")
                                         : SampleData.airQuality(station: index % 2, observedAt: time))
        }
        stored = try store.write(events: events, deadLetters: [
            SampleData.deadLetter(payload: Data("a".utf8)), SampleData.deadLetter(payload: Data("b".utf8), route: "secret"),
        ])
    }

    override func tearDownWithError() throws { try store.close() }

    func testFiltersCombineAndHiddenRoutesNeverShow() throws {
        var filter = EventFilter()
        XCTAssertEqual(try store.events(matching: filter, before: nil, limit: 100).count, 30)
        filter.hiddenRoutes = ["secret"]
        let visible = try store.events(matching: filter, before: nil, limit: 100)
        XCTAssertEqual(visible.count, 20)
        XCTAssertTrue(visible.allSatisfy { $0.event.route == "air-quality" })
        XCTAssertEqual(visible.map(\.seq), visible.map(\.seq).sorted(by: >), "newest first")
        filter.entity = "urn:ngsi-ld:AirQualityObserved:station-1"
        filter.from = SampleData.observed.adding(microseconds: 10_000_000)
        filter.to = SampleData.observed.adding(microseconds: 20_000_000)
        // Odd indexes 10..<20 not divisible by 3: 11, 13, 17, 19.
        XCTAssertEqual(try store.events(matching: filter, before: nil, limit: 100).map { $0.event.observedAt.microsecondsSinceEpoch },
                       [19, 17, 13, 11].map { SampleData.observed.microsecondsSinceEpoch + Int64($0) * 1_000_000 })
        var boxed = EventFilter()
        boxed.boundingBox = BoundingBox(minLongitude: 4.8, minLatitude: 45.7, maxLongitude: 4.9, maxLatitude: 45.8)
        XCTAssertEqual(try store.events(matching: boxed, before: nil, limit: 100).count, 20, "events without a location are outside every box")
        boxed.boundingBox = BoundingBox(minLongitude: 5, minLatitude: 45.7, maxLongitude: 6, maxLatitude: 45.8)
        XCTAssertEqual(try store.events(matching: boxed, before: nil, limit: 100).count, 0)
        XCTAssertNil(BoundingBox(minLongitude: 6, minLatitude: 0, maxLongitude: 5, maxLatitude: 1))
    }

    func testCursorsWalkEveryEventOnceAndPagesAreCapped() throws {
        var seen: [Int64] = []
        var cursor: Int64?
        repeat {
            let page = try store.events(matching: EventFilter(), before: cursor, limit: 7)
            seen += page.map(\.seq)
            cursor = page.count == 7 ? page.last?.seq : nil
        } while cursor != nil
        XCTAssertEqual(seen.count, 30)
        XCTAssertEqual(Set(seen).count, 30)
        XCTAssertEqual(try store.events(matching: EventFilter(), before: nil, limit: 1_000_000).count, 30)
        XCTAssertEqual(StoreLimits.maximumPageSize, 1000)
    }

    func testEntitiesAndDeadLettersReadWithTheSameRules() throws {
        var filter = EventFilter()
        filter.hiddenRoutes = ["secret"]
        XCTAssertEqual(try store.entities(matching: filter, after: nil, limit: 100).map(\.entity),
                       ["urn:ngsi-ld:AirQualityObserved:station-0", "urn:ngsi-ld:AirQualityObserved:station-1"])
        XCTAssertEqual(try store.entities(matching: filter, after: "urn:ngsi-ld:AirQualityObserved:station-0", limit: 100).count, 1)
        XCTAssertEqual(try store.deadLetters(routes: [], hiddenRoutes: ["secret"], before: nil, limit: 10).map(\.deadLetter.route), ["air-quality"])
        XCTAssertEqual(try store.deadLetters(routes: ["secret"], hiddenRoutes: [], before: nil, limit: 10).count, 1)
    }

    func testAReplayIsMarkedOnce() throws {
        let letter = try XCTUnwrap(store.deadLetters(limit: 1).first)
        XCTAssertNil(letter.replayedAt)
        let time = Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000)
        XCTAssertTrue(try store.markReplayed(deadLetter: letter.id, at: time))
        XCTAssertFalse(try store.markReplayed(deadLetter: letter.id, at: time))
        XCTAssertFalse(try store.markReplayed(deadLetter: 999, at: time))
        XCTAssertEqual(try store.deadLetter(id: letter.id)?.replayedAt, time)
        XCTAssertNoThrow(try store.checkWritable())
    }

    func testEntityCountsOffsetsSummariesFirstReceiptAndHistory() throws {
        var visible = EventFilter()
        visible.hiddenRoutes = ["secret"]
        XCTAssertEqual(try store.entityCount(matching: EventFilter()), 12, "two stations and ten parking spots")
        XCTAssertEqual(try store.entityCount(matching: visible), 2)
        var parking = EventFilter()
        parking.types = ["ParkingSpot"]
        XCTAssertEqual(try store.entityCount(matching: parking), 10)
        XCTAssertEqual(try store.entities(matching: visible, offset: 1, limit: 5).map(\.entity), ["urn:ngsi-ld:AirQualityObserved:station-1"])
        XCTAssertEqual(try store.entities(matching: parking, offset: 2, limit: 3).map(\.entity),
                       ["urn:ngsi-ld:ParkingSpot:15", "urn:ngsi-ld:ParkingSpot:18", "urn:ngsi-ld:ParkingSpot:21"], "by id, byte order")
        XCTAssertEqual(try store.entities(matching: parking, after: "urn:ngsi-ld:ParkingSpot:6", limit: 5).map(\.entity),
                       ["urn:ngsi-ld:ParkingSpot:9"])
        XCTAssertEqual(try store.latest(entity: "urn:ngsi-ld:AirQualityObserved:station-1"), stored[29].event, "the latest observation")

        let air = SampleData.airQuality()
        XCTAssertEqual(try store.entityTypeSummaries(hiddenRoutes: []), [
            EntityTypeSummary(type: "AirQualityObserved", entityCount: 2, locatedCount: 2,
                              attributeCounts: Dictionary(uniqueKeysWithValues: air.attributes.keys.map { ($0, 2) })),
            EntityTypeSummary(type: "ParkingSpot", entityCount: 10, locatedCount: 0, attributeCounts: [:]),
        ])
        XCTAssertEqual(try store.entityTypeSummaries(hiddenRoutes: ["secret"]).map(\.type), ["AirQualityObserved"])

        XCTAssertEqual(try store.firstReceived(entity: "urn:ngsi-ld:AirQualityObserved:station-1"), stored[1].event.receivedAt)
        XCTAssertNil(try store.firstReceived(entity: "urn:ngsi-ld:Nothing:here"))
        let station = "urn:ngsi-ld:AirQualityObserved:station-1"
        func seconds(_ events: [Event]) -> [Int64] {
            events.map { ($0.observedAt.microsecondsSinceEpoch - SampleData.observed.microsecondsSinceEpoch) / 1_000_000 }
        }
        XCTAssertEqual(seconds(try store.history(entity: station, from: nil, to: nil, limit: 3)), [29, 25, 23], "latest observed first")
        XCTAssertEqual(seconds(try store.history(entity: station, from: SampleData.observed.adding(microseconds: 10_000_000),
                                                 to: SampleData.observed.adding(microseconds: 20_000_000), limit: 10)), [19, 17, 13, 11])
        XCTAssertEqual(try store.history(entity: "urn:ngsi-ld:Nothing:here", from: nil, to: nil, limit: 10), [])
    }

    func testTheLiveStreamCatchUpAppliesEveryFilterOldestFirst() throws {
        var filter = EventFilter()
        filter.types = ["ParkingSpot"]
        XCTAssertEqual(try store.events(matching: filter, after: stored[20].seq, limit: 100), [stored[21], stored[24], stored[27]])
        XCTAssertEqual(try store.events(matching: filter, after: stored[20].seq, limit: 2), [stored[21], stored[24]])
        filter = EventFilter()
        filter.hiddenRoutes = ["secret"]
        filter.from = SampleData.observed.adding(microseconds: 25_000_000)
        XCTAssertEqual(try store.events(matching: filter, after: 0, limit: 100), [stored[25], stored[26], stored[28], stored[29]])
        filter = EventFilter()
        filter.boundingBox = BoundingBox(minLongitude: 4.8, minLatitude: 45.7, maxLongitude: 4.9, maxLatitude: 45.8)
        filter.to = SampleData.observed.adding(microseconds: 3_000_000)
        XCTAssertEqual(try store.events(matching: filter, after: 0, limit: 100), [stored[1], stored[2]])
        XCTAssertEqual(try store.eventRecords(matching: filter, before: nil, limit: 100), [stored[2], stored[1]].map(EventRecord.init),
                       "a listing's records are its events, newest first")
    }
}

/// SQLite's query plans for the listings.
final class SQLiteListingPlanTests: XCTestCase {
    private var store: SQLiteStore!

    override func setUpWithError() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-store-plans")
        store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink()))
        let events = (0..<30).map { index -> Event in
            let time = SampleData.observed.adding(microseconds: Int64(index) * 1_000_000)
            return index % 3 == 0 ? SampleData.parking(spot: index, observedAt: time, route: "secret")
                                  : SampleData.airQuality(station: index % 2, observedAt: time)
        }
        try store.write(events: events, deadLetters: [])
    }

    override func tearDownWithError() throws { try store.close() }

    /// Listings newest first read the index of their most selective filter in `seq` order, never a
    /// type's or route's index when an entity is given, and never sort; the indexes hold one key
    /// column each (`seq` is every entry's rowid already).
    func testListingsReadTheirIndexInSeqOrderWithoutSorting() throws {
        func plan(_ configure: (inout EventFilter) -> Void, before: Int64? = nil) throws -> String {
            var filter = EventFilter()
            configure(&filter)
            let query = SQLiteStore.eventRecordsQuery(matching: filter, before: before, limit: 100)
            return try store.withReadConnection { connection in
                try connection.query("EXPLAIN QUERY PLAN " + query.sql, query.values) { $0.text(3) }
            }.joined(separator: " | ")
        }
        let entity = "urn:ngsi-ld:AirQualityObserved:station-1"
        let cases: [(filter: (inout EventFilter) -> Void, index: String)] = [
            ({ $0.entity = entity }, "events_by_entity_seq"),
            ({ $0.entity = entity; $0.types = ["AirQualityObserved"] }, "events_by_entity_seq"),
            ({ $0.entity = entity; $0.routes = ["air-quality"]; $0.types = ["AirQualityObserved", "ParkingSpot"] }, "events_by_entity_seq"),
            ({ $0.entity = entity; $0.hiddenRoutes = ["secret"] }, "events_by_entity_seq"),
            ({ $0.types = ["ParkingSpot"] }, "events_by_type_seq"),
            ({ $0.routes = ["secret"] }, "events_by_route_seq"),
        ]
        for (configure, index) in cases {
            for before in [nil, Int64(20)] {
                let text = try plan(configure, before: before)
                XCTAssertTrue(text.contains("USING INDEX \(index) ("), text)
                XCTAssertFalse(text.contains("TEMP B-TREE"), text)
            }
        }
        let columns = try store.withReadConnection { connection in
            try ["events_by_entity_seq", "events_by_type_seq", "events_by_route_seq"].map { index in
                try connection.query("SELECT name FROM pragma_index_info(?1)", [.text(index)]) { $0.text(0) }
            }
        }
        XCTAssertEqual(columns, [["entity_id"], ["type_id"], ["route_id"]])
    }
}
