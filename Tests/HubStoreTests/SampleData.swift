import Foundation
import HubCore
import HubServices

/// Events, dead letters and outcomes for the store's tests.
enum SampleData {
    /// 2026-11-22T00:00:00Z, with a microsecond part to catch any rounding.
    static let observed = Timestamp(microsecondsSinceEpoch: 1_795_334_400_123_456)

    /// `count` notes of batch `batch`, each with 5,000 bytes of text: commits that fill the
    /// write-ahead log quickly.
    static func largeNotes(batch: Int, count: Int) -> [Event] {
        (0..<count).map { index in
            Event(type: "Note", entity: "urn:ngsi-ld:Note:\(batch)-\(index)", observedAt: observed, receivedAt: observed,
                  route: "notes", attributes: ["text": .text(String(repeating: "x", count: 5000))])
        }
    }

    /// An air-quality event carrying every kind of attribute and a location.
    static func airQuality(station: Int = 1, observedAt: Timestamp = observed, route: String = "air-quality",
                           no2: Double = 21.5) -> Event {
        Event(
            type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:station-\(station)",
            observedAt: observedAt, receivedAt: observedAt.adding(microseconds: 1_234_567), route: route,
            location: GeoPoint(latitude: 45.764043, longitude: 4.835659),
            attributes: [
                "no2": .number(no2, unit: "GQ"),
                "temperature": .number(-3.25, unit: "CEL"),
                "pm25": .number(0.1, unit: nil),
                "count": .number(12_345_678_901, unit: nil),
                "tiny": .number(1e-7, unit: nil),
                "huge": .number(1.5e20, unit: nil),
                "status": .text("ok — “quoted” \n line"),
                "empty": .text(""),
                "calibrated": .boolean(true),
                "faulty": .boolean(false),
                "stops": .json(.array([.object(["id": .string("S1"), "lat": .number(45.7)]), .null, .bool(false)])),
            ])
    }

    /// A parking event without location or attributes.
    static func parking(spot: Int, observedAt: Timestamp = observed, route: String = "parking") -> Event {
        Event(type: "ParkingSpot", entity: "urn:ngsi-ld:ParkingSpot:\(spot)", observedAt: observedAt,
              receivedAt: observedAt, route: route, attributes: [:])
    }

    /// A dead letter for `payload` on the route `route`.
    static func deadLetter(payload: Data, route: String = "air-quality", origin: String = "city/air/12/reading",
                           reason: String = "payload is not valid JSON") -> DeadLetter {
        DeadLetter(
            envelope: Envelope(route: route, source: .mqtt, origin: origin, payload: payload, receivedAt: observed),
            reason: reason)
    }

    /// `count` one-event outcomes for distinct parking spots.
    static func outcomes(count: Int, startingAt first: Int = 0, onCommit: (@Sendable ((any Error)?) -> Void)? = nil) -> [Outcome] {
        (first..<first + count).map { Outcome(events: [parking(spot: $0)], onCommit: onCommit) }
    }
}
