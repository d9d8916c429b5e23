import Foundation
import HubCore
import HubMQTT
import HubRuntime
import HubServices
import HubTesting
import XCTest

/// A running hub with the operations API on a free port: an MQTT air-quality route, a partner
/// webhook route and a restricted invoices webhook route, and one token per kind of caller.
final class OperationsHub {
    static let readerToken = "reader-token-0123456789"
    static let adminToken = "admin-token-0123456789"
    static let partnerToken = "partner-token-0123456789"
    static let accountantToken = "accountant-token-0123456789"
    /// The hub's name (`hub.name`), in `/api/v1/routes` and every `/metrics` sample.
    static let hubName = "hub-ops"

    let fixture: HubFixture
    let broker: MosquittoBroker
    let runtime: Hub
    let client: HTTPTestClient
    var port: Int { runtime.httpPort ?? 0 }

    /// Builds and starts the hub. `partnerIDField` lets a test misconfigure the partner route.
    init(broker: MosquittoBroker, fixture: HubFixture? = nil, partnerIDField: String = "device", routeCapacity: Int = 1024,
         busCapacity: Int = 4096, batchSize: Int = 500, airIntervalSeconds: Int = 600, streamBufferEvents: Int = 1024, commitTimeoutSeconds: Int = 10,
         openEndpoints: [String] = ["healthz", "readyz"], tls: TestCertificates? = nil) throws {
        self.broker = broker
        self.fixture = try fixture ?? HubFixture()
        let configuration = try HubConfiguration(
            json: Self.configuration(
                fixture: self.fixture, brokerPort: broker.port, partnerIDField: partnerIDField, routeCapacity: routeCapacity,
                busCapacity: busCapacity, batchSize: batchSize, airIntervalSeconds: airIntervalSeconds, streamBufferEvents: streamBufferEvents, commitTimeoutSeconds: commitTimeoutSeconds,
                openEndpoints: openEndpoints, tls: tls),
            environment: ["READER_TOKEN": Self.readerToken], catalog: .compiledIn)
        runtime = try Hub(configuration: configuration, logger: quietLogger)
        try runtime.start()
        guard runtime.waitUntilConnected(timeout: .seconds(10)) else {
            throw TestSupportError(.brokerDidNotStart, "the hub did not connect to the broker")
        }
        client = HTTPTestClient(baseURL: "http://127.0.0.1:\(runtime.httpPort ?? 0)")
    }

    func stop() { runtime.stop() }

    static let sensorSettings: [String: JSONValue] = [
        "entityType": .string("AirQualityObserved"), "idField": .string("device"), "timeField": .string("observedAt"),
        "units": .object(["no2": .string("GQ")]), "latitudeField": .string("lat"), "longitudeField": .string("lon"),
    ]

