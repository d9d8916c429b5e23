import Foundation
import HubCore
import HubServices
import XCTest

/// `subscriptions[]` in the configuration: filters and targets read, the secret from the
/// environment, errors named by path, the filter's matching and the retry policy's delays.
final class SubscriptionConfigurationTests: XCTestCase {
    private struct ProbeConnector: Connector {
        static let id = "test.probe"
        static let summary = "accepts anything"
        init(settings: Settings) throws {}
        mutating func decode(_ envelope: Envelope) throws -> [Event] { [] }
    }

    private func configuration(_ subscriptions: String, environment: [String: String] = ["HOOK_SECRET": "s3cret"]) throws -> HubConfiguration {
        let text = #"{"routes":[{"name":"air","webhook":{},"connector":"test.probe"}],"subscriptions":[\#(subscriptions)]}"#
        return try HubConfiguration(json: JSONValue(parsing: Data(text.utf8)), environment: environment,
                                    catalog: ConnectorCatalog([ProbeConnector.self]), hostName: "test")
    }

    private func assertError(_ subscriptions: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try configuration(subscriptions), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    private func event(type: String = "AirQualityObserved", entity: String = "urn:ngsi-ld:AirQualityObserved:aq-1",
                       route: String = "air", attributes: [String: Value] = ["no2": .number(41, unit: nil)]) -> Event {
        Event(type: type, entity: entity, observedAt: .now(), receivedAt: .now(), route: route, attributes: attributes)
    }

    func testAnHTTPSubscriptionIsRead() throws {
        let subscriptions = try configuration("""
            {"name":"partner","filter":{"types":["AirQualityObserved","AlarmRaised"],"routes":["air"],"entity":"urn:ngsi-ld:*:aq-*",
             "attributes":["no2","severity"],"severities":["critical","major"]},
             "http":{"url":"https://partner.example/hook","secret":"${HOOK_SECRET}","timeoutMs":2500,
                     "retry":{"initialDelayMs":200,"maxDelayMs":30000,"pauseAfterSeconds":600}},
             "maxLag":5000,"onLagLimit":"dropOldest","batchSize":50}
            """).subscriptions
        XCTAssertEqual(subscriptions.count, 1)
        let subscription = subscriptions[0]
        XCTAssertEqual(subscription.name, "partner")
        XCTAssertEqual(subscription.maxLag, 5000)
        XCTAssertEqual(subscription.onLagLimit, .dropOldest)
        XCTAssertEqual(subscription.batchSize, 50)
        guard case .http(let target) = subscription.target else { return XCTFail("an http target") }
        XCTAssertEqual(target.url.absoluteString, "https://partner.example/hook")
        XCTAssertEqual(target.secret, "s3cret", "the secret comes from the environment")
        XCTAssertEqual(target.timeout, .milliseconds(2500))
        XCTAssertEqual(target.retry.initialDelay, .milliseconds(200))
        XCTAssertEqual(target.retry.maxDelay, .milliseconds(30000))
        XCTAssertEqual(target.retry.pauseAfter, .seconds(600))
        XCTAssertEqual(subscription.filter.severities, [.critical, .major])
    }

    func testDefaults() throws {
        let subscription = try configuration(#"{"name":"all","http":{"url":"http://127.0.0.1:9000/"}}"#).subscriptions[0]
        XCTAssertEqual(subscription.maxLag, 100_000)
        XCTAssertEqual(subscription.onLagLimit, .pause)
        XCTAssertEqual(subscription.batchSize, 100)
        guard case .http(let target) = subscription.target else { return XCTFail("an http target") }
        XCTAssertNil(target.secret)
        XCTAssertEqual(target.timeout, .seconds(10))
        XCTAssertTrue(subscription.filter.matches(event()), "an empty filter takes everything")
    }

    func testTheFilterMatchesEachCriterion() throws {
        var filter = Subscription.Filter()
        filter.types = ["AirQualityObserved"]
        filter.routes = ["air"]
        filter.entityPattern = "urn:ngsi-ld:*:aq-*"
        filter.attributes = ["no2", "pm10"]
        XCTAssertTrue(filter.matches(event()))
        XCTAssertFalse(filter.matches(event(type: "NoiseLevelObserved")))
        XCTAssertFalse(filter.matches(event(route: "other")))
        XCTAssertFalse(filter.matches(event(entity: "urn:ngsi-ld:AirQualityObserved:bq-1")))
        XCTAssertFalse(filter.matches(event(attributes: ["temperature": .number(3, unit: nil)])))
        var alarms = Subscription.Filter()
        alarms.severities = [.critical]
        XCTAssertTrue(alarms.matches(event(type: "AlarmRaised", attributes: ["severity": .text("critical")])))
        XCTAssertFalse(alarms.matches(event(type: "AlarmRaised", attributes: ["severity": .text("minor")])))
        XCTAssertFalse(alarms.matches(event()), "severities take alarm events only")
    }

    func testErrorsNameTheOffendingPath() {
        assertError(#"{"name":"a b","http":{"url":"http://x/"}}"#,
                    #"subscriptions[0].name: "a b" is not a valid subscription name (letters, digits, - _ .)"#)
        assertError(#"{"name":"a"}"#, "subscriptions[0]: a subscription needs a target; known: http, mqtt")
        assertError(#"{"name":"a","http":{"url":"ftp://x/"}}"#, #"subscriptions[0].http.url: "ftp://x/" is not an http or https URL"#)
        assertError(#"{"name":"a","http":{"url":"http://x/","secret":"${MISSING}"}}"#,
                    "subscriptions[0].http.secret: environment variable MISSING is not set")
        assertError(#"{"name":"a","http":{"url":"http://x/","retry":{"initialDelayMs":500,"maxDelayMs":100}}}"#,
                    "subscriptions[0].http.retry.maxDelayMs: must not be less than initialDelayMs")
        assertError(#"{"name":"a","http":{"url":"http://x/"},"filter":{"routes":["ghost"]}}"#,
                    #"subscriptions[0].filter.routes[0]: no route is named "ghost"; known: air"#)
        assertError(#"{"name":"a","http":{"url":"http://x/"},"filter":{"severities":["loud"]}}"#,
                    #"subscriptions[0].filter.severities[0]: expected one of critical, major, minor, warning, found "loud""#)
        assertError(#"{"name":"a","http":{"url":"http://x/"},"onLagLimit":"block"}"#,
                    #"subscriptions[0].onLagLimit: expected "pause" or "dropOldest", found "block""#)
        assertError(#"{"name":"a","http":{"url":"http://x/"}},{"name":"a","http":{"url":"http://y/"}}"#,
                    #"subscriptions[1].name: another subscription is already named "a""#)
        assertError(#"{"name":"a","mqtt":{"topic":"territory/{type}/{entity}"}}"#,
                    "subscriptions[0].mqtt: an MQTT target publishes on the hub's broker, but no broker is configured (mqtt)")
        assertError(#"{"name":"a","http":{"url":"http://x/"},"colour":"red"}"#,
                    "subscriptions[0].colour: unknown setting; known: batchSize, filter, http, maxLag, mqtt, name, onLagLimit")
    }

    func testRetryDelaysDoubleUpToTheCapWithJitter() {
        var retry = Subscription.RetryPolicy()
        retry.initialDelay = .milliseconds(100)
        retry.maxDelay = .milliseconds(1000)
        XCTAssertEqual(retry.delay(afterFailures: 1, unit: 0.999_999), .milliseconds(99))
        XCTAssertEqual(retry.delay(afterFailures: 1, unit: 0), .milliseconds(50))
        XCTAssertEqual(retry.delay(afterFailures: 3, unit: 0), .milliseconds(200))
        XCTAssertEqual(retry.delay(afterFailures: 10, unit: 0), .milliseconds(500))
        XCTAssertEqual(retry.delay(afterFailures: 10_000, unit: 0.5), .milliseconds(750))
    }
}
