import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// The listing's records (`eventRecords`): the same events, in the same order, with the same
/// attribute text as `events(matching:)` gives, whether the text is given as stored or has to be
/// read into values; names and templates found by the read connection however they were added.
class EventRecordTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-records")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The store the backend-neutral tests use (`testRecordsAreTheEventsWithTheirAttributeText`,
    /// `testEveryStoredIdFormIsSpelledAsItWasGiven`), closed when the test ends: SQLite here,
    /// PostgreSQL in `PostgresEventRecordTests`. The other tests are about SQLite's rows.
    func makeStore() throws -> any HubDatabase {
        let store = try makeSQLiteStore()
        addTeardownBlock { try? store.close() }
        return store
    }

    /// One read connection, so that every read meets what the earlier ones remembered.
    private func makeSQLiteStore() throws -> SQLiteStore {
        var options = SQLiteStore.Options()
        options.readConnections = 1
        return try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, options: options,
                               logger: logs.logger(label: "hub.store"))
    }

    private func assertRecordsMatchEvents(_ store: any HubDatabase, _ filter: EventFilter, before: Int64? = nil,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let events = try store.events(matching: filter, before: before, limit: 1000)
        let records = try store.eventRecords(matching: filter, before: before, limit: 1000)
        XCTAssertFalse(records.isEmpty, "the filter matches something", file: file, line: line)
        XCTAssertEqual(records, events.map(EventRecord.init), file: file, line: line)
    }

    func testRecordsAreTheEventsWithTheirAttributeText() throws {
        let store = try makeStore()
        var events: [Event] = []
        for index in 0..<6 {
            let time = SampleData.observed.adding(microseconds: Int64(index) * 1_000_000)
            events.append(SampleData.airQuality(station: index % 2, observedAt: time, no2: [21.5, 0.30000000000000004, -0.0, 1e21, 7, 1e-300][index]))
            events.append(SampleData.parking(spot: index % 2, observedAt: time))
            // A NaN is stored as null and reads back as JSON; text with characters that need escapes.
            events.append(Event(type: "Odd", entity: "urn:e:odd\u{2028}", observedAt: time, receivedAt: time, route: "odd\"route",
                                attributes: ["n": .number(.nan, unit: "CEL"), "t": .text("a\u{2029}b\u{1}\(index)"),
                                             "j": .json(.object(["z": .number(Double(index) / 3), "a": .array([.number(-0.0), .null])]))]))
        }
        try store.write(events: Array(events[..<9]), deadLetters: [])
        try store.write(events: Array(events[9...]), deadLetters: [])
        if let sqlite = store as? SQLiteStore {
            XCTAssertGreaterThan(try sqlite.withReadConnection { try $0.query("SELECT count(*) FROM events WHERE shape_id IS NOT NULL") { $0.int64(0) } }[0], 0,
                                 "some events are stored as a template and numbers")
        }

        try assertRecordsMatchEvents(store, EventFilter())
        var filter = EventFilter()
        filter.entity = "urn:ngsi-ld:AirQualityObserved:station-1"
        try assertRecordsMatchEvents(store, filter)
        filter = EventFilter()
        filter.types = ["Odd", "ParkingSpot"]
        filter.hiddenRoutes = ["parking"]
        try assertRecordsMatchEvents(store, filter)
        let all = try store.events(matching: EventFilter(), before: nil, limit: 1000)
        try assertRecordsMatchEvents(store, EventFilter(), before: all[4].seq)
        XCTAssertEqual(try store.eventRecords(matching: EventFilter(), before: nil, limit: 2).map(\.seq), Array(all.prefix(2).map(\.seq)))
    }

    /// Ids are spelled from their stored form (`EventKey.id(in:column:observedAt:)`) by the listing
    /// and by whole-event reads alike: each form reads back as it was given, a hash with its high
    /// bit set and a time before 1970 included (`LeanLayoutMigrationTests` checks the same against
    /// a spelling in SQL).
    func testEveryStoredIdFormIsSpelledAsItWasGiven() throws {
        let store = try makeStore()
        func note(_ id: String?, _ index: Int, at time: Timestamp = SampleData.observed) -> Event {
            Event(id: id.map(EventID.init(rawValue:)) ?? EventID.make(type: "Note", entity: "urn:e:\(index)", observedAt: time),
                  type: "Note", entity: "urn:e:\(index)", observedAt: time, receivedAt: SampleData.observed, route: "notes",
                  location: nil, attributes: ["n": .number(Double(index), unit: nil)])
        }
        let early = Timestamp(microsecondsSinceEpoch: -86_400_000_123)
        let timeHalf = String(EventID.make(type: "Note", entity: "urn:e:5", observedAt: SampleData.observed).rawValue.prefix(16))
        let events = [
            note(nil, 1), note(nil, 2, at: early),
            note(timeHalf + "fedcba9876543210", 5),  // the hash half read back as a negative INTEGER
            note("0123456789abcdef0123456789abcdef", 3),  // 32 digits, not this time: 16 bytes
            note("ABC-not-hex", 4),  // text
        ]
        try store.write(events: events, deadLetters: [])
        if let sqlite = store as? SQLiteStore {
            XCTAssertEqual(try sqlite.withReadConnection { try $0.query("SELECT typeof(id) FROM events ORDER BY seq") { $0.text(0) } },
                           ["integer", "integer", "integer", "blob", "text"])
        }
        let records = try store.eventRecords(matching: EventFilter(), before: nil, limit: 10)
        XCTAssertEqual(records.map(\.id), events.reversed().map(\.id))
        XCTAssertEqual(records, try store.events(matching: EventFilter(), before: nil, limit: 10).map(EventRecord.init))
        for event in events {
            XCTAssertEqual(try store.event(id: event.id)?.id, event.id, "found by its id as given")
        }
    }
}

