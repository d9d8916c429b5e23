import Foundation
import HubCore
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Attribute templates: the split gives back the text byte for byte, and the store keeps an
/// entity's repeated shape once while reading every event back as it was written.
final class AttributeShapeTests: XCTestCase {
    private var directory: URL!
    private let logs = CapturedLog()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-shapes")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testSplitThenJoinGivesBackEveryText() throws {
        let texts = [
            SampleData.airQuality(no2: 0.30000000000000004).attributesJSON,
            SampleData.parking(spot: 1).attributesJSON,
            #"{"a":{"value":-1.5e-7},"b":[1,2,{"c":"x9 \"7\" \\"}],"d":true,"e":null,"f":"12"}"#,
            #"{"unicode":{"value":"é😀 42"},"n":{"unitCode":"GQ","value":0}}"#,
            "{}",
            #"["unterminated \"#, #"{"a":"x\"#, "-", "12", #""\\" 3"#,
        ]
        for text in texts {
            let (template, values) = try XCTUnwrap(AttributeShape.split(text), text)
            XCTAssertEqual(AttributeShape.join(template: template, values: values), text)
        }
    }

    func testNumbersLeaveTheTemplateAndTextsStay() throws {
        let text = #"{"no2":{"unitCode":"GQ","value":40.2},"name":{"value":"aq-007"},"n":[-3,1e5]}"#
        let (template, values) = try XCTUnwrap(AttributeShape.split(text))
        XCTAssertEqual(template, "{\"no2\":{\"unitCode\":\"GQ\",\"value\":\u{1}},\"name\":{\"value\":\"aq-007\"},\"n\":[\u{1},\u{1}]}")
        XCTAssertEqual(values, "40.2\u{1}-3\u{1}1e5")
        XCTAssertEqual(AttributeShape.split(#"{"a":{"value":1}}"#)?.template, AttributeShape.split(#"{"a":{"value":2.5}}"#)?.template,
                       "readings of one shape share their template")
    }

    func testTextsThatCannotBeSplitOrJoinedAreRefused() {
        XCTAssertNil(AttributeShape.split("{\"a\":\"\u{1}\"}"), "the marker byte inside a text")
        XCTAssertNil(AttributeShape.split("{\"a\":\"\\\u{1}\"}"), "the marker byte after a backslash")
        XCTAssertNil(AttributeShape.split("{\"a\":\u{1}}"), "the marker byte outside a text")
        XCTAssertNil(AttributeShape.split("[\"unterminated \\\u{1}"), "the marker byte in a text that never ends")
        XCTAssertNil(AttributeShape.join(template: "{\"a\":\u{1},\"b\":\u{1}}", values: "1"), "fewer values than holes")
        XCTAssertNil(AttributeShape.join(template: "{\"a\":\u{1}}", values: "1\u{1}2"), "more values than holes")
        XCTAssertNil(AttributeShape.join(template: "{}", values: "1"), "values for a template without holes")
    }

    func testRepeatedShapesAreStoredOnceAndReadBackExactly() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        let readings = (0..<4).map {
            SampleData.airQuality(station: 1, observedAt: SampleData.observed.adding(microseconds: Int64($0)), no2: 20 + Double($0) / 10)
        }
        // A text that changes with every event never repeats its template.
        let notes = (0..<3).map {
            Event(type: "Note", entity: "urn:ngsi-ld:Note:1", observedAt: SampleData.observed.adding(microseconds: Int64($0)),
                  receivedAt: SampleData.observed, route: "notes", attributes: ["text": .text("note number \(["one", "two", "three"][$0])")])
        }
        try store.write(events: [readings[0], notes[0]], deadLetters: [])
        try store.write(events: Array(readings[1...]) + notes[1...], deadLetters: [])

        let rows = try store.withReadConnection { connection in
            try connection.query("SELECT e.shape_id, e.attributes FROM events AS e ORDER BY seq") { ($0.isNull(0) ? nil : $0.int64(0), $0.text(1)) }
        }
        XCTAssertEqual(rows.map { $0.0 == nil }, [true, true, false, false, false, true, true],
                       "a shape is given an id at its second sighting; a text that changes never gets one")
        XCTAssertEqual(rows[2].1, try XCTUnwrap(AttributeShape.split(readings[1].attributesJSON)).values, "only the numbers are stored")
        XCTAssertEqual(try store.withReadConnection { try $0.query("SELECT count(*) FROM attribute_shapes") { $0.int64(0) } }, [1])
        for event in readings + notes {
            XCTAssertEqual(try store.event(id: event.id)?.attributesJSON, event.attributesJSON)
            XCTAssertEqual(try store.event(id: event.id), event)
        }
        XCTAssertEqual(try store.events(entity: readings[0].entity, limit: 10), readings.reversed())
    }

    func testAnEntityWhoseShapeChangesIsReadBackUnderEachOfItsTemplates() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        // Station 3 alternates between two shapes; station 4 shares the first; each shape is met twice
        // before it has an id, and station 3's last template is not the one it needs next.
        let events = (0..<8).map { index -> Event in
            let observed = SampleData.observed.adding(microseconds: Int64(index))
            var event = SampleData.airQuality(station: index < 6 ? 3 : 4, observedAt: observed, no2: Double(index))
            if index % 2 == 1, index < 6 { event = Event(type: event.type, entity: event.entity, observedAt: observed, receivedAt: observed,
                                                          route: event.route, attributes: ["pm10": .number(Double(index), unit: "GQ")]) }
            return event
        }
        for event in events { try store.write(events: [event], deadLetters: []) }
        XCTAssertEqual(try store.withReadConnection { try $0.query("SELECT count(*) FROM events WHERE shape_id IS NOT NULL") { $0.int64(0) } },
                       [6], "from each template's second sighting on, the events hold their numbers only")
        for event in events { XCTAssertEqual(try store.event(id: event.id), event) }
    }

    func testAShapeAddedInAFailedCommitIsNotUsedAfterIt() throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logs.logger(label: "hub.store"))
        defer { try? store.close() }
        let readings = (0..<4).map { SampleData.airQuality(station: 2, observedAt: SampleData.observed.adding(microseconds: Int64($0))) }
        try store.write(events: [readings[0]], deadLetters: [])
        // The second sighting adds the template, then the batch fails on a row too large for SQLite.
        try store.withWriteConnection { $0.setLengthLimit(10_000) }
        let tooLarge = Event(type: "Note", entity: "urn:ngsi-ld:Note:big", observedAt: SampleData.observed, receivedAt: SampleData.observed,
                             route: "notes", attributes: ["text": .text(String(repeating: "x", count: 20_000))])
        XCTAssertThrowsError(try store.write(events: [readings[1], tooLarge], deadLetters: []))
        XCTAssertEqual(try store.withReadConnection { try $0.query("SELECT count(*) FROM attribute_shapes") { $0.int64(0) } }, [0])
        try store.write(events: Array(readings[1...]), deadLetters: [])
        for event in readings { XCTAssertEqual(try store.event(id: event.id), event) }
        XCTAssertEqual(try store.withReadConnection { try $0.query("SELECT count(*) FROM attribute_shapes") { $0.int64(0) } }, [1])
    }
}
