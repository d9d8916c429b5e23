import Foundation
import HubCore
import HubRuntime
import HubServices

/// The sensors.json readings benchmarks send: the same shape as a field gateway's air-quality reading.
enum BenchPayloads {
    static let routeName = "bench-air"

    static let settings: JSONValue = .object([
        "entityType": .string("AirQualityObserved"),
        "idField": .string("device"),
        "timeField": .string("observedAt"),
        "units": .object(["no2": .string("GQ"), "pm10": .string("GQ"), "temperature": .string("CEL"),
                          "relativeHumidity": .string("P1")]),
    ])

    /// Reading `index` observed at `time` (distinct times give distinct events).
    static func payload(_ index: Int, at time: Timestamp) -> Data {
        let device = "aq-\(index % 200)"
        return Data(("{\"device\":\"\(device)\",\"observedAt\":\"\(time.iso8601)\",\"no2\":\(Double(index % 997) / 4),"
            + "\"pm10\":\(index % 80),\"temperature\":\(Double(index % 400) / 10 - 5),\"relativeHumidity\":\(index % 100)}").utf8)
    }

    /// A hub configuration with one sensors.json route on `topic`, its store at `path`, batching as
    /// `batchSize` and `batchDelayMs` say (the hub's defaults when nil).
    static func configuration(databasePath: String, topic: String, port: Int, clientID: String,
                              batchSize: Int? = nil, batchDelayMs: Int? = nil) throws -> HubConfiguration {
        try HubConfiguration(json: configurationJSON(databasePath: databasePath, topic: topic, port: port, clientID: clientID,
                                                     batchSize: batchSize, batchDelayMs: batchDelayMs),
                             environment: [:], catalog: .compiledIn)
    }

    /// The document `configuration(databasePath:topic:port:clientID:batchSize:batchDelayMs:)` reads.
    static func configurationJSON(databasePath: String, topic: String, port: Int, clientID: String,
                                  batchSize: Int? = nil, batchDelayMs: Int? = nil) -> JSONValue {
        var store: [String: JSONValue] = ["path": .string(databasePath)]
        if let batchSize { store["batchSize"] = .number(Double(batchSize)) }
        if let batchDelayMs { store["batchDelayMs"] = .number(Double(batchDelayMs)) }
        let json: JSONValue = .object([
            "store": .object(store),
            "mqtt": .object(["host": .string("127.0.0.1"), "port": .number(Double(port)), "clientId": .string(clientID)]),
            "queues": .object(["routeCapacity": .number(4096), "busCapacity": .number(8192)]),
            "routes": .array([.object([
                "name": .string(routeName), "mqtt": .object(["topic": .string(topic), "qos": .number(1)]),
                "connector": .string("sensors.json"), "settings": settings,
            ])]),
        ])
        return json
    }

    /// Hands every payload to `hub`'s route directly (as if its MQTT door received it), waits until
    /// all of them are stored, and returns the rate (events/s) from the first hand-over to the last commit.
    static func intakeRate(of payloads: [Data], through hub: Hub, origin: String) -> Double {
        let receivedAt = Timestamp.now()
        let began = DispatchTime.now()
        for payload in payloads {
            _ = hub.deliver(Delivery(Envelope(route: routeName, source: .mqtt, origin: origin, payload: payload, receivedAt: receivedAt)),
                            waitForRoom: true)
        }
        let route = hub.metrics.route(routeName)
        while route.eventsStored.value < payloads.count { Thread.sleep(forTimeInterval: 0.001) }
        return Double(payloads.count) / DecodeBenchmark.seconds(since: began)
    }
}
