import Foundation
import HubCore
import HubMQTT
import HubServices
import HubStore
import HubTesting
import XCTest

/// A logger that only speaks up for warnings, so test output stays readable.
let quietLogger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

/// A QoS 1 publisher on the test broker, the way a field gateway publishes.
func makePublisher(_ broker: MosquittoBroker, clientID: String) throws -> MQTTClient {
    let client = try MQTTClient(
        options: MQTTClientOptions(host: broker.host, port: broker.port, clientID: clientID, cleanSession: true,
                                   reconnectDelayMinSeconds: 1, reconnectDelayMaxSeconds: 2, maxInflightMessages: 100),
        logger: quietLogger)
    try client.start()
    guard client.waitUntilConnected(timeout: .seconds(10)) else {
        throw TestSupportError(.brokerDidNotStart, "publisher could not connect")
    }
    return client
}

/// Publishes readings `range` at QoS 1 and waits until the broker has acknowledged every one.
func publishReadings(_ range: Range<Int>, via client: MQTTClient, file: StaticString = #filePath, line: UInt = #line) throws {
    for index in range {
        _ = try client.publish(topic: Readings.topic(index), payload: Readings.payload(index), qos: 1)
    }
    XCTAssertTrue(client.waitUntilPublishesAcknowledged(timeout: .seconds(60)),
                  "the broker acknowledged only some of the readings", file: file, line: line)
}

/// Checks that the store holds exactly readings `range`, each with its values, units and time.
func assertStoreHoldsExactly(_ range: Range<Int>, databasePath: String, route: String = "air-quality",
                             file: StaticString = #filePath, line: UInt = #line) throws {
    let store = try SQLiteStore(path: databasePath, logger: quietLogger)
    defer { try? store.close() }
    try assertStoreHoldsExactly(range, store: store, route: route, file: file, line: line)
}

/// Checks that `store` holds exactly readings `range`, each with its values, units and time.
func assertStoreHoldsExactly(_ range: Range<Int>, store: any HubDatabase, route: String = "air-quality",
                             file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(try store.eventCount(), range.count, "events stored", file: file, line: line)
    XCTAssertEqual(try store.deadLetterCount(), 0, "dead letters", file: file, line: line)
    let events = try store.events(route: route, limit: range.count + 1)
    let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var wrong = 0
    for index in range {
        let id = EventID.make(type: "AirQualityObserved", entity: Readings.entity(index), observedAt: Readings.observedAt(index))
        guard let event = byID[id],
              event.type == "AirQualityObserved",
              event.entity == Readings.entity(index),
              event.observedAt == Readings.observedAt(index),
              event.attributes["no2"] == .number(Readings.no2(index), unit: "GQ"),
              event.attributes["temperature"] == .number(Readings.temperature(index), unit: "CEL"),
              event.attributes["status"] == .text("ok")
        else {
            wrong += 1
            if wrong <= 3 { XCTFail("reading \(index) missing or wrong: \(String(describing: byID[id]))", file: file, line: line) }
            continue
        }
    }
    XCTAssertEqual(wrong, 0, "readings missing or wrong", file: file, line: line)
}
