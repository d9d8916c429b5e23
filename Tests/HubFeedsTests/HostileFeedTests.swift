import Foundation
import HubCore
@testable import HubFeeds
import HubServices
import HubTesting
import XCTest

/// Partner feeds that try to hurt the hub, against real HTTP servers on loopback: a body that
/// never ends, a gzip bomb, redirects and discovery files pointing elsewhere, private addresses.
/// Two servers on two ports are two origins.
final class HostileFeedTests: XCTestCase {
    private var partner: FeedTestServer!
    private var elsewhere: FeedTestServer!

    override func setUpWithError() throws {
        let script = try XCTUnwrap(Bundle.module.url(forResource: "feed_server", withExtension: "py", subdirectory: "Fixtures"))
        partner = try FeedTestServer(script: script)
        elsewhere = try FeedTestServer(script: script)
    }

    override func tearDown() {
        partner?.stop()
        elsewhere?.stop()
    }

    private let secrets = ["X-Api-Key": "partner-key", "Authorization": "Bearer partner-token"]

    private func poller(_ url: URL, maxBytes: Int = 1 << 20, discovery: FeedSource.Discovery? = nil,
                        allowedHosts: [String] = [], allowsPrivateNetwork: Bool = true, acceptsCompression: Bool = false,
                        route: RecordingInbox) -> FeedPoller {
        let source = FeedSource(url: url, period: .seconds(60), headers: secrets, timeout: .seconds(20), maxBytes: maxBytes,
                                maxBackoff: .milliseconds(300), discovery: discovery, allowedHosts: allowedHosts,
                                allowsPrivateNetwork: allowsPrivateNetwork, acceptsCompression: acceptsCompression)
        return FeedPoller(route: "partner", source: source, inbox: route, logger: Logger(label: "test", level: .critical, sink: StandardErrorLogSink()))
    }

