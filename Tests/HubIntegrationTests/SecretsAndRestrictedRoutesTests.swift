import Foundation
import HubCore
import HubRuntime
import HubServices
import HubTesting
import XCTest

/// What the operations API shows of routes: restricted routes only to a scope naming them, and
/// never a secret (API keys from the environment in FIWARE's `apikeys` names, a feed URL's query
/// key), over real HTTP against a running hub.
final class SecretsAndRestrictedRoutesTests: XCTestCase {
    private static let waterKey = "wk-7f3a9c"
    private static let feedKey = "fk-19b2e0"

    private var fixture: HubFixture!
    private var hub: Hub!
    private var client: HTTPTestClient!

    override func setUpWithError() throws {
        fixture = try HubFixture()
        let json = try JSONValue(parsing: Data("""
        {
          "store": { "path": "\(fixture.databasePath)", "batchDelayMs": 5 },
          "http": { "address": "127.0.0.1", "port": 0, "tokens": [
            { "name": "reader", "token": "reader-secret-0123456789", "scopes": ["read"] },
            { "name": "accountant", "token": "accountant-secret-0123456789", "scopes": ["read:invoices"] } ] },
          "routes": [
            { "name": "water", "webhook": {}, "connector": "sensors.fiware-iota",
              "settings": { "apikeys": { "${WATER_KEY}": { "entityType": "WaterConsumptionObserved" } } } },
            { "name": "buses", "connector": "mobility.gtfs-rt",
              "feed": { "url": "https://partner.invalid/rt.pb?key=${FEED_KEY}&format=pb", "periodSeconds": 3600 } },
            { "name": "invoices", "webhook": {}, "restricted": true, "connector": "einvoicing.ubl" }
          ]
        }
        """.utf8))
        let configuration = try HubConfiguration(json: json, environment: ["WATER_KEY": Self.waterKey, "FEED_KEY": Self.feedKey],
                                                 catalog: .compiledIn)
        hub = try Hub(configuration: configuration, logger: quietLogger)
        try hub.start()
        client = HTTPTestClient(baseURL: "http://127.0.0.1:\(hub.httpPort ?? 0)")
    }

    override func tearDown() {
        hub?.stop()
    }

    func testTheEnvironmentFillsMemberNames() throws {
        let water = try XCTUnwrap(hub.routes.first { $0.name == "water" })
        XCTAssertEqual(water.settings["apikeys"]?.objectValue?.keys.sorted(), [Self.waterKey])
    }

    func testRestrictedRoutesAreListedOnlyForAScopeNamingThem() throws {
        let reader = try client.send("GET", "/api/v1/routes", token: "reader-secret-0123456789")
        XCTAssertEqual(reader.status, 200)
        XCTAssertEqual(reader.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["water", "buses"])
        let accountant = try client.send("GET", "/api/v1/routes", token: "accountant-secret-0123456789")
        XCTAssertEqual(accountant.json?["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["invoices"])

        let connectors = try client.send("GET", "/api/v1/connectors", token: "reader-secret-0123456789").json?["items"]?.arrayValue ?? []
        let listed = connectors.flatMap { $0["routes"]?.arrayValue ?? [] }.compactMap { $0["route"]?.stringValue }
        XCTAssertEqual(Set(listed), ["water", "buses"])
    }

    func testSecretsAreNeverShown() throws {
        for path in ["/api/v1/routes", "/api/v1/connectors"] {
            let answer = try client.send("GET", path, token: "reader-secret-0123456789")
            XCTAssertEqual(answer.status, 200)
            XCTAssertFalse(answer.text.contains(Self.waterKey), "\(path) shows the FIWARE apikey")
            XCTAssertFalse(answer.text.contains(Self.feedKey), "\(path) shows the feed's key")
        }
        let routes = try client.send("GET", "/api/v1/routes", token: "reader-secret-0123456789").json?["items"]?.arrayValue ?? []
        let buses = try XCTUnwrap(routes.first { $0["name"]?.stringValue == "buses" })
        XCTAssertEqual(buses["sourceDescription"]?.stringValue, "feed https://partner.invalid/rt.pb?key=***&format=*** (every 3600.0 s)")
        let connectors = try client.send("GET", "/api/v1/connectors", token: "reader-secret-0123456789").json?["items"]?.arrayValue ?? []
        let water = connectors.flatMap { $0["routes"]?.arrayValue ?? [] }.first { $0["route"]?.stringValue == "water" }
        XCTAssertEqual(water?["settings"]?["apikeys"]?.objectValue?.keys.sorted(), ["***1"])
        XCTAssertEqual(water?["settings"]?["apikeys"]?["***1"]?["entityType"]?.stringValue, "WaterConsumptionObserved",
                       "what is under an apikey is not secret and stays readable")
    }
}
