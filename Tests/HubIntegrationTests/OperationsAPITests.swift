import Foundation
import HubCore
import HubRuntime
import HubServices
@testable import HubStore
import HubTesting
import Synchronization
import XCTest

/// The operations API over real HTTP against a running hub fed over MQTT and webhooks.
final class OperationsAPITests: XCTestCase {
    private var broker: MosquittoBroker!

    override func setUpWithError() throws {
        broker = try MosquittoBroker()
        try broker.start()
    }

    override func tearDown() {
        broker?.stop()
    }

    private typealias Hub = OperationsHub

    func testHealthReadinessMetricsAndAccess() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let client = hub.client
        XCTAssertEqual(try client.send("GET", "/healthz").json?["status"], .string("ok"))
        let ready = try client.send("GET", "/readyz")
        XCTAssertEqual(ready.status, 200, ready.text)
        // metrics is not open in this configuration.
        XCTAssertEqual(try client.send("GET", "/metrics").status, 401)
        XCTAssertEqual(try client.send("GET", "/api/v1/events").status, 401)
        let wrong = try client.send("GET", "/api/v1/events", token: "not-a-token-0123456789")
        XCTAssertEqual(wrong.status, 401)
        XCTAssertEqual(wrong.json?["error"], .string("unauthorized"))
        XCTAssertEqual(try client.send("GET", "/api/v1/events", token: Hub.partnerToken).status, 403)
        XCTAssertEqual(try client.send("POST", "/ingest/partner", token: Hub.readerToken, body: Hub.reading(1)).status, 403)
        XCTAssertEqual(try client.send("POST", "/api/v1/deadletters/1/replay", token: Hub.readerToken).status, 403)
        XCTAssertEqual(try client.send("GET", "/api/v1/nothing", token: Hub.readerToken).status, 404)
        XCTAssertEqual(try client.send("DELETE", "/api/v1/events", token: Hub.readerToken).status, 405)
        // The token may also come as access_token (EventSource and download links cannot set headers).
        XCTAssertEqual(try client.send("GET", "/api/v1/routes?access_token=\(Hub.readerToken)").status, 200)