    static func configuration(
        fixture: HubFixture, brokerPort: Int, partnerIDField: String, routeCapacity: Int, busCapacity: Int, batchSize: Int,
        airIntervalSeconds: Int,
        streamBufferEvents: Int, commitTimeoutSeconds: Int, openEndpoints: [String], tls: TestCertificates?
    ) -> JSONValue {
        var partnerSettings = sensorSettings
        partnerSettings["entityType"] = .string("PartnerReading")
        partnerSettings["idField"] = .string(partnerIDField)
        var invoiceSettings = sensorSettings
        invoiceSettings["entityType"] = .string("Invoice")
        var http: [String: JSONValue] = [
            "address": .string("127.0.0.1"), "port": .number(0), "maxRequestBytes": .number(65_536),
            "streamBufferEvents": .number(Double(streamBufferEvents)), "commitTimeoutSeconds": .number(Double(commitTimeoutSeconds)),
            "openEndpoints": .array(openEndpoints.map(JSONValue.string)),
            "tokens": .array([
                token("reader", "${READER_TOKEN}", ["read"]),
                token("admin", adminToken, ["read", "admin"]),
                token("partner", partnerToken, ["ingest:partner", "ingest:invoices", "ingest:ghost", "ingest:air-quality"]),
                token("accountant", accountantToken, ["read:invoices"]),
            ]),
        ]
        if let tls {
            http["tls"] = .object(["certFile": .string(tls.serverCertFile), "keyFile": .string(tls.serverKeyFile)])
        }
        return .object([
            "hub": .object(["name": .string(hubName)]),
            "store": .object(["path": .string(fixture.databasePath), "batchDelayMs": .number(5), "batchSize": .number(Double(batchSize))]),
            "mqtt": .object([
                "host": .string("127.0.0.1"), "port": .number(Double(brokerPort)), "clientId": .string("ops-\(UUID().uuidString.prefix(8))"),
            ]),
            "queues": .object(["routeCapacity": .number(Double(routeCapacity)), "busCapacity": .number(Double(busCapacity))]),
            "http": .object(http),
            "routes": .array([
                .object([
                    "name": .string("air-quality"), "mqtt": .object(["topic": .string("city/air/+/reading")]),
                    "connector": .string("sensors.json"), "settings": .object(sensorSettings),
                    "expectedIntervalSeconds": .number(Double(airIntervalSeconds)),
                    "openData": .object([
                        "licence": .string(airLicence), "attribution": .string("Ville de Lyon, capteurs air"),
                        "title": .string("Qualité de l'air"), "publisher": .string("Ville de Lyon"),
                        "keywords": .array([.string("air"), .string("NO2")]),
                    ]),
                ]),
                .object([
                    "name": .string("partner"), "webhook": .object(["maxBodyBytes": .number(2048)]),
                    "connector": .string("sensors.json"), "settings": .object(partnerSettings),
                ]),
                .object([
                    "name": .string("invoices"), "webhook": .object([:]), "restricted": .bool(true),
                    "connector": .string("sensors.json"), "settings": .object(invoiceSettings),
                    "openData": .object(["licence": .string("https://opendatacommons.org/licenses/odbl/1-0/"),
                                         "attribution": .string("Ville de Lyon, finances")]),
                ]),
            ]),
        ])
    }

    /// The air-quality route's licence (Etalab's Licence Ouverte 2.0).
    static let airLicence = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

    private static func token(_ name: String, _ secret: String, _ scopes: [String]) -> JSONValue {
        .object(["name": .string(name), "token": .string(secret), "scopes": .array(scopes.map(JSONValue.string))])
    }

    /// 2026-11-22T00:00:00Z.
    static let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)

    static func observedAt(_ index: Int) -> Timestamp { start.adding(microseconds: Int64(index) * 1_000_000) }

    /// Reading `index` of device `aq-{index % 10}`, placed on a line of longitudes 4.80 + device/100 at latitude 45.75.
    static func reading(_ index: Int, devices: Int = 10) -> Data {
        let device = index % devices
        return Data(#"{"device":"aq-\#(device)","observedAt":"\#(observedAt(index).iso8601)","no2":\#(index),"lat":45.75,"lon":\#(4.80 + Double(device) / 100)}"#.utf8)
    }

    static func entity(_ device: Int, type: String = "AirQualityObserved") -> String { "urn:ngsi-ld:\(type):aq-\(device)" }

    /// Publishes readings `range` over MQTT and waits until the store holds `expectedEvents` events
    /// (nil: until the broker has them).
    func publish(_ range: Range<Int>, expectedEvents: Int?) throws {
        let publisher = try makePublisher(broker, clientID: "ops-pub-\(UUID().uuidString.prefix(8))")
        defer { publisher.stop() }
        for index in range {
            _ = try publisher.publish(topic: "city/air/aq-\(index % 10)/reading", payload: Self.reading(index), qos: 1)
        }
        XCTAssertTrue(publisher.waitUntilPublishesAcknowledged(timeout: .seconds(30)))
        guard let expectedEvents else { return }
        XCTAssertTrue(waitUntil(timeout: 20) { (try? runtime.store.eventCount()) == expectedEvents },
                      "store holds \((try? runtime.store.eventCount()) ?? -1) events, expected \(expectedEvents)")
    }
}
