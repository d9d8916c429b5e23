import Foundation
import HubCore
@testable import HubHTTP
import HubStore
import HubTesting
import XCTest

/// The API's event JSON is written directly (no `JSONValue` tree per event): it must be exactly the
/// text of the tree it replaced, member by member, for every kind of value and for text that needs escaping.
final class EventEncodingTests: XCTestCase {
    /// The event as a `JSONValue`, built the way the API built it before it wrote the text itself.
    private func tree(_ event: Event) -> JSONValue {
        .object([
            "id": .string(event.id.rawValue), "type": .string(event.type), "entity": .string(event.entity),
            "observedAt": .string(event.observedAt.iso8601), "receivedAt": .string(event.receivedAt.iso8601),
            "route": .string(event.route), "attributes": .object(event.attributes.mapValues(\.storedForm)),
            "location": event.location?.geoJSON ?? .null,
        ])
    }

    private let events: [Event] = [
        Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:station-12",
              observedAt: Timestamp(microsecondsSinceEpoch: 1_764_000_000_123_456), receivedAt: Timestamp(microsecondsSinceEpoch: 1_764_000_001_000_000),
              route: "air-quality", location: GeoPoint(latitude: 45.7578137, longitude: -4.8320114),
              attributes: ["no2": .number(41.5, unit: "GQ"), "pm10": .number(12, unit: nil), "open": .boolean(false),
                           "status": .text("ok"), "zeta": .number(.nan, unit: "CEL")]),
        Event(type: "Quote\"Type", entity: "urn:e:with\\backslash\nnewline\u{2028}sep",
              observedAt: Timestamp(microsecondsSinceEpoch: -86_400_000_001), receivedAt: Timestamp(microsecondsSinceEpoch: 0),
              route: "r\t1", location: nil,
              attributes: ["ünïcode \"name\"": .text("line\u{01}control é"),
                           "nested": .json(.object(["b": .array([.number(1e300), .null, .bool(true)]), "a": .string("x")]))]),
        Event(type: "Empty", entity: "urn:e:empty", observedAt: Timestamp(microsecondsSinceEpoch: 1), receivedAt: Timestamp(microsecondsSinceEpoch: 2),
              route: "r", location: GeoPoint(latitude: 0, longitude: 180), attributes: [:]),
    ]

    func testAnEventIsWrittenAsTheTextOfItsTree() throws {
        for event in events {
            XCTAssertEqual(EventEncoding.jsonText(event), tree(event).jsonText, "\(event.entity)")
            // And it reads back as that tree.
            XCTAssertEqual(try JSONValue(parsing: EventEncoding.jsonText(event)), try JSONValue(parsing: tree(event).jsonText))
        }
    }

    func testARecordIsWrittenAsItsEvent() {
        let records = events.enumerated().map { EventRecord(StoredEvent(seq: Int64($0.offset), event: $0.element)) }
        for (record, event) in zip(records, events) {
            XCTAssertEqual(EventEncoding.jsonText(record), EventEncoding.jsonText(event))
            XCTAssertEqual(EventEncoding.csvRecord(record), EventEncoding.csvRecord(event))
        }
        XCTAssertEqual(EventEncoding.listing(records, ["nextCursor": .string("7")]), EventEncoding.listing(events, ["nextCursor": .string("7")]))
    }

    func testAListingPlacesItsItemsAmongTheOtherMembersInKeyOrder() throws {
        let members: [String: JSONValue] = ["nextCursor": .string("42"), "count": .number(3), "number": .null]
        var expected = members
        expected["items"] = .array(events.map(tree))
        func text(_ bytes: Data) -> String { String(decoding: bytes, as: UTF8.self) }
        XCTAssertEqual(text(EventEncoding.listing(events, members)), JSONValue.object(expected).jsonText)
        XCTAssertEqual(text(EventEncoding.listing([Event](), ["nextCursor": .null])), #"{"items":[],"nextCursor":null}"#)
        XCTAssertEqual(text(EventEncoding.listing(events.prefix(1), [:])), JSONValue.object(["items": .array([tree(events[0])])]).jsonText)
    }

    /// The events listing written from the store's rows as they are read is the listing of the
    /// records copied out of them, byte for byte: every id form (a hash, 16 bytes, a text that needs
    /// escapes), attributes given as stored and through their values (a NaN, nested JSON, escapes),
    /// a page with a next cursor and one without.
    func testTheListingWrittenFromRowsIsTheListingOfTheRecords() throws {
        let directory = try TemporaryDirectory.make(prefix: "listing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path,
                                    logger: CapturedLog().logger(label: "hub.store"))
        defer { try? store.close() }
        var stored = events
        stored.append(Event(id: EventID(rawValue: "0123456789abcdef0123456789abcdef"), type: "Note", entity: "urn:e:bytes",
                            observedAt: Timestamp(microsecondsSinceEpoch: 5), receivedAt: Timestamp(microsecondsSinceEpoch: 6),
                            route: "r", location: nil, attributes: ["n": .number(0.30000000000000004, unit: nil), "m": .number(-0.0, unit: nil)]))
        stored.append(Event(id: EventID(rawValue: "legacy \"id\"\u{2028}"), type: "Note", entity: "urn:e:text",
                            observedAt: Timestamp(microsecondsSinceEpoch: 7), receivedAt: Timestamp(microsecondsSinceEpoch: 8),
                            route: "r", location: GeoPoint(latitude: -33.5, longitude: 151.25), attributes: ["n": .number(12.25, unit: "CEL")]))
        try store.write(events: stored, deadLetters: [])
        for limit in [1, 3, stored.count, 100] {
            var filter = EventFilter()
            filter.hiddenRoutes = ["none"]
            let records = try store.eventRecords(matching: filter, limit: limit + 1)
            let next = records.count > limit ? String(records[limit - 1].seq) : nil
            let expected = EventEncoding.listing(records.prefix(limit), ["nextCursor": next.map(JSONValue.string) ?? .null])
            let written = try EventEncoding.eventListing(limit: limit) { body in
                try store.forEachEventRecord(matching: filter, limit: limit + 1, body)
            }
            XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: expected, as: UTF8.self), "limit \(limit)")
        }
        XCTAssertEqual(try store.eventRecords(matching: EventFilter(), limit: 100).count, stored.count)
    }
}
