import Foundation
import HubCore
@testable import HubHTTP
import HubPostgres
import HubServices
import HubStore
import HubTesting
import XCTest

/// The operations API over each store backend: the same writes, then the same requests, answer
/// byte for byte the same over PostgreSQL as over SQLite (events and their pages, entities, dead
/// letters), and a token created in the store is checked the same way.
final class StoreBackendAPITests: XCTestCase {
    private let logger = Logger(label: "test", level: .warning, sink: StandardErrorLogSink())

    func testTheAPIAnswersTheSameOverPostgreSQLAsOverSQLite() throws {
        let server = try PostgresServer()
        let sqlite = try SQLiteStore(path: TemporaryDirectory.make(prefix: "api-backends").appendingPathComponent("hub.sqlite").path,
                                     logger: logger)
        defer { try? sqlite.close() }
        let postgres = try PostgresStore(url: server.databaseURL, logger: logger)
        defer { try? postgres.close() }

        var answers: [[String]] = []
        for store in [sqlite, postgres] as [any HubDatabase] {
            try fill(store)
            let issued = try store.createToken(name: "operations", scopes: ["read", "admin"], expiresAt: nil)
            let api = OperationsAPI(hub: StoreOnlyOperations(store: store), settings: HTTPSettings(address: "127.0.0.1"),
                                    broadcaster: EventBroadcaster(), logger: logger)
            var backend: [String] = []
            func get(_ path: String, _ query: [(name: String, value: String)] = [], token: String? = issued.secret) -> String {
                let response = api.respond(to: HTTPRequest(method: "GET", path: path, query: query,
                                                           headers: token.map { ["authorization": "Bearer \($0)"] } ?? [:]))
                guard case .bytes(let body) = response.body else { return "\(response.status) (a stream)" }
                return "\(response.status) \(String(decoding: body, as: UTF8.self))"
            }
            backend.append(get("/api/v1/events", [("limit", "2")]))
            let firstPage = backend[0]
            XCTAssertTrue(firstPage.hasPrefix("200 "), firstPage)
            let cursor = try XCTUnwrap(Self.nextCursor(in: firstPage), firstPage)
            backend.append(get("/api/v1/events", [("limit", "2"), ("cursor", cursor)]))
            backend.append(get("/api/v1/events", [("type", "ParkingSpot")]))
            backend.append(get("/api/v1/events", [("entity", Self.entity("AirQualityObserved", 1))]))
            backend.append(get("/api/v1/entities"))
            backend.append(get("/api/v1/entities", [("type", "AirQualityObserved"), ("limit", "1")]))
            backend.append(get("/api/v1/entities/\(Self.entity("AirQualityObserved", 1))"))
            backend.append(get("/api/v1/deadletters"))
            backend.append(get("/api/v1/deadletters/1"))
            // The token check: the stored token is accepted above; a wrong secret and none are refused.
            backend.append(get("/api/v1/events", token: issued.secret.dropLast() + (issued.secret.hasSuffix("0") ? "1" : "0")))
            backend.append(get("/api/v1/events", token: nil))
            XCTAssertTrue(try store.revokeToken(named: "operations"))
            backend.append(get("/api/v1/events"))
            answers.append(backend)
        }
        XCTAssertEqual(answers[0].count, answers[1].count)
        for (sqliteAnswer, postgresAnswer) in zip(answers[0], answers[1]) {
            XCTAssertEqual(postgresAnswer, sqliteAnswer)
        }
        for answer in answers[1].prefix(9) {
            XCTAssertTrue(answer.hasPrefix("200 {"), "a page, not an error: \(answer)")
        }
        XCTAssertTrue(answers[1][1].contains("urn:ngsi-ld:AirQualityObserved:2"), "the second page goes on: \(answers[1][1])")
        XCTAssertTrue(answers[1][7].contains("the payload is not JSON"), answers[1][7])
        XCTAssertTrue(answers[1][9].hasPrefix("401 "), answers[1][9])
        XCTAssertTrue(answers[1][11].hasPrefix("401 "), "refused once revoked: \(answers[1][11])")
    }

    /// 2026-11-22T00:00:00Z and a few microseconds.
    private static let observed = Timestamp(microsecondsSinceEpoch: 1_795_334_400_123_456)

    private static func entity(_ type: String, _ number: Int) -> String { "urn:ngsi-ld:\(type):\(number)" }

    /// The same events and dead letters, in the same order, into either store: readings of three
    /// stations (one read twice), two parking spots, a message that was not understood.
    private func fill(_ store: any HubDatabase) throws {
        func air(_ station: Int, _ offset: Int64, no2: Double) -> Event {
            Event(type: "AirQualityObserved", entity: Self.entity("AirQualityObserved", station),
                  observedAt: Self.observed.adding(microseconds: offset), receivedAt: Self.observed.adding(microseconds: offset + 1_500_000),
                  route: "air-quality", location: GeoPoint(latitude: 45.764043, longitude: 4.835659),
                  attributes: ["no2": .number(no2, unit: "GQ"), "temperature": .number(-3.25, unit: "CEL"), "status": .text("ok")])
        }
        func parking(_ spot: Int) -> Event {
            Event(type: "ParkingSpot", entity: Self.entity("ParkingSpot", spot), observedAt: Self.observed,
                  receivedAt: Self.observed.adding(microseconds: 2_000_000), route: "parking",
                  attributes: ["status": .text(spot.isMultiple(of: 2) ? "free" : "occupied")])
        }
        let events = [air(0, 0, no2: 21.5), air(1, 1, no2: 30), parking(0), air(2, 2, no2: 0.1), parking(1), air(1, 60_000_000, no2: 48.07)]
        let envelope = Envelope(route: "air-quality", source: .mqtt, origin: "city/air/12/reading", payload: Data("{not json".utf8),
                                receivedAt: Self.observed)
        try store.write(events: events, deadLetters: [DeadLetter(envelope: envelope, reason: "the payload is not JSON")])
    }

    /// The `nextCursor` of a page (`"nextCursor":"5"`).
    private static func nextCursor(in answer: String) -> String? {
        guard let range = answer.range(of: #""nextCursor":""#) else { return nil }
        return String(answer[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// A hub that is only its store, for the API's reads.
private final class StoreOnlyOperations: HubOperations {
    let hubName = "hub-1"
    let store: any HubDatabase
    let routes = [Route(name: "air-quality", source: .webhook(WebhookSource()), connector: "sensors.json"),
                  Route(name: "parking", source: .webhook(WebhookSource()), connector: "sensors.json")]
    let metrics = HubMetrics()
    let connectors = ConnectorCatalog([])
    let invoiceValidator: any InvoiceValidating = NoValidator()
    let intakeGate = IntakeGate()
    let subscriptionStatuses: [SubscriptionStatus] = []

    init(store: any HubDatabase) {
        self.store = store
    }

    func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission { .unknownRoute }
    func acknowledgeAlarm(id: Int64, by name: String) throws -> AlarmRecord? { nil }
    func addSubscription(_ definition: JSONValue) throws -> SubscriptionStatus {
        throw SettingsError(path: "subscriptions", message: "not in this test")
    }
    func removeSubscription(named name: String) throws -> Bool { false }
    func readinessProblems() -> [String] { [] }
}

/// No validation in this test.
private struct NoValidator: InvoiceValidating {
    let maxBytes = 0
    func reportJSON(on document: Data, named name: String, sentAs type: ValidatedMediaType) -> Data { Data() }
}
