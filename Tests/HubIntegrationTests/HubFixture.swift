import Foundation
import HubCore
import HubRuntime
import HubServices
import HubTesting

/// A configuration for a hub under test: a real broker's port, a real SQLite file in a temporary folder.
struct HubFixture {
    let directory: URL
    let databasePath: String

    init() throws {
        directory = try TemporaryDirectory.make(prefix: "hub-integration")
        databasePath = directory.appendingPathComponent("hub.sqlite").path
    }

    /// The configuration JSON: an air-quality route (sensors.json) and a SenML route.
    func configurationJSON(port: Int, clientID: String, batchSize: Int = 500, batchDelayMs: Int = 20,
                           reconnectMinSeconds: Int = 1, expectedIntervalSeconds: Int? = nil) -> JSONValue {
        var airQuality: [String: JSONValue] = [
            "name": .string("air-quality"),
            "mqtt": .object(["topic": .string("city/air/+/reading"), "qos": .number(1)]),
            "connector": .string("sensors.json"),
            "settings": Readings.routeSettings,
        ]
        if let expectedIntervalSeconds { airQuality["expectedIntervalSeconds"] = .number(Double(expectedIntervalSeconds)) }
        return .object([
            "store": .object([
                "path": .string(databasePath), "batchSize": .number(Double(batchSize)),
                "batchDelayMs": .number(Double(batchDelayMs)),
            ]),
            "mqtt": .object([
                "host": .string("127.0.0.1"), "port": .number(Double(port)), "clientId": .string(clientID),
                "reconnect": .object(["minSeconds": .number(Double(reconnectMinSeconds)), "maxSeconds": .number(5)]),
            ]),
            "routes": .array([
                .object(airQuality),
                .object([
                    "name": .string("senml"),
                    "mqtt": .object(["topic": .string("city/senml/#"), "qos": .number(1)]),
                    "connector": .string("sensors.senml"),
                    "settings": .object(["entityType": .string("Device")]),
                ]),
            ]),
        ])
    }

    func configuration(port: Int, clientID: String, batchSize: Int = 500, batchDelayMs: Int = 20,
                       reconnectMinSeconds: Int = 1, expectedIntervalSeconds: Int? = nil) throws -> HubConfiguration {
        try HubConfiguration(
            json: configurationJSON(port: port, clientID: clientID, batchSize: batchSize, batchDelayMs: batchDelayMs,
                                    reconnectMinSeconds: reconnectMinSeconds, expectedIntervalSeconds: expectedIntervalSeconds),
            environment: [:], catalog: .compiledIn)
    }

    /// Writes the configuration to a file, for the `hub` executable.
    func writeConfiguration(port: Int, clientID: String) throws -> URL {
        let url = directory.appendingPathComponent("hub.json")
        try Data(configurationJSON(port: port, clientID: clientID).jsonText.utf8).write(to: url)
        return url
    }
}
