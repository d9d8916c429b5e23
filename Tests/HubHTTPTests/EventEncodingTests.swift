import Foundation
import HubCore
@testable import HubHTTP
import HubStore
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
}
