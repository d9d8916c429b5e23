import Foundation
import HubCore
import HubServices
import XCTest

/// A connector that accepts settings with one optional string, for configuration tests.
private struct ProbeConnector: Connector {
    static let id = "test.probe"
    static let summary = "accepts anything"
    init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["mode"])
        _ = try settings.optionalString("mode")
    }
    mutating func decode(_ envelope: Envelope) throws -> [Event] { [] }
}

final class HubConfigurationTests: XCTestCase {
    private let catalog = ConnectorCatalog([ProbeConnector.self])

    private func configuration(_ text: String, environment: [String: String] = [:],
                               hostName: String = "gw-lyon-3") throws -> HubConfiguration {
        try HubConfiguration(json: JSONValue(parsing: Data(text.utf8)), environment: environment, catalog: catalog,
                             hostName: hostName)
    }

    private func assertError(_ text: String, environment: [String: String] = [:], _ expected: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try configuration(text, environment: environment), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    private let route = #"{"name":"air","mqtt":{"topic":"city/air/#"},"connector":"test.probe"}"#

    func testDefaultsAndEnvironmentSubstitution() throws {
        let config = try configuration(
            #"{"mqtt":{"host":"${BROKER}","password":"${SECRET}","username":"${USER_NAME:-hub}"},"routes":[\#(route)]}"#,
            environment: ["BROKER": "broker.local", "SECRET": "s3cret"])
        XCTAssertEqual(config.mqtt?.host, "broker.local")
        XCTAssertEqual(config.mqtt?.password, "s3cret")
        XCTAssertEqual(config.mqtt?.username, "hub")
        XCTAssertEqual(config.mqtt?.port, 1883)
        XCTAssertEqual(config.mqtt?.clientID, "territory-hub-gw-lyon-3", "unique per host, so two hubs never share a session")
        XCTAssertEqual(config.mqtt?.protocolVersion, .v5)
        XCTAssertEqual(config.store.path, "./data/hub.sqlite")
        XCTAssertEqual(config.store.stopTimeoutSeconds, 30)
        XCTAssertEqual(config.store.walLimitBytes, 64 << 20)
        XCTAssertEqual(config.routes.map(\.name), ["air"])
        guard case .mqtt(let filter, let qos) = config.routes[0].source else { return XCTFail("mqtt route expected") }
        XCTAssertEqual(filter.text, "city/air/#")
        XCTAssertEqual(qos, 1, "QoS 1 by default: the broker keeps what arrives while the hub is away")
    }

    func testTheMQTTClientIDIsDerivedFromTheHostUnlessGivenAndTheProtocolIsMQTT5UnlessSaid() throws {
        let empty = #"{"mqtt":{"clientId":"${HUB_MQTT_CLIENT_ID:-}"},"routes":[\#(route)]}"#
        XCTAssertEqual(try configuration(empty, hostName: "hub-a.city.example").mqtt?.clientID, "territory-hub-hub-a.city.example")
        XCTAssertEqual(try configuration(empty, hostName: "hub-b.city.example").mqtt?.clientID, "territory-hub-hub-b.city.example")
        XCTAssertEqual(try configuration(empty, hostName: "salle serveurs/2").mqtt?.clientID, "territory-hub-salle-serveurs-2")
        XCTAssertEqual(try configuration(empty, hostName: "").mqtt?.clientID, "territory-hub")
        XCTAssertEqual(try configuration(empty, environment: ["HUB_MQTT_CLIENT_ID": "hub-7"]).mqtt?.clientID, "hub-7")
        let old = try configuration(#"{"mqtt":{"protocolVersion":"3.1.1"},"routes":[\#(route)]}"#)
        XCTAssertEqual(old.mqtt?.protocolVersion, .v311)
        assertError(#"{"mqtt":{"protocolVersion":"5.0"},"routes":[]}"#,
                    #"mqtt.protocolVersion: expected "5" or "3.1.1", found "5.0""#)
        assertError(#"{"mqtt":{"protocolVersion":"3.1.1"},"routes":[\#(route),{"name":"s","mqtt":{"topic":"$share/hubs/x/#"},"connector":"test.probe"}]}"#,
                    #"routes[1].mqtt.topic: a shared subscription ($share/...) needs MQTT 5, but mqtt.protocolVersion is "3.1.1""#)
    }

    func testTheHubIsNamedAfterItsHostUnlessNamedAndItsNameNamesTheMQTTClientID() throws {
        let plain = try configuration(#"{"mqtt":{},"routes":[\#(route)]}"#, hostName: "salle serveurs/2")
        XCTAssertEqual(plain.hub.name, "salle-serveurs-2")
        XCTAssertEqual(plain.hub.leaseDuration, .seconds(15))
        XCTAssertEqual(plain.hub.leaseRenewal, .seconds(5))
        let named = try configuration(#"{"hub":{"name":"${HOSTNAME}","leaseSeconds":20,"leaseRenewalSeconds":4},"mqtt":{},"routes":[\#(route)]}"#,
                                      environment: ["HOSTNAME": "hub-b"], hostName: "hub-a")
        XCTAssertEqual(named.hub.name, "hub-b")
        XCTAssertEqual(named.mqtt?.clientID, "territory-hub-hub-b", "each hub of a fleet keeps its own session")
        XCTAssertEqual(named.hub.leaseDuration, .seconds(20))
        XCTAssertEqual(named.hub.leaseRenewal, .seconds(4))
        let explicit = try configuration(#"{"hub":{"name":"hub-b"},"mqtt":{"clientId":"gw-7"},"routes":[\#(route)]}"#)
        XCTAssertEqual(explicit.mqtt?.clientID, "gw-7")
        assertError(#"{"hub":{"name":"hub b"},"routes":[]}"#,
                    #"hub.name: "hub b" is not a valid hub name (at most 128 letters, digits, - _ .)"#)
        assertError(#"{"hub":{"leaseSeconds":10,"leaseRenewalSeconds":6},"routes":[]}"#,
                    "hub.leaseRenewalSeconds: must be at most half of leaseSeconds, so that a renewal that fails once does not lose the lease")
        assertError(#"{"hub":{"id":"x"},"routes":[]}"#, "hub.id: unknown setting; known: leaseRenewalSeconds, leaseSeconds, name")
    }

    func testAShareGroupSharesEveryRouteAndNeedsMQTT5() throws {
        let shared = try configuration(#"{"mqtt":{"shareGroup":"hubs"},"routes":[\#(route)]}"#)
        XCTAssertEqual(shared.mqtt?.shareGroup, "hubs")
        XCTAssertNil(try configuration(#"{"mqtt":{},"routes":[\#(route)]}"#).mqtt?.shareGroup)
        assertError(#"{"mqtt":{"shareGroup":"hubs","protocolVersion":"3.1.1"},"routes":[]}"#,
                    #"mqtt.shareGroup: a shared subscription needs MQTT 5, but mqtt.protocolVersion is "3.1.1" (MQTT 3.1.1 has no $share; remove protocolVersion or set it to "5")"#)
        assertError(#"{"mqtt":{"shareGroup":"a/b"},"routes":[]}"#,
                    #"mqtt.shareGroup: "a/b" is not a valid share group (non-empty, without / + # or NUL)"#)
        assertError(#"{"mqtt":{"shareGroup":"hubs"},"routes":[{"name":"s","mqtt":{"topic":"$share/g/x/#"},"connector":"test.probe"}]}"#,
                    "routes[0].mqtt.topic: mqtt.shareGroup already subscribes every route as $share/<group>/<filter>; write the topic without its $share prefix")
    }

    func testOpenDataNeedsALicenceURLAndAnAttribution() throws {
        func routeWith(_ openData: String) -> String {
            #"{"mqtt":{},"routes":[{"name":"air","mqtt":{"topic":"a/#"},"connector":"test.probe","openData":\#(openData)}]}"#
        }
        let published = try configuration(routeWith(#"{"licence":"https://www.etalab.gouv.fr/licence-ouverte-open-licence/","attribution":"Ville de Lyon","keywords":["air"]}"#))
        XCTAssertEqual(published.routes[0].openData?.licence.absoluteString, "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
        XCTAssertEqual(published.routes[0].openData?.attribution, "Ville de Lyon")
        XCTAssertEqual(published.routes[0].openData?.keywords, ["air"])
        XCTAssertNil(try configuration(routeWith("null").replacingOccurrences(of: #","openData":null"#, with: "")).routes[0].openData)
        assertError(routeWith(#"{"attribution":"x"}"#), "routes[0].openData.licence: required string is missing")
        assertError(routeWith(#"{"licence":"Licence Ouverte 2.0","attribution":"x"}"#),
                    #"routes[0].openData.licence: expected the licence's URL (http or https), such as https://www.etalab.gouv.fr/licence-ouverte-open-licence/, found "Licence Ouverte 2.0""#)
        assertError(routeWith(#"{"licence":"https://x.example/l","attribution":" "}"#), "routes[0].openData.attribution: must name who re-users credit")
        assertError(routeWith(#"{"licence":"https://x.example/l","attribution":"x","licenceUrl":"y"}"#),
                    "routes[0].openData.licenceUrl: unknown setting; known: attribution, description, keywords, licence, publisher, title")
    }

    func testErrorsNameTheOffendingPath() {
        let second = #"{"name":"b","mqtt":{"topic":"x"},"connector":"test.prob"}"#
        assertError(#"{"mqtt":{},"routes":[\#(route),\#(second)]}"#,
                    #"routes[1].connector: unknown connector "test.prob"; known: test.probe"#)
        assertError(#"{"mqtt":{"password":"${NOPE}"},"routes":[]}"#, "mqtt.password: environment variable NOPE is not set")
        assertError(#"{"mqtt":{"port":70000},"routes":[]}"#, "mqtt.port: expected a whole number from 1 to 65535, found 70000")
        assertError(#"{"mqtt":{},"routes":[{"name":"a","mqtt":{"topic":"a/#/b"},"connector":"test.probe"}]}"#,
                    #"routes[0].mqtt.topic: invalid topic filter "a/#/b": '#' must be a whole level and the last one"#)
        assertError(#"{"mqtt":{},"routes":[\#(route),\#(route)]}"#, #"routes[1].name: another route is already named "air""#)
        assertError(#"{"mqtt":{},"routes":[{"name":"a","mqtt":{"topic":"a"},"connector":"test.probe","settings":{"mod":"x"}}]}"#,
                    "routes[0].settings.mod: unknown setting; known: mode")
        assertError(#"{"mqtt":{},"routes":[{"name":"a","mqtt":{"topic":"a"},"connector":"test.probe","settings":{"mode":3}}]}"#,
                    "routes[0].settings.mode: expected a string, found number")
        assertError(#"{"routes":[\#(route)]}"#, "mqtt: routes listen to MQTT but no broker is configured")
        assertError(#"{"mqtt":{},"route":[]}"#, "route: unknown setting; known: http, hub, mqtt, queues, routes, rules, store, subscriptions")
        assertError(#"{"mqtt":{}}"#, "routes: required list of routes is missing")
        assertError(#"{"store":{"synchronous":"off"},"mqtt":{},"routes":[]}"#,
                    #"store.synchronous: expected "normal" or "full", found "off""#)
    }

    func testStoreFailureSettingsAreRead() throws {
        let config = try configuration(#"{"store":{"stopTimeoutSeconds":5,"walLimitMB":16},"mqtt":{},"routes":[]}"#)
        XCTAssertEqual(config.store.stopTimeoutSeconds, 5)
        XCTAssertEqual(config.store.walLimitBytes, 16 << 20)
        assertError(#"{"store":{"stopTimeoutSeconds":0},"mqtt":{},"routes":[]}"#,
                    "store.stopTimeoutSeconds: expected a whole number from 1 to 3600, found 0")
    }

    func testRetentionIsReadPerRouteWithTheStoresDefault() throws {
        let config = try configuration(#"""
            {"store":{"retentionDays":30,"deadLetterRetentionDays":90,"rollupRetentionDays":730,"readConnections":8},
             "routes":[{"name":"air","webhook":{},"connector":"test.probe","retentionDays":7},
                       {"name":"parking","webhook":{},"connector":"test.probe"}]}
            """#)
        XCTAssertEqual(config.store.retention,
                       RetentionPolicy(defaultEventDays: 30, eventDaysByRoute: ["air": 7], deadLetterDays: 90, rollupDays: 730))
        XCTAssertEqual(config.store.readConnections, 8)
        XCTAssertEqual(config.store.retention.eventDays(forRoute: "parking"), 30)
        XCTAssertEqual(config.store.retention.summary(routes: ["air", "parking"]),
                       "air 7 days, parking 30 days (store default), other routes 30 days, dead letters 90 days, roll-ups 730 days")
        XCTAssertFalse(try configuration(#"{"routes":[]}"#).store.retention.expiresAnything, "kept for ever unless told")
        assertError(#"{"routes":[{"name":"air","webhook":{},"connector":"test.probe","retentionDays":0}]}"#,
                    "routes[0].retentionDays: expected a whole number from 1 to 36500, found 0")
        assertError(#"{"store":{"readConnections":0},"routes":[]}"#,
                    "store.readConnections: expected a whole number from 1 to 64, found 0")
        assertError(#"{"store":{"deadLetterRetentionDays":1.5},"routes":[]}"#,
                    "store.deadLetterRetentionDays: expected a whole number from 1 to 36500, found 1.5")
    }

    func testAPostgreSQLStoreIsReadFromTheEnvironmentAndShownWithoutItsPassword() throws {
        let config = try configuration(#"{"store":{"path":"/var/lib/hub/a","postgres":{"url":"${HUB_PG_URL}"}},"routes":[]}"#,
                                       environment: ["HUB_PG_URL": "postgresql://hub:s3cret@db.example:5432/hub?sslmode=verify-full"])
        XCTAssertEqual(config.store.postgres?.url, "postgresql://hub:s3cret@db.example:5432/hub?sslmode=verify-full")
        XCTAssertEqual(config.store.postgres?.redacted, "postgresql://hub:***@db.example:5432/hub?sslmode=***")
        XCTAssertEqual(config.store.path, "/var/lib/hub/a", "the hub's own files stay under the path")
        XCTAssertEqual(HubConfiguration.Postgres(url: "host=db password=s3cret").redacted, "(connection parameters)")
        XCTAssertNil(try configuration(#"{"routes":[]}"#).store.postgres, "SQLite unless told")
        assertError(#"{"store":{"postgres":{}},"routes":[]}"#,
                    #"store.postgres.url: must name the PostgreSQL server, e.g. "${HUB_PG_URL}" with HUB_PG_URL=postgresql://hub@db:5432/hub"#)
        assertError(#"{"store":{"postgres":{"url":"postgresql://db/hub","pool":3}},"routes":[]}"#,
                    "store.postgres.pool: unknown setting; known: url")
    }

    func testEachSourceKindIsRead() throws {
        let config = try configuration(#"""
            {"routes":[
              {"name":"buses","feed":{"url":"https://partner.example/rt.pb","periodSeconds":15,
                                      "headers":{"X-Api-Key":"${KEY}"}},"connector":"test.probe"},
              {"name":"partners","webhook":{"maxBodyBytes":1000},"connector":"test.probe"},
              {"name":"invoices","folder":{"path":"/srv/drop"},"connector":"test.probe"}]}
            """#, environment: ["KEY": "k"])
        guard case .feed(let feed) = config.routes[0].source else { return XCTFail("feed route expected") }
        XCTAssertEqual(feed.url.absoluteString, "https://partner.example/rt.pb")
        XCTAssertEqual(feed.period, .seconds(15))
        XCTAssertEqual(feed.headers, ["X-Api-Key": "k"])
        guard case .webhook(let webhook) = config.routes[1].source else { return XCTFail("webhook route expected") }
        XCTAssertEqual(webhook.maxBodyBytes, 1000)
        guard case .folder(let folder) = config.routes[2].source else { return XCTFail("folder route expected") }
        XCTAssertEqual(folder.path, "/srv/drop")
        XCTAssertEqual(config.routes.map(\.source.kind), ["feed", "webhook", "folder"])
    }

    func testARouteHasExactlyOneSource() {
        assertError(#"{"routes":[{"name":"a","connector":"test.probe"}]}"#,
                    "routes[0]: a route needs a source; known: mqtt, feed, webhook, folder")
        assertError(#"{"mqtt":{},"routes":[{"name":"a","mqtt":{"topic":"a"},"webhook":{},"connector":"test.probe"}]}"#,
                    "routes[0]: a route has exactly one source, not mqtt and webhook; known: mqtt, feed, webhook, folder")
        assertError(#"{"routes":[{"name":"a","feed":{"url":"ftp://x/y"},"connector":"test.probe"}]}"#,
                    #"routes[0].feed.url: "ftp://x/y" is not an http or https URL"#)
    }

    func testLoadingAFileThatIsNotJSONSaysSo() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hub-config-\(UUID()).json")
        try Data("{ not json".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try HubConfiguration.load(contentsOf: url, environment: [:], catalog: catalog)) { error in
            XCTAssertTrue("\(error)".hasPrefix(url.path + ": payload is not valid JSON"), "\(error)")
        }
    }
}
