import Foundation
import HubCore
import HubRuntime
import HubServices
@testable import HubStore
import HubTesting
import XCTest

/// Outbound deliveries (`subscriptions[]`) through a running hub to a real HTTP endpoint: every
/// event delivered exactly once by idempotency key, signed, in order per entity, through failures,
/// timeouts, a held target and a SIGKILL; `GET /api/v1/subscriptions` and `/metrics` say how it stands.
final class SubscriptionDeliveryTests: XCTestCase {
    private static let secret = "partner-webhook-secret-0123456789"
    private static let adminToken = "admin-token-0123456789"
    private static let readerToken = "reader-token-0123456789"
    private var fixture: HubFixture!
    private var receiver: WebhookReceiver!

    override func setUpWithError() throws {
        fixture = try HubFixture()
        receiver = try WebhookReceiver(secret: Self.secret)
    }

    override func tearDown() {
        receiver?.stop()
        try? FileManager.default.removeItem(at: fixture.directory)
    }

    /// A webhook route `partner` (readings delivered straight to it) or a folder route, and one
    /// subscription posting everything to the receiver.
    private func configurationJSON(subscription extra: [String: JSONValue] = [:], timeoutMs: Int = 300,
                                   folder: String? = nil, http: Bool = false) -> JSONValue {
        var subscription: [String: JSONValue] = [
            "name": .string("partner-hook"),
            "filter": .object(["types": .array([.string("AirQualityObserved")]), "entity": .string("urn:ngsi-ld:AirQualityObserved:*")]),
            "http": .object([
                "url": .string(receiver.url), "secret": .string("${HOOK_SECRET}"), "timeoutMs": .number(Double(timeoutMs)),
                "retry": .object(["initialDelayMs": .number(20), "maxDelayMs": .number(100)]),
            ]),
            "batchSize": .number(10),
        ]
        subscription.merge(extra) { $1 }
        var route: [String: JSONValue] = ["name": .string("partner"), "connector": .string("sensors.json"), "settings": Readings.routeSettings]
        if let folder {
            route["folder"] = .object(["path": .string(folder), "scanIntervalMs": .number(20)])
        } else {
            route["webhook"] = .object([:])
        }
        var root: [String: JSONValue] = [
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "routes": .array([.object(route)]),
            "subscriptions": .array([.object(subscription)]),
        ]
        if http {
            root["http"] = .object(["port": .number(0), "tokens": .array([
                .object(["name": .string("admin"), "token": .string(Self.adminToken), "scopes": .array([.string("admin")])]),
                .object(["name": .string("reader"), "token": .string(Self.readerToken), "scopes": .array([.string("read")])]),
            ])])
        }
        return .object(root)
    }

    private func makeHub(subscription extra: [String: JSONValue] = [:], timeoutMs: Int = 300, http: Bool = false) throws -> Hub {
        let configuration = try HubConfiguration(json: configurationJSON(subscription: extra, timeoutMs: timeoutMs, http: http),
                                                 environment: ["HOOK_SECRET": Self.secret], catalog: .compiledIn)
        return try Hub(configuration: configuration, logger: quietLogger)
    }

    private func deliver(_ readings: Range<Int>, to hub: Hub) {
        for index in readings {
            let envelope = Envelope(route: "partner", source: .webhook, origin: "/ingest/partner", payload: Readings.payload(index),
                                    receivedAt: .now())
            XCTAssertEqual(hub.deliver(Delivery(envelope), waitForRoom: true), .accepted)
        }
    }

    private func storedEventIDs(_ store: any HubDatabase) throws -> [String] {
        try store.events(matching: EventFilter(), before: nil, limit: 1000).map(\.event.id.rawValue).sorted()
    }

    /// Each entity's events in the order the receiver got them must be in observation order.
    private func assertInOrderPerEntity(file: StaticString = #filePath, line: UInt = #line) {
        var seen: Set<String> = [], lastByEntity: [String: String] = [:]
        for request in receiver.taken where seen.insert(request.key).inserted {
            for (id, entity) in zip(request.eventIDs, request.entities) {
                if let last = lastByEntity[entity] { XCTAssertLessThan(last, id, "out of order for \(entity)", file: file, line: line) }
                lastByEntity[entity] = id
            }
        }
    }