/// How SQLite's rows of a listing become records: templates and numbers, text the hub did not
/// write, names and templates added after a read, the canonical-number shortcut.
final class SQLiteEventRecordTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-records")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// One read connection, so that every read meets what the earlier ones remembered.
    private func makeSQLiteStore() throws -> SQLiteStore {
        var options = SQLiteStore.Options()
        options.readConnections = 1
        return try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, options: options,
                               logger: logs.logger(label: "hub.store"))
    }

    /// A backend that reads records whole hands each over as a row (`EventRecordRow.init(_:)`):
    /// what a page writes from it is what it writes from SQLite's row of the same event.
    func testARowMadeFromARecordWritesWhatTheStoredRowWrites() throws {
        let store = try makeSQLiteStore()
        defer { try? store.close() }
        let time = SampleData.observed
        try store.write(events: [SampleData.airQuality(station: 1, observedAt: time, no2: 0.30000000000000004),
                                 Event(type: "Odd", entity: "urn:e:odd", observedAt: time, receivedAt: time, route: "odd",
                                       attributes: ["t": .text("a\u{2029}b"), "j": .json(.array([.number(-0.0), .null]))])],
                        deadLetters: [])
        func page(_ rows: [EventRecordRow]) throws -> String {
            var out = JSONOutput(reservingCapacity: 256)
            for row in rows {
                row.writeID(to: &out)
                try row.writeAttributes(to: &out)
                out.append(verbatim: "|\(row.seq)|\(row.entity)|\(row.route)\n")
            }
            return String(decoding: out.data(), as: UTF8.self)
        }
        var fromSQLite = ""
        var rows: [EventRecordRow] = []
        try store.forEachEventRecord(matching: EventFilter(), before: nil, limit: 10) { row in
            fromSQLite += try page([row])
            rows.append(EventRecordRow(try row.record()))
        }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(try page(rows), fromSQLite)
        XCTAssertEqual(try rows.map { try $0.record() }, try store.eventRecords(matching: EventFilter(), before: nil, limit: 10))
    }

    func testTextTheHubDidNotWriteIsGivenAsItsValuesRenderIt() throws {
        let store = try makeSQLiteStore()
        defer { try? store.close() }
        let readings = (0..<3).map {
            Event(type: "Reading", entity: "urn:e:r", observedAt: SampleData.observed.adding(microseconds: Int64($0)),
                  receivedAt: SampleData.observed, route: "r", attributes: ["a": .number(1.5, unit: "GQ"), "b": .number(2, unit: nil)])
        }
        try store.write(events: readings, deadLetters: [])
        try store.withWriteConnection { connection in
            // Numbers written another way than the hub writes them, in rows stored as template and numbers.
            try connection.run("UPDATE events SET attributes = '1.50' || char(1) || '2e0' WHERE seq = 2")
            try connection.run("UPDATE events SET attributes = '-0' || char(1) || '123456789012345678901' WHERE seq = 3")
            // A template with a space and its members out of order, and a whole text with a unit on a text.
            try connection.run("INSERT INTO attribute_shapes (id, template) VALUES (99, '{\"b\": {\"value\":' || char(1) || '},\"a\":{\"value\":' || char(1) || '}}')")
            try connection.run("UPDATE events SET shape_id = 99, attributes = '3' || char(1) || '4' WHERE seq = 1")
        }
        let records = try store.eventRecords(matching: EventFilter(), limit: 10)
        let events = try store.events(matching: EventFilter(), limit: 10)
        XCTAssertEqual(records, events.map(EventRecord.init))
        XCTAssertEqual(records.map(\.attributesJSON), [
            #"{"a":{"unitCode":"GQ","value":0},"b":{"value":1.2345678901234568e+20}}"#,
            #"{"a":{"unitCode":"GQ","value":1.5},"b":{"value":2}}"#,
            #"{"a":{"value":4},"b":{"value":3}}"#,
        ])

        // Values that do not fit their template fail the read the way reading the event fails.
        try store.withWriteConnection { try $0.run("UPDATE events SET attributes = '1' WHERE seq = 2") }
        XCTAssertThrowsError(try store.eventRecords(matching: EventFilter(), limit: 10)) { error in
            XCTAssertEqual((error as? StoreError)?.code, .invalidRow)
        }
        XCTAssertThrowsError(try store.events(matching: EventFilter(), limit: 10))
    }

    func testNamesAndTemplatesAddedAfterAReadAreFound() throws {
        let store = try makeSQLiteStore()
        defer { try? store.close() }
        try store.write(events: [SampleData.airQuality(station: 1)], deadLetters: [])
        XCTAssertEqual(try store.eventRecords(matching: EventFilter(), limit: 10).map(\.entity), ["urn:ngsi-ld:AirQualityObserved:station-1"])
        let later = (0..<2).map {
            Event(type: "Later", entity: "urn:e:later", observedAt: SampleData.observed.adding(microseconds: Int64($0)),
                  receivedAt: SampleData.observed, route: "later", attributes: ["x": .number(Double($0) + 0.5, unit: nil)])
        }
        try store.write(events: later, deadLetters: [])
        let records = try store.eventRecords(matching: EventFilter(), limit: 10)
        XCTAssertEqual(records.map(\.entity), ["urn:e:later", "urn:e:later", "urn:ngsi-ld:AirQualityObserved:station-1"])
        XCTAssertEqual(records.map(\.route), ["later", "later", "air-quality"])
        XCTAssertEqual(records.first?.attributesJSON, #"{"x":{"value":1.5}}"#)
        XCTAssertEqual(records, try store.events(matching: EventFilter(), limit: 10).map(EventRecord.init))
    }

    func testOnlyTemplatesThatReadBackToThemselvesAreGivenAsStored() {
        let hole = String(UnicodeScalar(AttributeShape.hole))
        XCTAssertTrue(StoredAttributes.isCanonical(template: "{\"a\":{\"unitCode\":\"GQ\",\"value\":\(hole)},\"b\":{\"json\":[\(hole),null]}}"))
        XCTAssertTrue(StoredAttributes.isCanonical(template: "{}"))
        XCTAssertFalse(StoredAttributes.isCanonical(template: "{\"a\":{\"value\":null}}"), "a NaN reads back as JSON")
        XCTAssertFalse(StoredAttributes.isCanonical(template: "{\"b\":{\"value\":\(hole)},\"a\":{\"value\":\(hole)}}"), "members out of order")
        XCTAssertFalse(StoredAttributes.isCanonical(template: "{\"a\": {\"value\":\(hole)}}"), "a space")
        XCTAssertFalse(StoredAttributes.isCanonical(template: "{\"a\":{\"unitCode\":\"GQ\",\"value\":\"x\"}}"), "a text keeps no unit")
        XCTAssertFalse(StoredAttributes.isCanonical(template: "{\"a\":{\"value\":\"\u{2028}\"}}"), "a separator the writer escapes")
        XCTAssertFalse(StoredAttributes.isCanonical(template: "[\(hole)]"), "not an object")

        let template = "{\"a\":{\"value\":\(hole)},\"b\":{\"value\":\(hole)}}"
        XCTAssertEqual(StoredAttributes.canonicalText(template: template, values: "1.5\(hole)-2"), #"{"a":{"value":1.5},"b":{"value":-2}}"#)
        XCTAssertEqual(StoredAttributes.canonicalText(template: "{}", values: ""), "{}")
        for values in ["1.50\(hole)2", "1\(hole)2.0", "1e2\(hole)2", "-0\(hole)2", "1\(hole)", "1", "01\(hole)2", "1\(hole)2\(hole)3"] {
            XCTAssertNil(StoredAttributes.canonicalText(template: template, values: values), values.debugDescription)
        }
    }

    /// The shortcut that passes a number by its characters (`isPlainCanonical`) never passes one the
    /// exact check (parse, write back, compare) refuses: every number of a few thousand generated
    /// forms near the edges (digit counts around 15, 0.0001, leading and trailing zeros, signs).
    func testPlainNumbersAreCanonicalByTheExactCheckToo() {
        var generator = SystemRandomNumberGenerator()
        func digits(_ count: Int, first: ClosedRange<Int> = 0...9) -> String {
            (0..<count).map { String($0 == 0 ? Int.random(in: first, using: &generator) : Int.random(in: 0...9, using: &generator)) }.joined()
        }
        var tokens = ["0", "-0", "1", "-1", "0.0001", "0.00001", "0.00012", "-0.0001", "999999999999999", "1000000000000000",
                      "99999999999999.9", "0.1", "0.30000000000000004", "1.0", "01", "1.", ".5", "-.5", "1e5", "", "-", "12.50"]
        for _ in 0..<5000 {
            let integer = Bool.random(using: &generator) ? "0" : digits(Int.random(in: 1...17, using: &generator), first: 0...9)
            let fraction = Bool.random(using: &generator) ? "" : "." + String(repeating: "0", count: Int.random(in: 0...5, using: &generator))
                + digits(Int.random(in: 0...16, using: &generator))
            tokens.append((Bool.random(using: &generator) ? "-" : "") + integer + fraction)
        }
        var plain = 0
        for token in tokens {
            var text = token
            text.withUTF8 { bytes in
                guard StoredAttributes.isPlainCanonical(number: bytes) else { return }
                plain += 1
                XCTAssertTrue(StoredAttributes.isCanonical(number: bytes), "\(token) passed by its characters but is not canonical")
            }
        }
        XCTAssertGreaterThan(plain, 1000, "the shortcut takes the usual forms")
        for token in ["0", "12.25", "-0.5", "0.0001", "249", "999999999999999", "12345678901234.5"] {
            var text = token
            XCTAssertTrue(text.withUTF8(StoredAttributes.isPlainCanonical(number:)), token)
        }
        for token in ["-0", "0.00001", "1.50", "01", "1e2", "1234567890123456", "0.1234567890123456", "1.", ""] {
            var text = token
            XCTAssertFalse(text.withUTF8(StoredAttributes.isPlainCanonical(number:)), token)
        }
    }
}
