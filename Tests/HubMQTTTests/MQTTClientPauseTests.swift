import Foundation
import HubCore
import HubMQTT
import HubServices
import HubTesting
import XCTest

/// Pausing the client (what the hub does while its store cannot commit), on a real Mosquitto broker.
final class MQTTClientPauseTests: XCTestCase {
    private let log = CapturedLog()

    override func tearDown() {
        if (testRun?.totalFailureCount ?? 0) > 0 { print(log.text.joined(separator: "\n")) }
        super.tearDown()
    }

    /// While paused the client is disconnected and receives nothing; the broker keeps what is
    /// published for the persistent session and hands it over after `resume()`. Then pauses and
    /// resumes in quick succession, with messages flowing, still lose nothing, and `stop()` returns.
    func testWhatIsPublishedWhilePausedArrivesAfterResumeAndQuickPausesLoseNothing() throws {
        let broker = try MosquittoBroker()
        let collector = MessageCollector()
        let client = try MQTTClient(options: broker.clientOptions(clientID: "hub-paused"), logger: log.logger(label: "hub"),
                                    onMessage: collector.handler)
        client.subscribe(try TopicFilter("city/#"), qos: 1)
        try client.start()
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)))
        let publisher = try broker.connectedPublisher(logger: log.logger(label: "publisher"))
        defer { publisher.stop() }
        func publish(_ range: Range<Int>) throws {
            for index in range { try publisher.publish(topic: "city/n", payload: Data("\(index)".utf8), qos: 1) }
            XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(20)))
        }

        client.pause(reason: "test")
        XCTAssertTrue(client.waitUntil(timeout: .seconds(5)) { !$0.isConnected }, "paused once the thread has ended")
        XCTAssertEqual(client.state, .reconnecting(reason: "paused: test"))
        try publish(0..<500)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(collector.messages.count, 0, "nothing is taken while paused")
        client.resume()
        XCTAssertTrue(collector.waitForCount(500, timeout: 20), "received \(collector.messages.count) of 500")
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(5)))

        for round in 0..<20 {
            try publish((500 + round * 50)..<(550 + round * 50))
            client.pause(reason: "round \(round)")
            client.resume()
        }
        XCTAssertTrue(client.waitUntilConnected(timeout: .seconds(10)))
        XCTAssertTrue(collector.waitForCount(1500, timeout: 30), "received \(collector.messages.count) of 1500")
        let started = ContinuousClock.now
        client.stop()
        XCTAssertLessThan(started.duration(to: .now), .seconds(5), "stop() does not wait on a live network thread")
        XCTAssertEqual(Set(collector.payloadTexts), Set((0..<1500).map(String.init)), "every message, none lost")
    }
}