    func testATargetThatFailsTimesOutAndRecoversGetsEveryEventOnceSigned() throws {
        // Two refusals, one answer slower than the hub's 300 ms timeout (taken by the receiver all
        // the same, so the retry must carry the same key), one more refusal, then 200s.
        receiver.script([.answer(500), .answer(503), .slow(seconds: 1), .answer(500)])
        let hub = try makeHub()
        try hub.start()
        defer { hub.stop() }
        deliver(0..<100, to: hub)
        XCTAssertTrue(waitUntil(timeout: 30) { (hub.subscriptionStatuses.first?.delivered ?? 0) == 100 },
                      "\(hub.subscriptionStatuses)")
        let status = try XCTUnwrap(hub.subscriptionStatuses.first)
        XCTAssertEqual(status.lag, 0)
        XCTAssertGreaterThanOrEqual(status.failedAttempts, 4)
        XCTAssertFalse(status.isPaused)
        XCTAssertNil(status.lastError, "cleared by the success")
        XCTAssertEqual(hub.store.outboxStatus()["partner-hook"]?.lag, 0)

        let delivered = receiver.deliveredEventIDs
        XCTAssertEqual(delivered.count, 100, "each event once by idempotency key")
        XCTAssertEqual(delivered.sorted(), try storedEventIDs(hub.store))
        XCTAssertGreaterThan(receiver.taken.count, Set(receiver.taken.map(\.key)).count,
                             "the timed-out request was sent again with the same key")
        XCTAssertTrue(receiver.taken.allSatisfy(\.signatureValid), "every body carries a valid HMAC-SHA256 signature")
        assertInOrderPerEntity()
    }

    func testAHeldTargetDoesNotHoldIntake() throws {
        receiver.script([.held])
        let hub = try makeHub(timeoutMs: 60_000)
        try hub.start()
        defer {
            receiver.release()
            hub.stop()
        }
        deliver(0..<300, to: hub)
        // Every reading committed while the target still holds its first request.
        XCTAssertTrue(try waitUntil(timeout: 30) { try hub.store.eventCount() == 300 })
        XCTAssertEqual(receiver.taken.count, 0)
        XCTAssertEqual(receiver.attempts, 1)
        XCTAssertEqual(hub.subscriptionStatuses.first?.lag, 300, "nothing acknowledged yet")
        receiver.release()
        XCTAssertTrue(waitUntil(timeout: 30) { (hub.subscriptionStatuses.first?.lag ?? -1) == 0 }, "\(hub.subscriptionStatuses)")
        XCTAssertEqual(receiver.deliveredEventIDs.sorted(), try storedEventIDs(hub.store))
        assertInOrderPerEntity()
    }

    func testTheLagLimitDropsTheOldestAndCountsThem() throws {
        receiver.script([.held])
        let hub = try makeHub(subscription: ["maxLag": .number(50), "onLagLimit": .string("dropOldest")], timeoutMs: 60_000)
        try hub.start()
        defer {
            receiver.release()
            hub.stop()
        }
        deliver(0..<120, to: hub)
        XCTAssertTrue(try waitUntil(timeout: 30) { try hub.store.eventCount() == 120 })
        let status = try XCTUnwrap(hub.subscriptionStatuses.first)
        XCTAssertEqual(status.lag, 50)
        XCTAssertEqual(status.dropped, 70)
        let families = Dictionary(hub.metrics.providedFamilies().map { ($0.name, $0.samples) }, uniquingKeysWith: { $1 })
        XCTAssertEqual(families["hub_subscription_dropped_total"]?.first?.value, 70)
        XCTAssertEqual(families["hub_subscription_lag"]?.first?.value, 50)
    }

