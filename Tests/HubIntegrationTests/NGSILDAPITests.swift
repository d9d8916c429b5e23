import Foundation
import HubCore
import HubRuntime
import HubTesting
import XCTest

/// The NGSI-LD view over real HTTP against a running hub: long histories in pages, and a watched
/// device that keeps its type as it goes inactive and active again.
final class NGSILDAPITests: XCTestCase {
    private var broker: MosquittoBroker!

    override func setUpWithError() throws {
        broker = try MosquittoBroker()
        try broker.start()
    }

    override func tearDown() {
        broker?.stop()
    }

    private typealias Hub = OperationsHub

    func testALongHistoryIsGivenNewestFirstInPartialPagesAndLastNIsExact() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let entity = "urn:ngsi-ld:PartnerReading:long"
        let events = (0..<1_205).map { index in
            Event(type: "PartnerReading", entity: entity, observedAt: Hub.observedAt(index), receivedAt: Hub.observedAt(index),
                  route: "partner", attributes: ["no2": .number(Double(index), unit: "GQ")])
        }
        try hub.runtime.store.write(events: events, deadLetters: [])
        func get(_ path: String) throws -> HTTPTestResponse {
            try hub.client.send("GET", "/ngsi-ld/v1/\(path)", token: Hub.readerToken, headers: ["Accept": "application/json"])
        }

        let page = try get("temporal/entities/\(entity)?options=temporalValues")
        XCTAssertEqual(page.status, 206, "more than 1000 instances: Partial Content")
        let values = page.json?["no2"]?["values"]?.arrayValue ?? []
        XCTAssertEqual(values.count, 1_000)
        XCTAssertEqual(values.first?.arrayValue?.first, .number(205), "the newest thousand, oldest first")
        XCTAssertEqual(values.last?.arrayValue?.last, .string(Hub.observedAt(1_204).iso8601))

        let older = try get("temporal/entities/\(entity)?options=temporalValues&timerel=before&timeAt=\(Hub.observedAt(205).iso8601)")
        XCTAssertEqual(older.status, 200)
        XCTAssertEqual(older.json?["no2"]?["values"]?.arrayValue?.compactMap { $0.arrayValue?.first?.numberValue },
                       (0..<205).map(Double.init), "the rest, before the first instance given")

        let last = try get("temporal/entities/\(entity)?lastN=3")
        XCTAssertEqual(last.status, 200)
        XCTAssertEqual(last.json?["no2"]?.arrayValue?.compactMap { $0["value"]?.numberValue }, [1_202, 1_203, 1_204])
        XCTAssertEqual(last.json?["no2"]?.arrayValue?.first?["unitCode"], .string("GQ"))

        let window = try get("temporal/entities?type=PartnerReading&timerel=after&timeAt=\(Hub.observedAt(1_200).iso8601)&options=temporalValues&count=true")
        XCTAssertEqual(window.headers["ngsild-results-count"], "1")
        XCTAssertEqual(window.json?.arrayValue?.first?["no2"]?["values"]?.arrayValue?.count, 4, "after is strictly after")
    }

    func testAWatchedDeviceKeepsItsTypeAsItsStateChanges() throws {
        let hub = try OperationsHub(broker: broker)
        defer { hub.stop() }
        let device = "urn:ngsi-ld:Device:aq-3"
        let t0 = Hub.observedAt(0)
        let attributes: [String: Value] = ["lastSeen": .text(t0.iso8601), "messageCount": .number(4, unit: nil)]
        try hub.runtime.store.write(events: [
            Event(type: "DeviceInactive", entity: device, observedAt: t0.adding(microseconds: 60_000_000), receivedAt: t0,
                  route: "air-quality", attributes: attributes),
        ], deadLetters: [])
        func get(_ path: String) throws -> HTTPTestResponse {
            try hub.client.send("GET", "/ngsi-ld/v1/\(path)", token: Hub.readerToken)
        }
        let inactive = try get("entities/\(device)")
        XCTAssertEqual(inactive.json?["type"], .string("Device"))
        XCTAssertEqual(inactive.json?["deviceState"]?["value"], .string("inactive"))
        XCTAssertEqual(inactive.json?["lastSeen"]?["value"]?["@type"], .string("DateTime"))

        try hub.runtime.store.write(events: [
            Event(type: "DeviceActive", entity: device, observedAt: t0.adding(microseconds: 90_000_000), receivedAt: t0,
                  route: "air-quality", attributes: attributes),
        ], deadLetters: [])
        XCTAssertEqual(try get("entities?type=Device&q=deviceState%3D%3D%22active%22&count=true").headers["ngsild-results-count"], "1")
        XCTAssertEqual(try get("types").json?["typeList"], .array([.string("Device")]))
        let history = try get("temporal/entities/\(device)?attrs=deviceState&options=temporalValues")
        XCTAssertEqual(history.json?["type"], .string("Device"))
        XCTAssertEqual(history.json?["deviceState"]?["values"]?.arrayValue?.compactMap { $0.arrayValue?.first?.stringValue },
                       ["inactive", "active"])
    }
}
