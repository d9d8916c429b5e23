import Foundation
import HubCore
import HubFeeds
import HubServices
import HubTesting
import Synchronization
import XCTest

/// The poller against a real HTTP server on loopback (feed_server.py, started by each test):
/// conditional requests and 304, changing bodies, errors and backoff, timeouts, the size limit,
/// a full route, ttl, GBFS discovery, one fetch at a time, and a clean stop.
final class FeedPollerTests: XCTestCase {
    private var server: FeedTestServer!

    override func setUpWithError() throws {
        let script = try XCTUnwrap(Bundle.module.url(forResource: "feed_server", withExtension: "py", subdirectory: "Fixtures"))
        server = try FeedTestServer(script: script)
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func poller(_ path: String, period: Duration = .milliseconds(200), timeout: Duration = .seconds(10),
                        maxBytes: Int = 1 << 20, maxBackoff: Duration = .milliseconds(400), headers: [String: String] = [:],
                        discovery: FeedSource.Discovery? = nil, allowedHosts: [String] = [], allowsPrivateNetwork: Bool = true,
                        acceptsCompression: Bool = false, route: RecordingInbox) -> FeedPoller {
        // The test server is on loopback: a private address the hub refuses unless the route allows it.
        let source = FeedSource(url: server.url(path), period: period, headers: headers, timeout: timeout, maxBytes: maxBytes,
                                maxBackoff: maxBackoff, discovery: discovery, allowedHosts: allowedHosts,
                                allowsPrivateNetwork: allowsPrivateNetwork, acceptsCompression: acceptsCompression)
        return FeedPoller(route: "test", source: source, inbox: route, logger: Logger(label: "test", level: .error, sink: StandardErrorLogSink()))
    }

    private func body(_ text: String) -> FeedTestServer.Response { .init(body: Data(text.utf8)) }

    func testAnUnchangedFeedAnswers304AndAChangedOneIsDeliveredOnce() throws {
        try server.serve("/feed", [body("first")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", headers: ["X-Api-Key": "secret-1"], route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { poller.status.notModified >= 2 })
        XCTAssertEqual(route.payloads, ["first"])
        try server.serve("/feed", [body("second")])
        XCTAssertTrue(waitUntil(timeout: 10) { route.count == 2 })
        XCTAssertTrue(waitUntil(timeout: 10) { poller.status.notModified >= 3 })
        poller.stop()

        XCTAssertEqual(route.payloads, ["first", "second"])
        let requests = try server.requests("/feed")
        XCTAssertNil(requests[0].headers["if-none-match"], "the first fetch has nothing to validate")
        XCTAssertNotNil(requests[1].headers["if-none-match"])
        XCTAssertEqual(requests[1].status, 304)
        XCTAssertTrue(requests.allSatisfy { $0.headers["x-api-key"] == "secret-1" })
        let envelope = try XCTUnwrap(route.envelopes.first)
        XCTAssertEqual(envelope.source, .feed)
        XCTAssertEqual(envelope.origin, server.url("/feed").absoluteString)
        XCTAssertNotNil(envelope.headers["etag"])
        let status = poller.status
        XCTAssertEqual(status.delivered, 2)
        XCTAssertEqual(status.eventsProduced, "first".count + "second".count)
        XCTAssertEqual(status.lastHTTPStatus, 304)
        XCTAssertEqual(status.failures, 0)
        XCTAssertNotNil(status.lastSuccessAt)
        XCTAssertNotNil(status.lastDuration)
        // A fetch begun just as the poller stopped may be cancelled before it reaches the server.
        XCTAssertTrue((requests.count...requests.count + 1).contains(status.fetches), "\(status.fetches) fetches, \(requests.count) requests")
    }

    func testAServerErrorIsCountedAndTheFeedRecovers() throws {
        try server.serve("/feed", [.init(status: 500), .init(status: 500), body("after the outage")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 15) { route.count == 1 })
        poller.stop()
        let status = poller.status
        XCTAssertEqual(status.failures, 2)
        XCTAssertEqual(status.consecutiveFailures, 0)
        XCTAssertTrue(status.lastError?.hasPrefix("HTTP 500") == true, status.lastError ?? "")
        XCTAssertNotNil(status.lastErrorAt)
        let requests = try server.requests("/feed")
        XCTAssertEqual(requests.map(\.status), [500, 500, 200] + Array(repeating: 304, count: requests.count - 3))
        XCTAssertEqual(status.lastHTTPStatus, 200)
        XCTAssertEqual(route.payloads, ["after the outage"])
    }

    func testASlowAnswerTimesOutAndTheNextFetchSucceeds() throws {
        try server.serve("/feed", [.init(body: Data("late".utf8), delay: 3), body("on time")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", timeout: .milliseconds(700), route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 15) { route.count == 1 })
        poller.stop()
        XCTAssertEqual(route.payloads, ["on time"], "the late body is abandoned, never delivered")
        XCTAssertEqual(poller.status.failures, 1)
        XCTAssertTrue(poller.status.lastError?.contains("no complete answer") == true, poller.status.lastError ?? "")
    }

    func testABodyOverTheSizeLimitIsRefused() throws {
        try server.serve("/feed", [.init(body: Data(repeating: 65, count: 5000))])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", maxBytes: 1000, route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { poller.status.failures >= 2 })
        poller.stop()
        XCTAssertEqual(route.count, 0)
        XCTAssertTrue(poller.status.lastError?.contains("limit of 1000 bytes") == true
                      || poller.status.lastError?.contains("the limit is 1000") == true, poller.status.lastError ?? "")
    }

    func testAFullRouteSkipsATurnAndTheBodyComesAgain() throws {
        try server.serve("/feed", [body("only")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        route.answerNext([.saturated])
        let poller = poller("/feed", route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { route.count == 1 })
        poller.stop()
        XCTAssertEqual(poller.status.skippedTurns, 1)
        let requests = try server.requests("/feed")
        XCTAssertEqual(requests[1].status, 200, "after a skipped turn the poller forgets the ETag and fetches the body again")
        XCTAssertNil(requests[1].headers["if-none-match"])
        XCTAssertEqual(route.payloads, ["only"])
    }

    func testWhileTheIntakeGateIsClosedTheFeedIsNotFetched() throws {
        try server.serve("/feed", [body("one")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        route.intakeGate.close(reason: "the store cannot commit: disk full")
        let poller = poller("/feed", period: .milliseconds(50), route: route)
        poller.start()
        defer { poller.stop() }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try server.requests("/feed").count, 0, "nothing fetched while paused")
        XCTAssertEqual(route.count, 0)

        route.intakeGate.open()
        XCTAssertTrue(waitUntil(timeout: 10) { route.count == 1 }, "fetched once the store commits again")
        XCTAssertEqual(route.payloads, ["one"])
    }

    func testAFeedsOwnTTLPutsTheNextFetchLater() throws {
        try server.serve("/gbfs.json", [body(#"{"last_updated": 1606727710, "ttl": 3600, "data": {}}"#)])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/gbfs.json", route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { poller.status.nextFetchAt != nil })
        let status = poller.status
        let wait = try XCTUnwrap(status.nextFetchAt).microsecondsSinceEpoch - XCTUnwrap(status.lastSuccessAt).microsecondsSinceEpoch
        XCTAssertGreaterThanOrEqual(wait, 3_599_000_000, "ttl 3600 s outweighs the 0.2 s period")
        XCTAssertEqual(route.count, 1)
    }

    func testTwoFetchesOfOneFeedNeverOverlapEvenWhenAnswersOutlastThePeriod() throws {
        try server.serve("/feed", [.init(body: Data("slow".utf8), delay: 0.5, etag: false)])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", period: .milliseconds(50), route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 15) { route.count >= 4 })
        poller.stop()
        let requests = try server.requests("/feed")
        XCTAssertGreaterThanOrEqual(requests.count, 4)
        XCTAssertEqual(requests.map(\.concurrent).max(), 1)
    }

    func testStopCancelsAFetchInFlightWithoutCountingAFailure() throws {
        try server.serve("/feed", [.init(body: Data("never".utf8), delay: 30)])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/feed", timeout: .seconds(60), route: route)
        poller.start()
        XCTAssertTrue(waitUntil(timeout: 10) { poller.status.fetches == 1 })
        poller.stop()  // returns although the answer would take 30 s
        XCTAssertEqual(poller.status.failures, 0)
        XCTAssertEqual(route.count, 0)
    }

    func testGBFSDiscoveryFetchesTheListedFilesInOrder() throws {
        let discovery = """
        {"last_updated": 1606727710, "ttl": 0, "version": "2.3", "data": {"en": {"feeds": [
          {"name": "system_information", "url": "\(server.url("/system_information.json"))"},
          {"name": "station_status", "url": "\(server.url("/station_status.json"))"},
          {"name": "station_information", "url": "\(server.url("/station_information.json"))"}]}}}
        """
        try server.serve("/gbfs.json", [body(discovery)])
        try server.serve("/station_information.json", [body("information")])
        try server.serve("/station_status.json", [body("status")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/gbfs.json", period: .seconds(60), discovery: .gbfs, route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { route.count == 3 })
        poller.stop()
        XCTAssertEqual(route.payloads.dropFirst(), ["information", "status"], "information before status; system_information is not fetched")
        XCTAssertEqual(try server.requests("/system_information.json").count, 0)
    }

    func testAnUnchangedDiscoveryFileStillRefreshesTheFilesItLists() throws {
        let discovery = """
        {"last_updated": "2026-11-22T08:00:00Z", "ttl": 0, "version": "3.0", "data": {"feeds": [
          {"name": "station_status", "url": "\(server.url("/station_status.json"))"}]}}
        """
        try server.serve("/gbfs.json", [body(discovery)])
        try server.serve("/station_status.json", [body("status 1"), body("status 2")])
        let route = RecordingInbox(disposition: { .stored(events: $0.payload.count) })
        let poller = poller("/gbfs.json", discovery: .gbfs, route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 10) { route.payloads.contains("status 2") })
        poller.stop()
        XCTAssertEqual(Array(route.payloads.prefix(3).dropFirst()), ["status 1", "status 2"])
        XCTAssertEqual(try server.requests("/gbfs.json").dropFirst().first?.status, 304, "the discovery file did not change")
    }

    func testBackoffDoublesUpToItsCapWithJitter() {
        let backoff = FeedBackoff(base: .seconds(30), cap: .seconds(600))
        XCTAssertEqual(backoff.delay(afterFailures: 1, unitRandom: 1), .seconds(30))
        XCTAssertEqual(backoff.delay(afterFailures: 3, unitRandom: 1), .seconds(120))
        XCTAssertEqual(backoff.delay(afterFailures: 3, unitRandom: 0), .seconds(60))
        XCTAssertEqual(backoff.delay(afterFailures: 10, unitRandom: 1), .seconds(600))
        XCTAssertEqual(backoff.delay(afterFailures: 1_000, unitRandom: 0.5), .seconds(450))
        var generator = SystemRandomNumberGenerator()
        for failures in 1...40 {
            let delay = backoff.delay(afterFailures: failures, unitRandom: Double.random(in: 0..<1, using: &generator))
            XCTAssertGreaterThanOrEqual(delay, .seconds(15))
            XCTAssertLessThanOrEqual(delay, .seconds(600))
        }
    }

    /// A gate a test opens and closes: a hub that takes and loses a feed's lease.
    private final class SwitchedGate: SingletonGate {
        let isHeld = Atomic<Bool>(false)
        func holds(_ task: SingletonTask) -> Bool { task == .feed("test") && isHeld.load(ordering: .relaxed) }
    }

    func testAFeedIsFetchedOnlyWhileThisHubHoldsItsLease() throws {
        try server.serve("/feed", [body("first")])
        let gate = SwitchedGate()
        let route = RecordingInbox()
        let source = FeedSource(url: server.url("/feed"), period: .milliseconds(100), headers: [:], timeout: .seconds(10),
                                maxBytes: 1 << 20, maxBackoff: .milliseconds(400), discovery: nil, allowedHosts: [],
                                allowsPrivateNetwork: true, acceptsCompression: false)
        let poller = FeedPoller(route: "test", source: source, inbox: route, gate: gate,
                                logger: Logger(label: "test", level: .error, sink: StandardErrorLogSink()))
        poller.start()
        defer { poller.stop() }
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(try server.requests("/feed").count, 0, "another hub holds the lease: not fetched here")
        gate.isHeld.store(true, ordering: .relaxed)
        XCTAssertTrue(waitUntil(timeout: 10) { (try? self.server.requests("/feed").count) ?? 0 >= 3 }, "taken over: fetched")
        XCTAssertEqual(route.payloads, ["first"])
        gate.isHeld.store(false, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.5)
        let afterLoss = try server.requests("/feed").count
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(try server.requests("/feed").count, afterLoss, "the lease lost, the hub stops fetching")
    }
}
