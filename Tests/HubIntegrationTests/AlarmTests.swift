import Foundation
import HubCore
@testable import HubRuntime
import HubServices
import HubStore
import HubTesting
import MobilityPlugin
import XCTest

/// Rules and alarms through a running hub: real events arrive by webhook (sensor readings, a
/// GTFS-Realtime feed, UBL invoices), are committed, and the alarm stage raises, repeats, clears
/// and keeps alarms; operators list and acknowledge them over HTTP; alarms survive a restart.
/// Durations are configured short or carried by observation times, and every wait polls with a deadline.
final class AlarmTests: XCTestCase {
    private let ingest = "ingest-token-0123456789"
    private let reader = "reader-token-0123456789"
    private let operatorToken = "operator-token-0123456789"
    private let accountsOperator = "accounts-operator-token-0123456789"

    private var fixture: HubFixture!
    private var hub: Hub!
    private var client: HTTPTestClient!

    override func setUpWithError() throws {
        fixture = try HubFixture()
        try startHub()
    }

    override func tearDownWithError() throws {
        hub?.stop()
        try? FileManager.default.removeItem(at: fixture.directory)
    }

    private func startHub(busLateAbove: Int = 300) throws {
        func token(_ name: String, _ secret: String, _ scopes: [String]) -> JSONValue {
            .object(["name": .string(name), "token": .string(secret), "scopes": .array(scopes.map(JSONValue.string))])
        }
        func rule(_ name: String, _ severity: String, _ members: [String: JSONValue]) -> JSONValue {
            .object(members.merging(["name": .string(name), "severity": .string(severity)]) { $1 })
        }
        let json = JSONValue.object([
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5)]),
            "http": .object([
                "address": .string("127.0.0.1"), "port": .number(0),
                "tokens": .array([
                    token("feeds", ingest, ["ingest:air", "ingest:buses", "ingest:invoices"]),
                    token("reader", reader, ["read"]),
                    token("duty-operator", operatorToken, ["read", "operate"]),
                    token("accounts-operator", accountsOperator, ["read:invoices", "operate"]),
                ]),
            ]),
            "routes": .array([
                .object(["name": .string("air"), "webhook": .object([:]), "connector": .string("sensors.json"),
                         "settings": .object(OperationsHub.sensorSettings.merging(["units": .object(["no2": .string("GQ")])]) { $1 })]),
                .object(["name": .string("buses"), "webhook": .object([:]), "connector": .string("mobility.gtfs-rt")]),
                .object(["name": .string("invoices"), "webhook": .object([:]), "connector": .string("einvoicing.ubl"),
                         "restricted": .bool(true)]),
            ]),
            "rules": .array([
                rule("no2-high", "major", [
                    "types": .array([.string("AirQualityObserved")]), "entity": .string("urn:ngsi-ld:AirQualityObserved:dur-*"),
                    "threshold": .object(["attribute": .string("no2"), "above": .number(200), "hysteresis": .number(20)]),
                    "forSeconds": .number(600),
                ]),
                rule("no2-hourly", "critical", [
                    "routes": .array([.string("air")]), "entity": .string("urn:ngsi-ld:AirQualityObserved:mean-*"),
                    "threshold": .object(["attribute": .string("no2"), "mean": .string("hourly"), "above": .number(200),
                                          "hysteresis": .number(20)]),
                ]),
                rule("station-silent", "warning", [
                    "types": .array([.string("AirQualityObserved")]), "entity": .string("urn:ngsi-ld:AirQualityObserved:quiet-*"),
                    "absence": .object(["seconds": .number(2)]),
                ]),
                rule("invoice-failures", "major", [
                    "types": .array([.string("InvoiceReceived")]), "predicate": .string("failures is not empty"),
                ]),
                rule("bus-late", "minor", [
                    "types": .array([.string("TripUpdate")]), "predicate": .string("delay > \(busLateAbove)"),
                ]),
            ]),
        ])
        hub = try Hub(configuration: HubConfiguration(json: json, environment: [:], catalog: .compiledIn), logger: quietLogger)
        try hub.start()
        client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
    }

    // MARK: - Helpers

    private func post(_ route: String, _ body: Data) throws {
        let answer = try client.send("POST", "/ingest/\(route)", token: ingest, body: body)
        XCTAssertEqual(answer.status, 202, answer.text)
        XCTAssertEqual(answer.json?["status"]?.stringValue, "stored", answer.text)
    }

    private func reading(_ device: String, no2: Double, at time: Timestamp) throws {
        let evaluated = hub.alarmStage.evaluated.value
        try post("air", Data(#"{"device":"\#(device)","observedAt":"\#(time.iso8601)","no2":\#(no2),"lat":45.75,"lon":4.85}"#.utf8))
        // Evaluated (the alarm stage runs after the commit the webhook waited for).
        XCTAssertTrue(waitUntil(timeout: 20) { hub.alarmStage.evaluated.value > evaluated })
    }

    private func tripUpdate(_ trip: String, delay: Int64, timestamp: UInt64) throws {
        var writer = ProtobufWriter()
        writer.message(1) { header in
            header.string(1, "2.0")
            header.uint(3, timestamp)
        }
        writer.message(2) { entity in
            entity.string(1, "e-\(trip)")
            entity.message(3) { update in
                update.message(1) { descriptor in
                    descriptor.string(1, trip)
                    descriptor.string(5, "line-4")
                }
                update.uint(4, timestamp)
                update.int(5, delay)
            }
        }
        let evaluated = hub.alarmStage.evaluated.value
        try post("buses", Data(writer.bytes))
        XCTAssertTrue(waitUntil(timeout: 20) { hub.alarmStage.evaluated.value > evaluated })
    }

    /// The alarms of `rule` (all of them, newest first), read from the store.
    private func alarms(_ rule: String) throws -> [AlarmRecord] {
        var query = AlarmQuery()
        query.rule = rule
        return try hub.store.alarms(matching: query, limit: 100)
    }

    /// Waits until `condition` holds for the alarms of `rule`, and returns them.
    @discardableResult
    private func waitForAlarms(_ rule: String, file: StaticString = #filePath, line: UInt = #line,
                               _ condition: ([AlarmRecord]) -> Bool) throws -> [AlarmRecord] {
        var last: [AlarmRecord] = []
        let met = try waitUntil(timeout: 20) {
            last = try alarms(rule)
            return condition(last)
        }
        XCTAssertTrue(met, "alarms of \(rule): \(last)", file: file, line: line)
        return last
    }

    /// The types of the events of `alarm`, once there are `count` of them (they are committed after the alarm is saved).
    private func alarmEvents(_ alarm: AlarmRecord, count: Int = 2) throws -> [String] {
        var types: [String] = []
        _ = try waitUntil(timeout: 20) {
            types = try hub.store.events(entity: "urn:ngsi-ld:Alarm:\(alarm.id ?? 0)", limit: 10).map(\.type).sorted()
            return types.count >= count
        }
        return types
    }

    // MARK: - Rule kinds

    /// "no2 above 200 for 10 minutes, clears at 180": held by observation times, repeated, kept
    /// inside the hysteresis band, cleared past it; each change an event.
    func testThresholdWithDurationAndHysteresis() throws {
        let start = Timestamp.now().adding(microseconds: -120_000_000)
        func at(_ seconds: Int64) -> Timestamp { start.adding(microseconds: seconds * 1_000_000) }
        try reading("dur-1", no2: 250, at: at(0))
        try reading("dur-1", no2: 260, at: at(300))
        XCTAssertEqual(try alarms("no2-high"), [], "above the limit for 5 minutes only")
        try reading("dur-1", no2: 150, at: at(400))
        try reading("dur-1", no2: 255, at: at(500))
        try reading("dur-1", no2: 240, at: at(1000))
        XCTAssertEqual(try alarms("no2-high"), [], "the dip to 150 started the duration again: 500 s above")
        try reading("dur-1", no2: 245, at: at(1100))
        var alarm = try XCTUnwrap(waitForAlarms("no2-high") { $0.count == 1 }.first)
        XCTAssertEqual(alarm.status, .raised)
        XCTAssertEqual(alarm.entity, "urn:ngsi-ld:AirQualityObserved:dur-1")
        XCTAssertEqual(alarm.severity, "major")
        XCTAssertEqual(alarm.route, "air")
        XCTAssertEqual(alarm.firstObservedAt, at(500), "the condition held since the reading at 500 s")
        XCTAssertEqual(alarm.value, 245)
        XCTAssertEqual(alarm.count, 1)

        try reading("dur-1", no2: 230, at: at(1200))
        alarm = try XCTUnwrap(waitForAlarms("no2-high") { $0.first?.count == 2 }.first)
        XCTAssertEqual(alarm.value, 230, "a repeat updates the value")
        XCTAssertEqual(alarm.lastObservedAt, at(1200))
        try reading("dur-1", no2: 190, at: at(1300))
        XCTAssertEqual(try alarms("no2-high").map(\.status), [.raised], "190 is inside the hysteresis band (clears at 180)")
        XCTAssertEqual(try alarms("no2-high").first?.count, 2)
        try reading("dur-1", no2: 175, at: at(1400))
        alarm = try XCTUnwrap(waitForAlarms("no2-high") { $0.first?.status == .cleared }.first)
        XCTAssertTrue(alarm.clearedReason?.contains("no2 175") == true, alarm.clearedReason ?? "")
        XCTAssertEqual(try alarmEvents(alarm), ["AlarmCleared", "AlarmRaised"])
        try reading("dur-1", no2: 500, at: at(1500))
        XCTAssertEqual(try alarms("no2-high").count, 1, "a new condition waits its 10 minutes again")
    }

    /// The hourly mean of no2, read from the roll-ups: raised when it passes 200, updated, cleared when it falls to 180.
    func testRollUpMean() throws {
        let hour = (Timestamp.now().microsecondsSinceEpoch / 3_600_000_000 - 2) * 3_600_000_000
        func at(_ minute: Int64) -> Timestamp { Timestamp(microsecondsSinceEpoch: hour + minute * 60_000_000) }
        try reading("mean-1", no2: 150, at: at(1))
        XCTAssertEqual(try alarms("no2-hourly"), [])
        try reading("mean-1", no2: 300, at: at(2))
        var alarm = try XCTUnwrap(waitForAlarms("no2-hourly") { $0.count == 1 }.first)
        XCTAssertEqual(alarm.value, 225, "the mean of 150 and 300")
        XCTAssertEqual(alarm.severity, "critical")
        XCTAssertTrue(alarm.message.contains("hourly mean of no2 225"), alarm.message)
        try reading("mean-1", no2: 240, at: at(3))
        alarm = try XCTUnwrap(waitForAlarms("no2-hourly") { $0.first?.count == 2 }.first)
        XCTAssertEqual(alarm.value, 230)
        try reading("mean-1", no2: 60, at: at(4))
        XCTAssertEqual(try alarms("no2-hourly").first?.status, .raised, "a mean of 187.5, (150+300+240+60)/4, is inside the hysteresis band")
        try reading("mean-1", no2: 50, at: at(5))
        alarm = try XCTUnwrap(waitForAlarms("no2-hourly") { $0.first?.status == .cleared }.first, "a mean of 160")
        XCTAssertEqual(try alarmEvents(alarm), ["AlarmCleared", "AlarmRaised"])
    }

    /// No reading from a station for 2 s raises an alarm; the next reading clears it.
    func testAbsence() throws {
        try reading("quiet-1", no2: 20, at: .now())
        let alarm = try XCTUnwrap(waitForAlarms("station-silent") { $0.count == 1 }.first)
        XCTAssertEqual(alarm.entity, "urn:ngsi-ld:AirQualityObserved:quiet-1")
        XCTAssertEqual(alarm.status, .raised)
        try reading("quiet-1", no2: 21, at: .now())
        try waitForAlarms("station-silent") { $0.contains { $0.id == alarm.id && $0.status == .cleared } }
        XCTAssertEqual(try alarms("no2-high"), [], "other rules watch other entities")
    }

    /// An invoice with a failed EN 16931 check raises an alarm; another failing document of the
    /// same invoice repeats it; a valid invoice raises none.
    func testInvoiceFailures() throws {
        let original = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("ubl/ubl-tc434-example1.xml"))
        let text = String(decoding: original, as: UTF8.self)
        let broken = text.replacing(#"<cbc:TaxInclusiveAmount currencyID="EUR">250.33</cbc:TaxInclusiveAmount>"#,
                                    with: #"<cbc:TaxInclusiveAmount currencyID="EUR">999.99</cbc:TaxInclusiveAmount>"#)
        XCTAssertNotEqual(broken, text)
        try post("invoices", Data(broken.utf8))
        let alarm = try XCTUnwrap(waitForAlarms("invoice-failures") { $0.count == 1 }.first)
        XCTAssertEqual(alarm.entityType, "InvoiceReceived")
        XCTAssertTrue(alarm.message.contains("BR-CO-15"), alarm.message)
        try post("invoices", Data(broken.replacing("<cbc:Note>", with: "<cbc:Note>Sent again. ", maxReplacements: 1).utf8))
        try waitForAlarms("invoice-failures") { $0.first?.count == 2 }
        // The invoices route is restricted: an operator who cannot read it cannot see the alarm, nor acknowledge it.
        let id = try XCTUnwrap(alarm.id)
        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/\(id)/acknowledge", token: operatorToken).status, 404)
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms", token: operatorToken).json?["items"], .array([]))
        XCTAssertEqual(try alarms("invoice-failures").first?.status, .raised, "refused: nothing changed")
        let acknowledged = try client.send("POST", "/api/v1/alarms/\(id)/acknowledge", token: accountsOperator)
        XCTAssertEqual(acknowledged.status, 200, acknowledged.text)
        XCTAssertEqual(acknowledged.json?["acknowledgedBy"], .string("accounts-operator"))

        let valid = try Data(contentsOf: FolderIntakeTests.fixtures.appendingPathComponent("ubl/ubl-tc434-example2.xml"))
        let evaluated = hub.alarmStage.evaluated.value
        try post("invoices", valid)
        XCTAssertTrue(waitUntil(timeout: 20) { hub.alarmStage.evaluated.value > evaluated })
        let invoice = try XCTUnwrap(hub.store.events(type: "InvoiceReceived", limit: 1).first)
        XCTAssertEqual(invoice.attributes["failures"], .json(.array([])), "example 2 passes every check")
        XCTAssertEqual(try alarms("invoice-failures").count, 1)
    }

    /// A trip running more than 300 s late raises a minor alarm, a later update repeats it, an update on time clears it.
    func testTransitDelays() throws {
        let now = UInt64(Timestamp.now().microsecondsSinceEpoch / 1_000_000)
        try tripUpdate("t-4", delay: 420, timestamp: now - 60)
        var alarm = try XCTUnwrap(waitForAlarms("bus-late") { $0.count == 1 }.first)
        XCTAssertEqual(alarm.severity, "minor")
        XCTAssertTrue(alarm.message.contains("delay 420"), alarm.message)
        try tripUpdate("t-4", delay: 720, timestamp: now - 30)
        alarm = try XCTUnwrap(waitForAlarms("bus-late") { $0.first?.count == 2 }.first)
        try tripUpdate("t-4", delay: 30, timestamp: now)
        alarm = try XCTUnwrap(waitForAlarms("bus-late") { $0.first?.status == .cleared }.first)
        XCTAssertEqual(alarm.count, 2)
    }

    // MARK: - API, metrics, stream

    /// Listing by status and severity; acknowledging needs `operate` (or `admin`); the change is an event on the stream.
    func testAcknowledgeOverHTTPWithAndWithoutTheScope() throws {
        let stream = client.openStream("/api/v1/stream?type=AlarmRaised,AlarmAcknowledged", token: reader)
        defer { stream.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { stream.status == 200 })
        let now = UInt64(Timestamp.now().microsecondsSinceEpoch / 1_000_000)
        try tripUpdate("t-9", delay: 900, timestamp: now)
        let alarm = try XCTUnwrap(waitForAlarms("bus-late") { $0.count == 1 }.first)
        let id = try XCTUnwrap(alarm.id)

        let listed = try client.send("GET", "/api/v1/alarms?severity=minor", token: reader)
        XCTAssertEqual(listed.status, 200, listed.text)
        XCTAssertEqual(listed.json?["items"]?.arrayValue?.first?["id"], .number(Double(id)), listed.text)
        XCTAssertEqual(listed.json?["items"]?.arrayValue?.first?["status"], .string("raised"))
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms?severity=critical", token: reader).json?["items"], .array([]))
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms?severity=urgent", token: reader).status, 400)
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms?severity=", token: reader).status, 400)
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms?status=closed", token: reader).status, 400)

        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/\(id)/acknowledge").status, 401)
        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/\(id)/acknowledge", token: reader).status, 403)
        XCTAssertEqual(try alarms("bus-late").first?.status, .raised, "refused: nothing changed")
        let acknowledged = try client.send("POST", "/api/v1/alarms/\(id)/acknowledge", token: operatorToken)
        XCTAssertEqual(acknowledged.status, 200, acknowledged.text)
        XCTAssertEqual(acknowledged.json?["status"], .string("acknowledged"))
        XCTAssertEqual(acknowledged.json?["acknowledgedBy"], .string("duty-operator"))
        let stored = try XCTUnwrap(alarms("bus-late").first)
        XCTAssertEqual(stored.status, .acknowledged)
        XCTAssertEqual(stored.acknowledgedBy, "duty-operator")
        XCTAssertNotNil(stored.acknowledgedAt)
        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/\(id + 1000)/acknowledge", token: operatorToken).status, 404)
        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/nine/acknowledge", token: operatorToken).status, 400)
        XCTAssertTrue(waitUntil(timeout: 20) { stream.text.contains("AlarmAcknowledged") && stream.text.contains("AlarmRaised") }, stream.text)
        XCTAssertTrue(stream.text.contains("duty-operator"), stream.text)

        let metrics = try client.send("GET", "/metrics", token: reader).text
        // Every sample names the hub that reports it first (`hub="<hub.name>"`).
        let open = metrics.split(separator: "\n").filter { $0.hasPrefix(#"hub_alarms_open{hub=""#) }
        XCTAssertTrue(open.contains { $0.hasSuffix(#"",rule="bus-late",severity="minor"} 1"#) }, metrics)
        XCTAssertTrue(open.contains { $0.hasSuffix(#"",rule="no2-hourly",severity="critical"} 0"#) }, metrics)

        try tripUpdate("t-9", delay: 0, timestamp: now + 30)
        try waitForAlarms("bus-late") { $0.first?.status == .cleared }
        let history = try client.send("GET", "/api/v1/alarms?status=history", token: reader)
        XCTAssertEqual(history.json?["items"]?.arrayValue?.first?["acknowledgedBy"], .string("duty-operator"), history.text)
        XCTAssertEqual(history.json?["items"]?.arrayValue?.first?["status"], .string("cleared"), history.text)
        XCTAssertEqual(try client.send("GET", "/api/v1/alarms", token: reader).json?["items"], .array([]), "none open")
    }

    // MARK: - Restart

    /// An alarm open before a stop is open after it, acknowledgement kept; one whose condition
    /// cleared while the hub was down (a stored update on time) clears at start; so does one whose rule changed.
    func testAlarmsSurviveARestart() throws {
        let now = UInt64(Timestamp.now().microsecondsSinceEpoch / 1_000_000)
        try tripUpdate("t-1", delay: 600, timestamp: now - 60)
        try tripUpdate("t-2", delay: 800, timestamp: now - 60)
        let open = try waitForAlarms("bus-late") { $0.count == 2 }
        let first = try XCTUnwrap(open.first { $0.entity.hasSuffix("t-1") }?.id)
        XCTAssertEqual(try client.send("POST", "/api/v1/alarms/\(first)/acknowledge", token: operatorToken).status, 200)
        hub.stop()

        try startHub()
        // The stage evaluated the latest state at start; both still hold.
        XCTAssertTrue(waitUntil(timeout: 10) { ((try? hub.store.openAlarms()) ?? []).count == 2 })
        let reopened = try hub.store.openAlarms()
        XCTAssertEqual(Set(reopened.compactMap(\.id)), Set(open.compactMap(\.id)), "the same alarms, not new ones")
        XCTAssertEqual(reopened.first { $0.id == first }?.acknowledgedBy, "duty-operator")
        hub.stop()

        // While the hub is down, trip 1's update on time is stored (a spill replayed, another process).
        let store = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        try store.write(events: [Event(type: "TripUpdate", entity: "urn:ngsi-ld:Trip:t-1", observedAt: .now(), receivedAt: .now(),
                                       route: "buses", attributes: ["delay": .number(10, unit: "SEC")])], deadLetters: [])
        try store.close()
        try startHub()
        let cleared = try waitForAlarms("bus-late") { alarms in alarms.first { $0.id == first }?.status == .cleared }
        XCTAssertEqual(cleared.first { $0.entity.hasSuffix("t-2") }?.status, .raised, "trip 2 is still late")
        hub.stop()

        try startHub(busLateAbove: 900)
        try waitForAlarms("bus-late") { $0.allSatisfy { $0.status == .cleared } }
    }
}

/// The alarm stage's queue, full: the writer's batches are never waited for; one that finds no room
/// is counted, not evaluated, and the latest state is evaluated instead, so its condition still raises.
final class AlarmStageQueueTests: XCTestCase {
    func testABatchThatFindsTheQueueFullIsCountedAndItsConditionFoundInTheLatestState() throws {
        let fixture = try HubFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let store = try SQLiteStore(path: fixture.databasePath, logger: quietLogger)
        defer { try? store.close() }
        let configuration = try HubConfiguration(json: JSONValue(parsing: Data(#"""
            {"routes":[{"name":"air","webhook":{},"connector":"sensors.json","settings":{"entityType":"AirQualityObserved","idField":"device"}}],
             "rules":[{"name":"no2-high","severity":"major","threshold":{"attribute":"no2","above":200}}]}
            """#.utf8)), environment: [:], catalog: .compiledIn)
        func reading(_ station: String, _ no2: Double) throws -> [StoredEvent] {
            try store.write(events: [Event(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:\(station)",
                                           observedAt: .now(), receivedAt: .now(), route: "air", attributes: ["no2": .number(no2, unit: "GQ")])],
                            deadLetters: [])
        }
        let bus = Bus(capacity: 16)
        let stage = AlarmStage(rules: configuration.rules, store: store, bus: bus, retentionDays: 365, logger: quietLogger, capacity: 1)
        stage.committed(try reading("a", 250))
        stage.committed(try reading("b", 260))  // the queue holds one batch: this one is skipped
        XCTAssertEqual(stage.skipped.value, 1)
        stage.start()
        defer { stage.stop() }
        XCTAssertTrue(waitUntil(timeout: 20) { ((try? store.openAlarms()) ?? []).count == 2 })
        XCTAssertEqual(Set(try store.openAlarms().map(\.entity)),
                       ["urn:ngsi-ld:AirQualityObserved:a", "urn:ngsi-ld:AirQualityObserved:b"], "b found in the latest state")
        // Counted once the round that saved the alarms ends, a moment after they are seen.
        XCTAssertTrue(waitUntil(timeout: 20) { stage.evaluated.value >= 1 })
        XCTAssertEqual(stage.evaluated.value, 1, "only the queued batch was evaluated as such")
        XCTAssertTrue(waitUntil(timeout: 20) { bus.depth == 2 }, "an AlarmRaised event for each")
        XCTAssertEqual(Set(bus.drain(limit: 10).flatMap(\.events).map(\.type)), ["AlarmRaised"])
    }
}