    /// Polls until the first failure or delivery and returns the status then.
    private func firstTurn(_ poller: FeedPoller, _ route: RecordingInbox) -> FeedStatus {
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 15) { poller.status.failures > 0 || route.count > 0 }, "no turn ended")
        return poller.status
    }

    func testAnEndlessBodyStopsAtTheSizeLimit() throws {
        try partner.serve("/rt.pb", [.init(endless: true)])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        let status = firstTurn(poller(partner.url("/rt.pb"), maxBytes: 1 << 20, route: route), route)
        XCTAssertEqual(route.count, 0)
        // Without the limit enforced as bytes arrive, the fetch would only end at its 20 s timeout.
        XCTAssertEqual(status.lastError, "the body passed the limit of 1048576 bytes")
    }

    func testCompressionIsNotAskedForUnlessTheRouteSaysSo() throws {
        try partner.serve("/gbfs.json", [.init(gzipZeros: 50 << 20)])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        _ = firstTurn(poller(partner.url("/gbfs.json"), maxBytes: 1 << 20, route: route), route)
        let request = try XCTUnwrap(try partner.requests("/gbfs.json").first)
        XCTAssertNil(request.headers["accept-encoding"], "the hub asked for compression by itself")
        // The server compressed anyway: the bytes are delivered as they came (the connector will
        // dead-letter them), never inflated to 50 MiB.
        let payload = try XCTUnwrap(route.envelopes.first?.payload)
        XCTAssertLessThan(payload.count, 1 << 20)
        XCTAssertEqual(Array(payload.prefix(2)), [0x1F, 0x8B], "not the gzip bytes the server sent")
    }

    func testACompressionBombIsRefusedWhenCompressionIsOn() throws {
        try partner.serve("/gbfs.json", [.init(gzipZeros: 50 << 20)])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        let status = firstTurn(poller(partner.url("/gbfs.json"), maxBytes: 64 << 20, acceptsCompression: true, route: route), route)
        XCTAssertEqual(route.count, 0)
        XCTAssertTrue(status.lastError?.contains("compression bomb") == true, status.lastError ?? "no error")
        XCTAssertNotNil(try partner.requests("/gbfs.json").first?.headers["accept-encoding"])
    }

    func testACompressedFeedIsDecodedWhenCompressionIsOn() throws {
        try partner.serve("/zeros", [.init(gzipZeros: 300_000)])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        _ = firstTurn(poller(partner.url("/zeros"), maxBytes: 1 << 20, acceptsCompression: true, route: route), route)
        XCTAssertEqual(route.envelopes.first?.payload, Data(count: 300_000))
    }

    func testARedirectToAnotherOriginIsRefusedAndThatHostNeverAsked() throws {
        try elsewhere.serve("/stolen", [.init(body: Data("x".utf8))])
        try partner.serve("/rt.pb", [.init(status: 302, headers: ["Location": elsewhere.url("/stolen").absoluteString])])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        let status = firstTurn(poller(partner.url("/rt.pb"), route: route), route)
        XCTAssertEqual(route.count, 0)
        XCTAssertTrue(status.lastError?.contains("not the feed's origin") == true, status.lastError ?? "no error")
        XCTAssertEqual(try elsewhere.requests("/stolen").count, 0)
    }

    func testAnAllowedRedirectIsFollowedWithoutTheFeedsSecrets() throws {
        try elsewhere.serve("/cdn.pb", [.init(body: Data("vehicles".utf8))])
        try partner.serve("/rt.pb", [.init(status: 307, headers: ["Location": "/moved.pb"])])
        try partner.serve("/moved.pb", [.init(status: 302, headers: ["Location": elsewhere.url("/cdn.pb").absoluteString])])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        _ = firstTurn(poller(partner.url("/rt.pb"), allowedHosts: ["127.0.0.1:\(elsewhere.port)"], route: route), route)
        XCTAssertEqual(route.payloads, ["vehicles"])
        let own = try XCTUnwrap(try partner.requests("/moved.pb").first, "the same-origin redirect was not followed")
        XCTAssertEqual(own.headers["x-api-key"], "partner-key", "the feed's own origin gets its headers")
        let other = try XCTUnwrap(try elsewhere.requests("/cdn.pb").first)
        XCTAssertNil(other.headers["x-api-key"])
        XCTAssertNil(other.headers["authorization"])
    }

    func testDiscoveryListingAnotherHostIsRefused() throws {
        try elsewhere.serve("/station_status.json", [.init(body: Data("status".utf8))])
        try partner.serve("/gbfs.json", [.init(body: Data("""
            {"last_updated": 1606727710, "ttl": 0, "version": "3.0", "data": {"feeds": [
              {"name": "station_status", "url": "\(elsewhere.url("/station_status.json"))"}]}}
            """.utf8))])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        let poller = poller(partner.url("/gbfs.json"), discovery: .gbfs, route: route)
        poller.start()
        defer { poller.stop() }
        XCTAssertTrue(waitUntil(timeout: 15) { poller.status.failures > 0 })
        poller.stop()
        XCTAssertEqual(route.count, 1, "gbfs.json itself is delivered")
        XCTAssertTrue(poller.status.lastError?.contains("allowHosts") == true, poller.status.lastError ?? "no error")
        XCTAssertEqual(try elsewhere.requests("/station_status.json").count, 0)
    }

    func testALoopbackFeedIsRefusedUnlessTheRouteAllowsPrivateNetworks() throws {
        try partner.serve("/rt.pb", [.init(body: Data("vehicles".utf8))])
        let route = RecordingInbox(disposition: { _ in .stored(events: 1) })
        let status = firstTurn(poller(partner.url("/rt.pb"), allowsPrivateNetwork: false, route: route), route)
        XCTAssertEqual(route.count, 0)
        XCTAssertTrue(status.lastError?.contains("127.0.0.1, a loopback address") == true, status.lastError ?? "no error")
        XCTAssertEqual(try partner.requests("/rt.pb").count, 0, "the request was sent before the address was checked")
    }

    func testAddressesAreSortedIntoPublicAndNot() {
        for address in ["127.0.0.1", "10.1.2.3", "172.31.255.1", "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                        "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "ff02::1", "not-an-ip"] {
            XCTAssertNotNil(FeedTargetPolicy.nonPublicKind(of: address), "\(address) counted as public")
        }
        for address in ["8.8.8.8", "172.32.0.1", "192.169.1.1", "100.128.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            XCTAssertNil(FeedTargetPolicy.nonPublicKind(of: address), "\(address) counted as not public")
        }
    }

    func testRedirectsMayNotLeaveHTTPSForHTTP() throws {
        let policy = FeedTargetPolicy(source: FeedSource(url: URL(string: "https://partner.example/rt.pb")!, period: .seconds(30),
                                                         allowedHosts: ["cdn.example"]))
        XCTAssertNoThrow(try policy.check(URL(string: "https://partner.example/other.pb")!, after: URL(string: "https://partner.example/rt.pb")!))
        XCTAssertNoThrow(try policy.check(URL(string: "https://cdn.example/rt.pb")!, after: URL(string: "https://partner.example/rt.pb")!))
        XCTAssertThrowsError(try policy.check(URL(string: "http://partner.example/rt.pb")!, after: URL(string: "https://partner.example/rt.pb")!))
        XCTAssertThrowsError(try policy.check(URL(string: "file:///etc/passwd")!, after: URL(string: "https://partner.example/rt.pb")!))
        XCTAssertThrowsError(try policy.check(URL(string: "https://partner.example:8443/rt.pb")!, after: URL(string: "https://partner.example/rt.pb")!))
        XCTAssertTrue(policy.isOwnOrigin(URL(string: "https://PARTNER.example:443/x")!))
        XCTAssertFalse(policy.isOwnOrigin(URL(string: "https://cdn.example/x")!))
    }
}