    func testTheSubscriptionsEndpointNeedsAdminAndSaysHowEachStands() throws {
        receiver.script([.answer(503)])
        let hub = try makeHub(http: true)
        try hub.start()
        defer { hub.stop() }
        let client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
        deliver(0..<5, to: hub)
        XCTAssertTrue(waitUntil(timeout: 30) { (hub.subscriptionStatuses.first?.delivered ?? 0) == 5 })
        XCTAssertEqual(try client.send("GET", "/api/v1/subscriptions").status, 401)
        XCTAssertEqual(try client.send("GET", "/api/v1/subscriptions", token: Self.readerToken).status, 403)
        let response = try client.send("GET", "/api/v1/subscriptions", token: Self.adminToken)
        XCTAssertEqual(response.status, 200)
        let item = try XCTUnwrap(try JSONValue(parsing: response.body).objectValue?["items"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(item["name"]?.stringValue, "partner-hook")
        XCTAssertEqual(item["target"]?.stringValue, receiver.url)
        XCTAssertEqual(item["lag"], .number(0))
        XCTAssertEqual(item["delivered"], .number(5))
        XCTAssertEqual(item["failedAttempts"], .number(1))
        XCTAssertEqual(item["paused"], .bool(false))
        let metrics = try client.send("GET", "/metrics", token: Self.readerToken)
        let text = String(decoding: metrics.body, as: UTF8.self)
        XCTAssertTrue(text.contains(#"hub_subscription_delivered_total{hub="\#(hub.hubName)",subscription="partner-hook"} 5"#), text)
        XCTAssertTrue(text.contains(#"hub_subscription_failed_total{hub="\#(hub.hubName)",subscription="partner-hook"} 1"#), text)
    }

    func testSubscriptionsAreMadeAndRemovedThroughTheAPIAndSurviveARestart() throws {
        setenv("HOOK_SECRET", Self.secret, 1)
        var hub = try makeHub(http: true)
        try hub.start()
        var client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
        let definition = #"""
            {"name":"api-hook","filter":{"entity":"urn:ngsi-ld:AirQualityObserved:aq-1*"},
             "http":{"url":"\#(receiver.url)","secret":"${HOOK_SECRET}","timeoutMs":1000}}
            """#
        XCTAssertEqual(try client.send("POST", "/api/v1/subscriptions", body: Data(definition.utf8)).status, 401)
        XCTAssertEqual(try client.send("POST", "/api/v1/subscriptions", token: Self.readerToken, body: Data(definition.utf8)).status, 403)
        let created = try client.send("POST", "/api/v1/subscriptions", token: Self.adminToken, body: Data(definition.utf8))
        XCTAssertEqual(created.status, 201, String(decoding: created.body, as: UTF8.self))
        XCTAssertEqual(try JSONValue(parsing: created.body).objectValue?["origin"], .string("api"))
        let again = try client.send("POST", "/api/v1/subscriptions", token: Self.adminToken, body: Data(definition.utf8))
        XCTAssertEqual(again.status, 409)
        let bad = try client.send("POST", "/api/v1/subscriptions", token: Self.adminToken,
                                  body: Data(#"{"name":"x","filter":{"routes":["ghost"]},"http":{"url":"http://127.0.0.1:9/"}}"#.utf8))
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).contains(#"filter.routes[0]: no route is named \"ghost\""#),
                      String(decoding: bad.body, as: UTF8.self))
        XCTAssertEqual(try client.send("DELETE", "/api/v1/subscriptions/partner-hook", token: Self.adminToken).status, 409,
                       "a configured subscription is removed from the configuration")

        // aq-1 and aq-10 ... aq-19 match the new one's entity pattern: 11 of the 50 readings.
        deliver(0..<50, to: hub)
        XCTAssertTrue(waitUntil(timeout: 30) { hub.subscriptionStatuses.map(\.delivered) == [50, 11] }, "\(hub.subscriptionStatuses)")
        hub.stop()

        hub = try makeHub(http: true)
        try hub.start()
        defer { hub.stop() }
        client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
        let listed = try client.send("GET", "/api/v1/subscriptions", token: Self.adminToken)
        let names = try JSONValue(parsing: listed.body).objectValue?["items"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue }
        XCTAssertEqual(names, ["partner-hook", "api-hook"], "kept in the store across the restart")
        XCTAssertEqual(try client.send("DELETE", "/api/v1/subscriptions/api-hook", token: Self.adminToken).status, 204)
        XCTAssertEqual(try client.send("DELETE", "/api/v1/subscriptions/api-hook", token: Self.adminToken).status, 404)
        XCTAssertEqual(hub.subscriptionStatuses.map(\.name), ["partner-hook"])
        XCTAssertEqual(try hub.store.savedSubscriptions().count, 0)
    }

    func testATargetDownPastItsLimitIsPausedAndResumes() throws {
        receiver.script(Array(repeating: .answer(503), count: 1000))
        let hub = try makeHub(subscription: ["http": .object([
            "url": .string(receiver.url), "secret": .string("${HOOK_SECRET}"), "timeoutMs": .number(300),
            "retry": .object(["initialDelayMs": .number(20), "maxDelayMs": .number(50), "pauseAfterSeconds": .number(1)]),
        ])])
        try hub.start()
        defer { hub.stop() }
        deliver(0..<3, to: hub)
        XCTAssertTrue(waitUntil(timeout: 30) { hub.subscriptionStatuses.first?.isPaused == true }, "\(hub.subscriptionStatuses)")
        let paused = try XCTUnwrap(hub.subscriptionStatuses.first)
        XCTAssertEqual(paused.lastError, "HTTP 503")
        XCTAssertEqual(paused.lag, 3)
        receiver.script([])
        XCTAssertTrue(waitUntil(timeout: 30) { (hub.subscriptionStatuses.first?.delivered ?? 0) == 3 }, "\(hub.subscriptionStatuses)")
        XCTAssertEqual(hub.subscriptionStatuses.first?.isPaused, false)
    }

    func testAHubKilledWithDeliveriesPendingDeliversThemAllAfterItsRestart() throws {
        setenv("HOOK_SECRET", Self.secret, 1)
        let folder = fixture.directory.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = fixture.directory.appendingPathComponent("hub.json")
        try Data(configurationJSON(folder: folder.path).jsonText.utf8).write(to: configuration)
        receiver.script(Array(repeating: .answer(503), count: 100_000))
        func start(_ run: Int) throws -> RunningProgram {
            let hub = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                         logFile: fixture.directory.appendingPathComponent("run-\(run).log"))
            XCTAssertTrue(waitUntil(timeout: 30) { hub.log.contains("hub running") }, "the hub did not start\n\(hub.log)")
            return hub
        }
        var hub = try start(0)
        for index in 0..<40 { try Readings.payload(index).write(to: folder.appendingPathComponent("reading-\(index).json")) }
        XCTAssertTrue(try waitUntil(timeout: 30) { try fixture.eventCount() == 40 }, hub.log)
        XCTAssertTrue(waitUntil(timeout: 30) { receiver.attempts >= 2 }, "the hub tried, and the target refused")
        hub.kill()
        XCTAssertEqual(receiver.deliveredEventIDs.count, 0)
        receiver.script([])
        hub = try start(1)
        // Delivered, and acknowledged: the outbox empties (read beside the running hub).
        XCTAssertTrue(try waitUntil(timeout: 30) { try outboxCount() == 0 }, hub.log)
        XCTAssertEqual(try hub.terminate(), 0, hub.log)
        let store = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        defer { try? store.close() }
        XCTAssertEqual(receiver.deliveredEventIDs.sorted(), try storedEventIDs(store), "every event once, after the restart")
        XCTAssertTrue(receiver.taken.allSatisfy(\.signatureValid))
    }

    private func outboxCount() throws -> Int {
        let connection = try SQLiteConnection(path: fixture.databasePath, readOnly: true, busyTimeout: .seconds(30))
        defer { try? connection.close() }
        return try connection.query("SELECT count(*) FROM outbox") { Int($0.int64(0)) }.first ?? 0
    }
}
