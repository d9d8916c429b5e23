import Foundation
import HubCore

/// The air-quality readings the integration tests publish: each one different, each one checkable.
enum Readings {
    /// 2026-11-22T00:00:00Z, the first reading's time.
    static let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)

    /// The devices readings come from.
    static let deviceCount = 50

    static func device(_ index: Int) -> String { "aq-\(index % deviceCount)" }

    /// Reading `index`: one second apart per device, 1,234 µs into the second so microseconds are checked too.
    static func observedAt(_ index: Int) -> Timestamp {
        start.adding(microseconds: Int64(index) * 1_000_000 + 1_234)
    }

    static func no2(_ index: Int) -> Double { Double(index % 997) / 4 }
    static func temperature(_ index: Int) -> Double { -10 + Double(index % 400) / 10 }

    static func payload(_ index: Int) -> Data {
        Data(#"{"device":"\#(device(index))","observedAt":"\#(observedAt(index).iso8601)","no2":\#(no2(index)),"temperature":\#(temperature(index)),"status":"ok"}"#.utf8)
    }

    static func topic(_ index: Int) -> String { "city/air/\(device(index))/reading" }

    static func entity(_ index: Int) -> String { "urn:ngsi-ld:AirQualityObserved:\(device(index))" }

    /// The sensors.json route settings that match these payloads.
    static let routeSettings: JSONValue = .object([
        "entityType": .string("AirQualityObserved"),
        "idField": .string("device"),
        "timeField": .string("observedAt"),
        "units": .object(["no2": .string("GQ"), "temperature": .string("CEL")]),
    ])
}
