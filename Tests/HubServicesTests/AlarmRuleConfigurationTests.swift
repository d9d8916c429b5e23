import Foundation
import HubCore
import HubServices
import XCTest

/// `rules[]` in the configuration: each kind read, errors named by path, the predicate grammar.
final class AlarmRuleConfigurationTests: XCTestCase {
    private struct ProbeConnector: Connector {
        static let id = "test.probe"
        static let summary = "accepts anything"
        init(settings: Settings) throws {}
        mutating func decode(_ envelope: Envelope) throws -> [Event] { [] }
    }

    private func configuration(rules: String) throws -> HubConfiguration {
        let text = #"{"routes":[{"name":"air","webhook":{},"connector":"test.probe"}],"rules":[\#(rules)]}"#
        return try HubConfiguration(json: JSONValue(parsing: Data(text.utf8)), environment: [:],
                                    catalog: ConnectorCatalog([ProbeConnector.self]), hostName: "test")
    }

    private func assertError(_ rules: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try configuration(rules: rules), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testEachKindIsRead() throws {
        let rules = try configuration(rules: """
            {"name":"no2","severity":"major","types":["AirQualityObserved"],"routes":["air"],"entity":"urn:ngsi-ld:*:aq-*",
             "threshold":{"attribute":"no2","mean":"hourly","above":200,"hysteresis":20},"forSeconds":900},
            {"name":"silent","severity":"minor","types":["AirQualityObserved"],"absence":{"seconds":1800}},
            {"name":"late","severity":"warning","predicate":"delay > 300 or status == \\"late\\" and valid == false"},
            {"name":"cold","severity":"critical","threshold":{"attribute":"temperature","below":-5}}
            """).rules
        XCTAssertEqual(rules.map(\.name), ["no2", "silent", "late", "cold"])
        guard case .threshold(let threshold) = rules[0].condition else { return XCTFail("a threshold") }
        XCTAssertEqual(threshold, AlarmRule.Threshold(attribute: "no2", isUpper: true, limit: 200, hysteresis: 20, mean: .hourly))
        XCTAssertEqual(rules[0].holdSeconds, 900)
        XCTAssertEqual(rules[0].summary, "hourly mean of no2 > 200 (clears at 180) for 900 s")
        XCTAssertTrue(rules[0].watches(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:aq-3", route: "air"))
        XCTAssertFalse(rules[0].watches(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:bq-3", route: "air"))
        XCTAssertFalse(rules[0].watches(type: "AirQualityObserved", entity: "urn:ngsi-ld:AirQualityObserved:aq-3", route: "other"))
        XCTAssertFalse(rules[0].watches(type: "NoiseLevelObserved", entity: "urn:ngsi-ld:AirQualityObserved:aq-3", route: "air"))
        XCTAssertEqual(rules[1].condition, .absence(seconds: 1800))
        XCTAssertEqual(rules[1].summary, "no AirQualityObserved for 1800 s")
        guard case .threshold(let cold) = rules[3].condition else { return XCTFail("a threshold") }
        XCTAssertTrue(cold.isBreached(by: -6))
        XCTAssertFalse(cold.isBreached(by: -5))
        XCTAssertTrue(cold.isCleared(by: -5))
        XCTAssertEqual(rules[1].severity, .minor)
        XCTAssertLessThan(AlarmRule.Severity.critical, AlarmRule.Severity.warning)
    }

    func testErrorsNameTheOffendingPath() {
        assertError(#"{"name":"x","severity":"urgent","predicate":"a == 1"}"#,
                    #"rules[0].severity: expected one of critical, major, minor, warning, found "urgent""#)
        assertError(#"{"name":"x","severity":"major"}"#, "rules[0]: a rule needs a condition; known: threshold, absence, predicate")
        assertError(#"{"name":"x","severity":"major","predicate":"a == 1","absence":{"seconds":1}}"#,
                    "rules[0]: a rule has exactly one condition, not absence and predicate; known: threshold, absence, predicate")
        assertError(#"{"name":"x","severity":"major","routes":["air","ghost"],"predicate":"a == 1"}"#,
                    #"rules[0].routes[1]: no route is named "ghost"; known: air"#)
        assertError(#"{"name":"x","severity":"major","threshold":{"attribute":"no2","above":1,"below":0}}"#,
                    "rules[0].threshold: a threshold has exactly one of above and below")
        assertError(#"{"name":"x","severity":"major","threshold":{"attribute":"no2","above":1,"mean":"weekly"}}"#,
                    #"rules[0].threshold.mean: expected "hourly" or "daily", found "weekly""#)
        assertError(#"{"name":"x","severity":"major","threshold":{"attribute":"no2","above":1,"hysteresis":-2}}"#,
                    "rules[0].threshold.hysteresis: must be zero or more")
        assertError(#"{"name":"x","severity":"major","absence":{"seconds":60}}"#,
                    "rules[0].types: an absence rule names the event types whose absence it watches")
        assertError(#"{"name":"x","severity":"major","predicate":"delay >"}"#, "rules[0].predicate: at the end: expected a value after >")
        assertError(#"{"name":"x","severity":"major","predicate":"status == \"occupied"}"#,
                    "rules[0].predicate: at character 11: the text is not closed by a double quote")
        assertError(#"{"name":"x","severity":"major","predicate":"status > \"a\""}"#,
                    "rules[0].predicate: at character 10: text and booleans compare with == or != only")
        assertError(#"{"name":"x","severity":"major","predicate":"a == 1 b == 2"}"#,
                    #"rules[0].predicate: at character 8: expected "and", "or" or the end, found "b""#)
        assertError(#"{"name":"x","severity":"major","predicate":"a == 1","forSecond":5}"#,
                    "rules[0].forSecond: unknown setting; known: absence, description, entity, forSeconds, name, predicate, routes, severity, threshold, types")
        assertError(#"{"name":"x","severity":"major","predicate":"a == 1"},{"name":"x","severity":"minor","predicate":"a == 2"}"#,
                    #"rules[1].name: another rule is already named "x""#)
        assertError(#"{"name":"no 2","severity":"major","predicate":"a == 1"}"#,
                    #"rules[0].name: "no 2" is not a valid rule name (letters, digits, - _ .)"#)
    }

    func testPredicatesHoldOnAttributes() throws {
        func holds(_ text: String, _ attributes: [String: Value]) throws -> Bool {
            try AlarmPredicate(parsing: text).holds(for: attributes)
        }
        XCTAssertTrue(try holds("failures is not empty", ["failures": .json(.array([.object(["rule": .string("BR-CO-15")])]))]))
        XCTAssertFalse(try holds("failures is not empty", ["failures": .json(.array([]))]))
        XCTAssertTrue(try holds("failures is empty", [:]), "a missing attribute is empty")
        XCTAssertTrue(try holds("delay > 300", ["delay": .number(301, unit: "SEC")]))
        XCTAssertFalse(try holds("delay > 300", ["delay": .number(300, unit: "SEC")]))
        XCTAssertFalse(try holds("delay > 300", [:]), "a comparison with a missing attribute is false")
        XCTAssertTrue(try holds("delay != 300", [:]), "except !=")
        XCTAssertTrue(try holds(#"status == "occupied""#, ["status": .text("occupied")]))
        XCTAssertFalse(try holds(#"status == "occupied""#, ["status": .number(1, unit: nil)]), "another kind is not equal")
        XCTAssertTrue(try holds("valid == false", ["valid": .boolean(false)]))
        XCTAssertTrue(try holds("a == 1 and b == 2 or c == 3", ["c": .number(3, unit: nil)]), "and binds tighter than or")
        XCTAssertFalse(try holds("a == 1 and b == 2 or c == 3", ["a": .number(1, unit: nil)]))
        XCTAssertTrue(try holds("temperature <= -5.5", ["temperature": .number(-6, unit: "CEL")]))
        XCTAssertEqual(try AlarmPredicate(parsing: "x > 1 and y is empty or x < 0").attributes, ["x", "y"])
    }

    func testShippedConfigurationsRulesAreValid() throws {
        // config/hub.json ships the EU limit values; its routes are checked by CommandLineTests (`hub check`).
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/hub.json")
        let root = try XCTUnwrap(JSONValue(parsing: Data(contentsOf: url)).objectValue)
        let routes = try XCTUnwrap(root["routes"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        let text = #"{"routes":[\#(routes.map { #"{"name":"\#($0)","webhook":{},"connector":"test.probe"}"# }.joined(separator: ","))],"rules":\#(try XCTUnwrap(root["rules"]).jsonText)}"#
        let rules = try HubConfiguration(json: JSONValue(parsing: Data(text.utf8)), environment: [:],
                                         catalog: ConnectorCatalog([ProbeConnector.self]), hostName: "test").rules
        XCTAssertEqual(rules.first { $0.name == "no2-hourly-limit" }?.summary, "hourly mean of no2 > 200 (clears at 180)")
        XCTAssertEqual(rules.first { $0.name == "pm10-daily-limit" }?.summary, "daily mean of pm10 > 50 (clears at 45)")
    }
}
