import Foundation
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import HubStore
import HubTesting
import XCTest

/// The hub end to end, in process: a real Mosquitto broker, real MQTT at QoS 1, a real SQLite file.
final class MQTTToSQLiteTests: XCTestCase {
    func testTenThousandReadingsAreStoredExactlyOnceWithTheirValuesAfterAGracefulStop() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let count = 10_000
        // Large, slow batches: the graceful stop itself must commit what is still pending.
        let runtime = try Hub(
            configuration: fixture.configuration(port: broker.port, clientID: "hub-volume", batchSize: 4000, batchDelayMs: 2000),
            logger: quietLogger)
        try runtime.start()
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))

        let publisher = try makePublisher(broker, clientID: "gateway-volume")
        try publishReadings(0..<count, via: publisher)
        publisher.stop()
        let metrics = runtime.metrics.route("air-quality")
        XCTAssertTrue(waitUntil(timeout: 60) { metrics.received.value >= count }, "received \(metrics.received.value)")
        runtime.stop()

        XCTAssertEqual(metrics.received.value, count)
        XCTAssertEqual(metrics.eventsStored.value, count)
        try assertStoreHoldsExactly(0..<count, databasePath: fixture.databasePath)
    }

    func testTheHubReconnectsAfterABrokerRestartAndMissesNothingPublishedMeanwhile() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        // The hub waits 3 s before reconnecting, so the second half is published while it is away.
        let runtime = try Hub(
            configuration: fixture.configuration(port: broker.port, clientID: "hub-restart", reconnectMinSeconds: 3),
            logger: quietLogger)
        try runtime.start()
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))

        let firstPublisher = try makePublisher(broker, clientID: "gateway-before")
        try publishReadings(0..<3000, via: firstPublisher)
        firstPublisher.stop()
        broker.stop()  // in the middle of the stream: the hub may not have read everything yet
        XCTAssertTrue(waitUntil(timeout: 10) { !runtime.isConnected }, "the hub noticed the broker went away")

        try broker.start()
        let secondPublisher = try makePublisher(broker, clientID: "gateway-after")
        try publishReadings(3000..<6000, via: secondPublisher)
        secondPublisher.stop()
        XCTAssertFalse(runtime.isConnected, "the second half was published while the hub was still disconnected")

        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(20)), "the hub reconnected by itself")
        XCTAssertTrue(try waitUntil(timeout: 60) { try runtime.store.eventCount() >= 6000 },
                      "stored \((try? runtime.store.eventCount()) ?? -1) of 6000")
        runtime.stop()
        XCTAssertGreaterThanOrEqual(runtime.metrics.mqttConnects.value, 2)
        try assertStoreHoldsExactly(0..<6000, databasePath: fixture.databasePath)
    }

    func testBadPayloadsBecomeDeadLettersWithReasonsAndGoodOnesKeepFlowing() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let log = CapturedLog()
        let runtime = try Hub(configuration: fixture.configuration(port: broker.port, clientID: "hub-bad"),
                                     logger: log.logger(label: "hub", level: .warning))
        try runtime.start()
        XCTAssertTrue(runtime.waitUntilConnected(timeout: .seconds(10)))

        var generator = SeededGenerator(seed: 42)
        let garbage = Data((0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let bad: [(topic: String, payload: Data, reason: String)] = [
            ("city/air/aq-1/reading", Data(#"{"device":"aq-1","observedAt":"2026-11-22T08:00:00Z","no2":"#.utf8), "not valid JSON"),
            ("city/air/aq-2/reading", Data(#"{"device":"aq-2","observedAt":"2026-11-22T08:00:00Z","temperature":"warm"}"#.utf8), "temperature"),
            ("city/air/aq-3/reading", Data(), "empty"),
            ("city/air/aq-4/reading", garbage, "UTF-8"),
            ("city/air/aq-5/reading", Data([0x7B, 0x22, 0x64, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), "UTF-8"),
            ("city/senml/meter-1", Data(#"[{"bver":99,"bn":"urn:dev:mac:0024befffe804ff1:","n":"temp","u":"Cel","v":23.1}]"#.utf8), "version"),
        ]
        let publisher = try makePublisher(broker, clientID: "gateway-bad")
        for message in bad { _ = try publisher.publish(topic: message.topic, payload: message.payload, qos: 1) }
        try publishReadings(0..<100, via: publisher)
        _ = try publisher.publish(topic: "city/senml/meter-2",
                                  payload: Data(#"[{"bn":"meter-2:","bt":1795305600,"n":"energy","u":"kWh","v":1234.5}]"#.utf8), qos: 1)
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(30)))
        publisher.stop()

        XCTAssertTrue(try waitUntil(timeout: 30) { try runtime.store.eventCount() == 101 && runtime.store.deadLetterCount() == bad.count },
                      "events \((try? runtime.store.eventCount()) ?? -1), dead letters \((try? runtime.store.deadLetterCount()) ?? -1)")
        let deadLetters = try runtime.store.deadLetters(limit: 100)
        runtime.stop()

        XCTAssertEqual(deadLetters.count, bad.count)
        for message in bad {
            guard let kept = deadLetters.first(where: { $0.deadLetter.origin == message.topic }) else {
                XCTFail("no dead letter for \(message.topic)")
                continue
            }
            XCTAssertEqual(kept.deadLetter.payload, message.payload, "raw payload of \(message.topic) kept byte for byte")
            XCTAssertEqual(kept.deadLetter.route, message.topic.hasPrefix("city/senml") ? "senml" : "air-quality")
            XCTAssertTrue(kept.deadLetter.reason.localizedCaseInsensitiveContains(message.reason),
                          "reason for \(message.topic): \(kept.deadLetter.reason)")
            XCTAssertLessThan(kept.deadLetter.reason.count, 400, "a reason is a sentence, not a dump")
        }
        let report = log.lines(containing: "dead letters kept")
        XCTAssertEqual(report.filter { $0.contains("count=5") && $0.contains("route=air-quality") }.count, 1,
                       "dead letters are logged in aggregate, one line per route: \(report)")
        XCTAssertEqual(report.filter { $0.contains("count=1") && $0.contains("route=senml") }.count, 1, "\(report)")
        XCTAssertEqual(runtime.metrics.route("air-quality").deadLetters.value, 5)
        XCTAssertEqual(runtime.metrics.route("senml").deadLetters.value, 1)
        try assertAllReadingsPresent(0..<100, databasePath: fixture.databasePath)
    }

    func testARouteSilentForLongerThanItsExpectedIntervalIsReportedAndSoIsItsReturn() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let log = CapturedLog()
        let runtime = try Hub(
            configuration: fixture.configuration(port: broker.port, clientID: "hub-silence", expectedIntervalSeconds: 1),
            logger: log.logger(label: "hub", level: .info))
        try runtime.start()
        defer { runtime.stop() }
        let metrics = runtime.metrics.route("air-quality")
        XCTAssertTrue(waitUntil(timeout: 10) { metrics.silent.value == 1 }, "the silent route is flagged")
        XCTAssertTrue(waitUntil(timeout: 5) { !log.lines(containing: "route silent for longer than expected").isEmpty })
        XCTAssertEqual(log.lines(containing: "route silent for longer than expected").count, 1, "once, \(log.text)")
        XCTAssertEqual(runtime.metrics.route("senml").silent.value, 0, "a route without an expected interval is never flagged")

        let publisher = try makePublisher(broker, clientID: "gateway-silence")
        try publishReadings(0..<1, via: publisher)
        publisher.stop()
        XCTAssertTrue(waitUntil(timeout: 10) { metrics.silent.value == 0 }, "the route speaks again")
        XCTAssertTrue(waitUntil(timeout: 5) { log.lines(containing: "route speaking again").count == 1 }, "\(log.text)")
    }

    private func assertAllReadingsPresent(_ range: Range<Int>, databasePath: String) throws {
        let store = try SQLiteStore(path: databasePath, logger: quietLogger)
        defer { try? store.close() }
        for index in range {
            let id = EventID.make(type: "AirQualityObserved", entity: Readings.entity(index), observedAt: Readings.observedAt(index))
            XCTAssertNotNil(try store.event(id: id), "reading \(index) after the bad ones")
        }
        XCTAssertEqual(try store.events(type: "Device", limit: 10).count, 1, "the good SenML pack after the bad one")
    }
}