        try hub.publish(0..<20, expectedEvents: 20)
        let metrics = try client.send("GET", "/metrics", token: Hub.readerToken)
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.headers["content-type"]?.hasPrefix("text/plain") ?? false)
        for line in [
            #"hub_route_messages_received_total{hub="hub-ops",route="air-quality"} 20"#,
            #"hub_route_events_stored_total{hub="hub-ops",route="air-quality"} 20"#,
            #"hub_route_dead_letters_total{hub="hub-ops",route="partner"} 0"#,
            #"hub_mqtt_connected{hub="hub-ops"} 1"#, #"hub_batch_commit_seconds_bucket{hub="hub-ops",le="+Inf"} "#,
            "# TYPE hub_batch_commit_seconds histogram",
            #"hub_route_queue_depth{hub="hub-ops",route="air-quality"} "#, "# TYPE process_cpu_seconds_total counter",
            "# TYPE process_resident_memory_bytes gauge", "# TYPE process_open_fds gauge", "# TYPE process_start_time_seconds gauge",
            #"hub_build_info{hub="hub-ops",libmicrohttpd=""#, "# TYPE hub_route_devices_inactive gauge",
        ] {
            XCTAssertTrue(metrics.text.contains(line), "metrics lack \(line)")
        }
        for gone in ["hub_route_decode_errors_total", "_per_second_"] {
            XCTAssertFalse(metrics.text.contains(gone), "\(gone): a duplicate counter or a precomputed rate")
        }
        let buildInfo = try XCTUnwrap(metrics.text.split(separator: "\n").first { $0.hasPrefix("hub_build_info{") })
        XCTAssertTrue(buildInfo.hasSuffix("} 1") && buildInfo.contains(#"version="0.1.0""#) && buildInfo.contains(#"sqlite="3."#), "\(buildInfo)")
    }

    func testReadinessFailsWithTheReasonWhenTheBrokerIsGone() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        broker.stop()
        XCTAssertTrue(waitUntil(timeout: 10) { !hub.runtime.isConnected })
        let ready = try hub.client.send("GET", "/readyz")
        XCTAssertEqual(ready.status, 503)
        XCTAssertTrue(ready.text.contains("not connected to the MQTT broker"), ready.text)
        XCTAssertEqual(ready.headers["retry-after"], "5")
    }

    func testWebhookEventsAreInTheStoreWhen202IsAnswered() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let client = hub.client
        let accepted = try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(7),
                                       headers: ["Content-Type": "application/json"])
        XCTAssertEqual(accepted.status, 202, accepted.text)
        XCTAssertEqual(accepted.json?["status"], .string("stored"))
        XCTAssertEqual(accepted.json?["events"], .number(1))
        // Committed before the answer: read straight from the store, no waiting.
        let id = EventID.make(type: "PartnerReading", entity: Hub.entity(7, type: "PartnerReading"), observedAt: Hub.observedAt(7))
        XCTAssertEqual(try hub.runtime.store.event(id: id)?.attributes["no2"], .number(7, unit: "GQ"))

        let refused = try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Data(#"{"device":"#.utf8))
        XCTAssertEqual(refused.status, 202, refused.text)
        XCTAssertEqual(refused.json?["status"], .string("dead-lettered"))
        XCTAssertTrue(refused.json?["reason"]?.stringValue?.contains("not valid JSON") ?? false, refused.text)
        XCTAssertEqual(try hub.runtime.store.deadLetterCount(), 1)

        let big = try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Data(repeating: 0x20, count: 4096))
        XCTAssertEqual(big.status, 413, big.text)
        XCTAssertTrue(big.json?["message"]?.stringValue?.contains("2048") ?? false, big.text)
        // Past the server-wide limit on a route without its own.
        XCTAssertEqual(try client.send("POST", "/ingest/invoices", token: Hub.partnerToken,
                                       body: Data(repeating: 0x20, count: 70_000)).status, 413)
        XCTAssertEqual(try client.send("POST", "/ingest/ghost", token: Hub.partnerToken, body: Hub.reading(1)).status, 404)
        XCTAssertEqual(try client.send("POST", "/ingest/air-quality", token: Hub.partnerToken, body: Hub.reading(1)).status, 404)
        XCTAssertEqual(try hub.runtime.store.eventCount(), 1)
    }

    func testASaturatedRouteAnswers503WithRetryAfter() throws {
        // Batches of one record: the writer cannot gather every request into the batch it is stuck on,
        // however quickly the requests arrive.
        let hub = try OperationsHub(broker: broker, routeCapacity: 1, busCapacity: 1, batchSize: 1, commitTimeoutSeconds: 3)
        defer { hub.stop() }
        // Hold the database's write lock: the writer cannot commit, the bus and the route's queue fill up.
        let blocker = try SQLiteConnection(path: hub.fixture.databasePath, readOnly: false, busyTimeout: .seconds(1))
        try blocker.run("BEGIN IMMEDIATE")
        let statuses = LockedList<(Int, String?)>()
        let client = hub.client
        let group = DispatchGroup()
        for index in 0..<12 {
            group.enter()
            Thread {
                if let response = try? client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(index)) {
                    statuses.append((response.status, response.headers["retry-after"]))
                }
                group.leave()
            }.start()
        }
        group.wait()
        try blocker.run("ROLLBACK")
        try blocker.close()
        let all = statuses.items
        XCTAssertEqual(all.count, 12)
        let saturated = all.filter { $0.0 == 503 && $0.1 == "1" }
        XCTAssertFalse(saturated.isEmpty, "no 503 with Retry-After: 1 among \(all.map(\.0))")
        // What was accepted is committed once the store is free again.
        let acceptedOrPending = all.count - saturated.count
        XCTAssertTrue(waitUntil(timeout: 20) { (try? hub.runtime.store.eventCount()) == acceptedOrPending },
                      "\((try? hub.runtime.store.eventCount()) ?? -1) events stored, \(acceptedOrPending) accepted")
    }

    func testEventsFiltersPaginationExportsAndErrors() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let client = hub.client
        try hub.publish(0..<120, expectedEvents: 120)
        func get(_ path: String, token: String = Hub.readerToken) throws -> HTTPTestResponse { try client.send("GET", path, token: token) }

        // Newest first, pages of 50 with a cursor: every event once.
        var seen: [String] = []
        var path = "/api/v1/events?limit=50"
        var pages = 0
        while true {
            let page = try get(path)
            XCTAssertEqual(page.status, 200, page.text)
            let items = page.json?["items"]?.arrayValue ?? []
            seen += items.compactMap { $0["observedAt"]?.stringValue }
            pages += 1
            guard let cursor = page.json?["nextCursor"]?.stringValue else { break }
            path = "/api/v1/events?limit=50&cursor=\(cursor)"
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.count, 120)
        XCTAssertEqual(Set(seen).count, 120)
        XCTAssertEqual(seen.first, Hub.observedAt(119).iso8601, "newest first")

        let entity = Hub.entity(3)
        let byEntity = try get("/api/v1/events?entity=\(entity)&limit=1000").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(byEntity.count, 12)
        XCTAssertTrue(byEntity.allSatisfy { $0["entity"] == .string(entity) })
        let range = "from=\(Hub.observedAt(10).iso8601)&to=\(Hub.observedAt(20).iso8601)"
        XCTAssertEqual(try get("/api/v1/events?\(range)").json?["items"]?.arrayValue?.count, 10)
        // Devices 2 and 3 sit at longitudes 4.82 and 4.83.
        let boxed = try get("/api/v1/events?bbox=4.815,45.7,4.835,45.8&limit=1000").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(boxed.count, 24)
        XCTAssertEqual(try get("/api/v1/events?type=AirQualityObserved&route=air-quality&limit=5").json?["items"]?.arrayValue?.count, 5)
        XCTAssertEqual(try get("/api/v1/events?type=Nothing").json?["items"]?.arrayValue?.count, 0)

        for bad in ["limit=0", "limit=5000", "bbox=1,2,3", "bbox=10,0,5,1", "from=yesterday", "cursor=abc", "colour=red",
                    "\(range.replacingOccurrences(of: "from", with: "x"))", "from=\(Hub.observedAt(20).iso8601)&to=\(Hub.observedAt(10).iso8601)"] {
            let response = try get("/api/v1/events?\(bad)")
            XCTAssertEqual(response.status, 400, bad)
            XCTAssertFalse(response.json?["message"]?.stringValue?.isEmpty ?? true, "a reason for \(bad)")
        }

        let entities = try get("/api/v1/entities?limit=4")
        XCTAssertEqual(entities.json?["items"]?.arrayValue?.count, 4)
        XCTAssertNotNil(entities.json?["nextCursor"]?.stringValue)
        let latest = try get("/api/v1/entities/\(entity)")
        XCTAssertEqual(latest.status, 200, latest.text)
        XCTAssertEqual(latest.json?["observedAt"], .string(Hub.observedAt(113).iso8601))
        XCTAssertEqual(latest.json?["location"]?["coordinates"], .array([.number(4.83), .number(45.75)]))
        XCTAssertEqual(try get("/api/v1/entities/urn:ngsi-ld:AirQualityObserved:nope").status, 404)

        let csv = try get("/api/v1/events.csv?entity=\(entity)&limit=1000")
        XCTAssertEqual(csv.status, 200)
        XCTAssertTrue(csv.headers["content-type"]?.hasPrefix("text/csv") ?? false)
        let lines = csv.text.split(separator: "\r\n")
        XCTAssertEqual(lines.first, "id,type,entity,observedAt,receivedAt,route,latitude,longitude,attributes")
        XCTAssertEqual(lines.count, 13)
        XCTAssertTrue(lines[1].contains(#""{""no2"":{""unitCode"":""GQ"",""value"":113},""refDevice"":{""value"":""urn:ngsi-ld:Device:aq-3""}}""#),
                      String(lines[1]))

        let geo = try get("/api/v1/entities.geojson")
        XCTAssertEqual(geo.json?["type"], .string("FeatureCollection"))
        XCTAssertEqual(geo.json?["features"]?.arrayValue?.count, 10)

        let ngsi = try get("/ngsi-ld/v1/entities?type=AirQualityObserved&limit=100")
        XCTAssertEqual(ngsi.status, 200, ngsi.text)
        let first = ngsi.json?.arrayValue?.first
        XCTAssertEqual(ngsi.json?.arrayValue?.count, 10)
        XCTAssertEqual(first?["no2"]?["type"], .string("Property"))
        XCTAssertEqual(first?["location"]?["type"], .string("GeoProperty"))
        XCTAssertTrue(ngsi.headers["link"]?.contains("ngsi-ld-core-context") ?? false)
        XCTAssertEqual(try get("/ngsi-ld/v1/entities/\(entity)").json?["id"], .string(entity))
        XCTAssertEqual(try get("/ngsi-ld/v1/entities").status, 400)
        XCTAssertEqual(try get("/ngsi-ld/v1/entities/urn:x:nope").status, 404)

        let routes = try get("/api/v1/routes").json?["items"]?.arrayValue ?? []
        // invoices is restricted: a plain read token does not see it listed.
        XCTAssertEqual(routes.compactMap { $0["name"]?.stringValue }, ["air-quality", "partner"])
        XCTAssertEqual(routes[0]["state"], .string("ok"))
        XCTAssertEqual(routes[0]["received"], .number(120))
        XCTAssertGreaterThan(routes[0]["ratePerSecond1m"]?.numberValue ?? 0, 0)
        XCTAssertEqual(routes[1]["state"], .string("waiting"))
        XCTAssertEqual(Set(routes.compactMap { $0["hub"]?.stringValue }), [Hub.hubName], "which hub reports each route")

        let connectors = try get("/api/v1/connectors").json?["items"]?.arrayValue ?? []
        let json = connectors.first { $0["id"] == .string("sensors.json") }
        XCTAssertFalse(json?["summary"]?.stringValue?.isEmpty ?? true)
        XCTAssertEqual(json?["routes"]?.arrayValue?.count, 2)
    }

    func testRestrictedRoutesNeedAScopeThatNamesThem() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let client = hub.client
        XCTAssertEqual(try client.send("POST", "/ingest/invoices", token: Hub.partnerToken, body: Hub.reading(1)).status, 202)
        XCTAssertEqual(try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(2)).status, 202)
        let invoice = "urn:ngsi-ld:Invoice:aq-1"

        XCTAssertEqual(try client.send("GET", "/api/v1/events?route=invoices", token: Hub.readerToken).status, 403)
        let visible = try client.send("GET", "/api/v1/events", token: Hub.readerToken).json?["items"]?.arrayValue ?? []
        XCTAssertEqual(visible.compactMap { $0["route"]?.stringValue }, ["partner"])
        XCTAssertEqual(try client.send("GET", "/api/v1/entities/\(invoice)", token: Hub.readerToken).status, 404)
        XCTAssertEqual(try client.send("GET", "/api/v1/entities/\(invoice)", token: Hub.adminToken).status, 404)

        let accountant = try client.send("GET", "/api/v1/events?route=invoices", token: Hub.accountantToken)
        XCTAssertEqual(accountant.json?["items"]?.arrayValue?.compactMap { $0["entity"]?.stringValue }, [invoice])
        // read:invoices reads invoices only.
        let all = try client.send("GET", "/api/v1/events", token: Hub.accountantToken).json?["items"]?.arrayValue ?? []
        XCTAssertEqual(all.compactMap { $0["route"]?.stringValue }, ["invoices"])
        XCTAssertEqual(try client.send("GET", "/api/v1/entities/\(invoice)", token: Hub.accountantToken).status, 200)

        // The NGSI-LD view hides the same entities, from queries, types and history alike.
        func ngsi(_ path: String, _ token: String) throws -> HTTPTestResponse { try client.send("GET", "/ngsi-ld/v1/\(path)", token: token) }
        let hidden = try ngsi("entities/\(invoice)", Hub.readerToken)
        XCTAssertEqual(hidden.status, 404)
        XCTAssertEqual(hidden.json?["type"], .string("https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound"))
        XCTAssertEqual(try ngsi("entities?type=Invoice&count=true", Hub.readerToken).headers["ngsild-results-count"], "0")
        XCTAssertEqual(try ngsi("entities?q=no2%3E0&count=true", Hub.readerToken).headers["ngsild-results-count"], "1")
        XCTAssertEqual(try ngsi("types", Hub.readerToken).json?["typeList"], .array([.string("PartnerReading")]))
        XCTAssertEqual(try ngsi("temporal/entities/\(invoice)", Hub.readerToken).status, 404)
        XCTAssertEqual(try ngsi("entities/\(invoice)", Hub.accountantToken).json?["id"], .string(invoice))
        XCTAssertEqual(try ngsi("types", Hub.accountantToken).json?["typeList"], .array([.string("Invoice")]))
        XCTAssertEqual(try ngsi("temporal/entities/\(invoice)", Hub.accountantToken).json?["no2"]?.arrayValue?.count, 1)
        XCTAssertEqual(try client.send("GET", "/ngsi-ld/v1/types", token: nil).status, 401)
    }

    func testAReplayedDeadLetterBecomesAnEventOnceTheRouteIsFixed() throws {
        let fixture = try HubFixture()
        // The partner route is misconfigured: its id field is not in the payloads.
        let broken = try OperationsHub(broker: broker, fixture: fixture, partnerIDField: "sensor")
        let refused = try broken.client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(5))
        XCTAssertEqual(refused.json?["status"], .string("dead-lettered"), refused.text)
        let listed = try broken.client.send("GET", "/api/v1/deadletters", token: Hub.readerToken)
        let letter = listed.json?["items"]?.arrayValue?.first
        XCTAssertEqual(letter?["route"], .string("partner"))
        XCTAssertTrue(letter?["reason"]?.stringValue?.contains("sensor") ?? false, listed.text)
        XCTAssertEqual(letter?["replayedAt"], .null)
        let id = Int(letter?["id"]?.numberValue ?? 0)
        let whole = try broken.client.send("GET", "/api/v1/deadletters/\(id)", token: Hub.readerToken)
        XCTAssertEqual(whole.json?["payloadBase64"], .string(Hub.reading(5).base64EncodedString()))
        // Replaying before the fix fails again, and says so.
        let stillBroken = try broken.client.send("POST", "/api/v1/deadletters/\(id)/replay", token: Hub.adminToken)
        XCTAssertEqual(stillBroken.status, 422, stillBroken.text)
        broken.stop()

        let fixed = try OperationsHub(broker: broker, fixture: fixture)
        defer { fixed.stop() }
        let replay = try fixed.client.send("POST", "/api/v1/deadletters/\(id)/replay", token: Hub.adminToken)
        XCTAssertEqual(replay.status, 200, replay.text)
        XCTAssertEqual(replay.json?["events"], .number(1))
        let events = try fixed.client.send("GET", "/api/v1/events?route=partner", token: Hub.readerToken).json?["items"]?.arrayValue
        XCTAssertEqual(events?.first?["entity"], .string(Hub.entity(5, type: "PartnerReading")))
        let after = try fixed.client.send("GET", "/api/v1/deadletters/\(id)", token: Hub.readerToken)
        XCTAssertNotEqual(after.json?["replayedAt"], .null)
        XCTAssertEqual(try fixed.client.send("POST", "/api/v1/deadletters/\(id)/replay", token: Hub.adminToken).status, 409)
        XCTAssertEqual(try fixed.client.send("POST", "/api/v1/deadletters/999/replay", token: Hub.adminToken).status, 404)
        XCTAssertEqual(try fixed.client.send("POST", "/api/v1/deadletters/x/replay", token: Hub.adminToken).status, 400)
    }

    func testTheStreamCarriesEventsPublishedOverMQTT() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let stream = hub.client.openStream("/api/v1/stream?type=AirQualityObserved&route=air-quality", token: Hub.readerToken)
        defer { stream.cancel() }
        let other = hub.client.openStream("/api/v1/stream?route=partner", token: Hub.readerToken)
        defer { other.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { stream.text.contains(": connected") && other.text.contains(": connected") })
        XCTAssertEqual(stream.status, 200)
        try hub.publish(0..<5, expectedEvents: 5)
        XCTAssertTrue(waitUntil(timeout: 10) { stream.text.components(separatedBy: "event: event\n").count - 1 == 5 }, stream.text)
        for device in 0..<5 { XCTAssertTrue(stream.text.contains(Hub.entity(device)), "event of aq-\(device)") }
        XCTAssertFalse(other.text.contains("event: event"), "the partner-only stream got air-quality events")
        let unauthorized = hub.client.openStream("/api/v1/stream")
        defer { unauthorized.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { unauthorized.status == 401 })
    }

    func testAStreamResumedWithLastEventIDMissesNothingAndRepeatsNothingAcrossADisconnectDuringABurst() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let path = "/api/v1/stream?route=air-quality"
        let first = hub.client.openStream(path, token: Hub.readerToken)
        XCTAssertTrue(waitUntil(timeout: 10) { first.text.contains(": connected") })
        let publisher = try makePublisher(broker, clientID: "ops-burst-\(UUID().uuidString.prefix(8))")
        defer { publisher.stop() }
        let bursts = DispatchGroup()
        // A burst is paced (about 2 ms a reading), so that it spans many commits however fast the
        // hub stores: a client that leaves after 50 events leaves in the middle of it.
        func burst(_ range: Range<Int>) {
            DispatchQueue.global().async(group: bursts) {
                for index in range {
                    _ = try? publisher.publish(topic: "city/air/aq-\(index % 10)/reading", payload: Hub.reading(index), qos: 1)
                    Thread.sleep(forTimeInterval: 0.002)
                }
            }
        }
        let store = hub.runtime.store
        func waitForBurst(_ total: Int) {
            XCTAssertEqual(bursts.wait(timeout: .now() + 60), .success)
            XCTAssertTrue(waitUntil(timeout: 30) { (try? store.eventCount()) == total }, "the burst was not stored")
        }
        // The client leaves in the middle of a burst, which ends while it is away.
        burst(0..<300)
        XCTAssertTrue(waitUntil(timeout: 20) { first.eventIDs.count >= 50 }, first.text)
        first.cancel()
        waitForBurst(300)
        let seen = first.eventIDs
        let lastSeen = try XCTUnwrap(seen.last)
        XCTAssertLessThan(seen.count, 300, "the client left before the burst ended")
        // It comes back as a second burst begins.
        burst(300..<600)
        let resumed = hub.client.openStream(path, token: Hub.readerToken, headers: ["Last-Event-ID": String(lastSeen)])
        defer { resumed.cancel() }
        waitForBurst(600)
        let stored = try hub.runtime.store.events(matching: EventFilter(), after: 0, limit: 1000).map(\.seq)
        XCTAssertEqual(stored.count, 600)
        XCTAssertTrue(waitUntil(timeout: 20) { resumed.eventIDs.last == stored.last }, "resumed stream: \(resumed.eventIDs.count) events")
        XCTAssertEqual(seen + resumed.eventIDs, stored, "every stored event once, in order, across the two connections")
        let storedIDs = try hub.runtime.store.events(matching: EventFilter(), after: 0, limit: 1000).map(\.event.id.rawValue)
        XCTAssertEqual(Self.eventIDsInFrames(first.text) + Self.eventIDsInFrames(resumed.text), storedIDs,
                       "each frame carries the event stored under its id:")

        let bad = try hub.client.send("GET", path, token: Hub.readerToken, headers: ["Last-Event-ID": "yesterday"])
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad.text.contains("Last-Event-ID"), bad.text)
    }

    /// The event ids in the `data:` of the complete frames of a stream's text.
    private static func eventIDsInFrames(_ text: String) -> [String] {
        text.components(separatedBy: "\n\n").dropLast().compactMap { frame in
            frame.split(separator: "\n").first { $0.hasPrefix("data: ") }
                .flatMap { try? JSONValue(parsing: Data($0.dropFirst(6).utf8)) }?["id"]?.stringValue
        }
    }

    func testAStreamClientThatFallsBehindIsDroppedAndTheHubGoesOn() throws {
        let hub = try OperationsHub(broker: broker, streamBufferEvents: 2)
        defer { hub.stop() }
        let behind = hub.client.openStream("/api/v1/stream", token: Hub.readerToken)
        defer { behind.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { behind.text.contains(": connected") })
        // Hold the store so that five readings pile up and reach the stream in at most two commits:
        // one of them carries at least three events, more than the client's buffer of two.
        let blocker = try SQLiteConnection(path: hub.fixture.databasePath, readOnly: false, busyTimeout: .seconds(1))
        try blocker.run("BEGIN IMMEDIATE")
        try hub.publish(0..<5, expectedEvents: nil)
        XCTAssertTrue(waitUntil(timeout: 10) { hub.runtime.metrics.route("air-quality").eventsDecoded.value == 5 })
        try blocker.run("ROLLBACK")
        try blocker.close()
        XCTAssertTrue(waitUntil(timeout: 20) { (try? hub.runtime.store.eventCount()) == 5 }, "the hub was held back")
        XCTAssertTrue(waitUntil(timeout: 10) { behind.hasEnded }, "the client that fell behind was not dropped")
        let metrics = try hub.client.send("GET", "/metrics", token: Hub.readerToken).text
        XCTAssertTrue(metrics.contains(#"hub_stream_clients_dropped_total{hub="hub-ops"} 1"#), metrics)
        // A client that keeps up still gets what comes next.
        let next = hub.client.openStream("/api/v1/stream", token: Hub.readerToken)
        defer { next.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { next.text.contains(": connected") })
        try hub.publish(5..<6, expectedEvents: 6)
        XCTAssertTrue(waitUntil(timeout: 10) { next.text.contains("event: event") })
    }

    func testARouteSilentForLongerThanItsIntervalIsStale() throws {
        let hub = try OperationsHub(broker: broker, airIntervalSeconds: 1)
        defer { hub.stop() }
        try hub.publish(0..<1, expectedEvents: 1)
        func airState() throws -> JSONValue? {
            try hub.client.send("GET", "/api/v1/routes", token: Hub.readerToken).json?["items"]?.arrayValue?.first?["state"]
        }
        XCTAssertTrue(try waitUntil(timeout: 10) { try airState() == .string("stale") })
        try hub.publish(1..<2, expectedEvents: 2)
        XCTAssertEqual(try airState(), .string("ok"))
    }

    func testTLS() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-http-tls")
        let certificates = try TestCertificates.make(in: directory)
        let hub = try OperationsHub(broker: broker, tls: certificates)
        defer { hub.stop() }
        let curl = try ExternalProgram.run(
            ExternalProgram.locate("curl"), ["-sS", "--cacert", certificates.caFile, "https://127.0.0.1:\(hub.port)/healthz"])
        XCTAssertEqual(curl.status, 0, curl.errors)
        XCTAssertEqual(curl.output, #"{"status":"ok"}"#)
    }
}

/// A list appended to from several threads.
final class LockedList<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])
    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    var items: [Element] { storage.withLock { $0 } }
}
