import Foundation
import HubCore
import HubTesting
import XCTest

/// `GET /api/v1/entities/{id}/series` over real HTTP against a running hub fed through its webhooks.
final class SeriesEndpointTests: XCTestCase {
    private var broker: MosquittoBroker!

    override func setUpWithError() throws {
        broker = try MosquittoBroker()
        try broker.start()
    }

    override func tearDown() {
        broker?.stop()
    }

    private typealias Hub = OperationsHub

    /// Readings of one entity in two hours of one day (one delivered twice) come back as hourly and
    /// daily buckets with the aggregates of the distinct readings; a token that may not read the
    /// entity's route gets 404, as for the entity itself; bad arguments get 400 with the reason.
    func testTheSeriesOfAnEntityPerHourAndPerDay() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let client = hub.client
        // Device aq-1, observed 21 s, 1 s, 3601 s and 11 s after midnight; no2 is the index.
        for index in [21, 1, 3601, 11, 11] {
            let answer = try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: Hub.reading(index),
                                         headers: ["Content-Type": "application/json"])
            XCTAssertEqual(answer.status, 202, answer.text)
        }
        XCTAssertEqual(try client.send("POST", "/ingest/invoices", token: Hub.partnerToken, body: Hub.reading(1)).status, 202)
        let entity = Hub.entity(1, type: "PartnerReading")
        let range = "from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z"

        let hours = try client.send("GET", "/api/v1/entities/\(entity)/series?attribute=no2&step=1h&\(range)", token: Hub.readerToken)
        XCTAssertEqual(hours.status, 200, hours.text)
        XCTAssertEqual(hours.json?["entity"], .string(entity))
        XCTAssertEqual(hours.json?["step"], .string("1h"))
        XCTAssertEqual(hours.json?["points"], .array([
            .object(["start": .string("2026-11-22T00:00:00.000000Z"), "count": .number(3), "min": .number(1), "max": .number(21),
                     "mean": .number(11), "last": .number(21)]),
            .object(["start": .string("2026-11-22T01:00:00.000000Z"), "count": .number(1), "min": .number(3601), "max": .number(3601),
                     "mean": .number(3601), "last": .number(3601)]),
        ]), hours.text)
        let days = try client.send("GET", "/api/v1/entities/\(entity)/series?attribute=no2&step=1d&\(range)", token: Hub.readerToken)
        XCTAssertEqual(days.json?["points"], .array([
            .object(["start": .string("2026-11-22T00:00:00.000000Z"), "count": .number(4), "min": .number(1), "max": .number(3601),
                     "mean": .number(908.5), "last": .number(3601)]),
        ]), days.text)
        let other = try client.send("GET", "/api/v1/entities/\(entity)/series?attribute=rssi&\(range)", token: Hub.readerToken)
        XCTAssertEqual(other.json?["points"], .array([]), "an attribute never reported has no buckets")

        // Access: the restricted route's entity is hidden from a reader, shown to the accountant.
        let invoice = "/api/v1/entities/\(Hub.entity(1, type: "Invoice"))/series?attribute=no2&\(range)"
        let hidden = try client.send("GET", invoice, token: Hub.readerToken)
        XCTAssertEqual(hidden.status, 404, hidden.text)
        XCTAssertNil(hidden.json?["points"])
        XCTAssertEqual(try client.send("GET", invoice, token: Hub.accountantToken).json?["points"]?.arrayValue?.count, 1)
        XCTAssertEqual(try client.send("GET", invoice, token: nil).status, 401)

        // Bad arguments.
        for (query, reason) in [("step=1h", "attribute is required"), ("attribute=no2&step=5m", "step must be 1h or 1d"),
                                ("attribute=no2&from=yesterday", "from must be an ISO 8601 time"),
                                ("attribute=no2&from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "at most 9999"),
                                ("attribute=no2&limit=3", "unknown query argument")] {
            let answer = try client.send("GET", "/api/v1/entities/\(entity)/series?\(query)", token: Hub.readerToken)
            XCTAssertEqual(answer.status, 400, query)
            XCTAssertTrue(answer.json?["message"]?.stringValue?.contains(reason) ?? false, "\(query): \(answer.text)")
        }
        XCTAssertEqual(try client.send("POST", "/api/v1/entities/\(entity)/series?attribute=no2", token: Hub.adminToken).status, 405)

        // An entity whose own id ends in "/series" is still read as itself (without `attribute`),
        // and its series as any other's.
        let reading = Data(#"{"device":"aq-9/series","observedAt":"2026-11-22T00:00:05Z","no2":7}"#.utf8)
        XCTAssertEqual(try client.send("POST", "/ingest/partner", token: Hub.partnerToken, body: reading,
                                       headers: ["Content-Type": "application/json"]).status, 202)
        let slashed = "urn:ngsi-ld:PartnerReading:aq-9/series"
        let itself = try client.send("GET", "/api/v1/entities/\(slashed)", token: Hub.readerToken)
        XCTAssertEqual(itself.status, 200, itself.text)
        XCTAssertEqual(itself.json?["entity"], .string(slashed), itself.text)
        let itsSeries = try client.send("GET", "/api/v1/entities/\(slashed)/series?attribute=no2&\(range)", token: Hub.readerToken)
        XCTAssertEqual(itsSeries.json?["points"]?.arrayValue?.count, 1, itsSeries.text)
    }
}
