import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices
import HubSimulator

/// Benchmark 3: the traffic of `hub simulate` (its six gateway formats, well-formed) decoded, mapped
/// to Smart Data Models and persisted by the hub's pipeline, device registry included, beside a
/// plain batched insert of the same rows.
enum SensorsBenchmark {
    /// The routes of config/hub.json for each simulated format (without MQTT: messages are delivered straight to their route).
    static let routes = """
        [{"name":"ttn","connector":"sensors.ttn","settings":{"entityType":"ParkingSpot","deviceId":"device_id",
           "codecs":{"2":{"fields":[{"name":"status","offset":0,"type":"uint8"},{"name":"batteryLevel","offset":1,"type":"uint8","scale":0.01}]}}}},
         {"name":"chirpstack","connector":"sensors.chirpstack","settings":{"entityType":"TrafficFlowObserved","deviceId":"deviceName"}},
         {"name":"senml","connector":"sensors.senml","settings":{"entityType":"NoiseLevelObserved"}},
         {"name":"json","connector":"sensors.json","settings":{"entityType":"AirQualityObserved","idField":"device","timeField":"observedAt",
           "units":{"no2":"GQ","pm10":"GQ","pm25":"GQ","temperature":"CEL","relativeHumidity":"P1"}}},
         {"name":"iota-json","connector":"sensors.fiware-iota","settings":{"apikeys":{"water-key":{"entityType":"WaterConsumptionObserved",
           "attributes":{"w":{"name":"waterConsumption","type":"Number","unit":"LTR"},"f":{"name":"flow","type":"Number","unit":"G51"}}}}}},
         {"name":"iota-ul","connector":"sensors.fiware-iota","settings":{"apikeys":{"air-ul-key":{"entityType":"AirQualityObserved",
           "attributes":{"t":{"name":"temperature","type":"Number","unit":"CEL"},"h":{"name":"relativeHumidity","type":"Number"},
                         "n":{"name":"no2","type":"Number","unit":"GQ"}}}}}}]
        """

    static func run(messages count: Int, workDirectory: URL) throws -> DecodeBenchmark.Result {
        var generator = SeededGenerator(seed: 1)
        var devices = (0..<200).map { SimulatedDevice(index: $0, format: SimulatedFormat.allCases[$0 % 6], generator: &generator) }
        let start = Timestamp(microsecondsSinceEpoch: 1_795_305_600_000_000)
        let receivedAt = Timestamp.now()
        let envelopes = (0..<count).map { index -> Envelope in
            let device = index % devices.count
            devices[device].drift(&generator)
            devices[device].sent += 1
            let payload = SimulatedPayloads.wellFormed(devices[device], at: start.adding(microseconds: Int64(index) * 1000), generator: &generator)
            return Envelope(route: devices[device].format.rawValue, source: .mqtt, origin: devices[device].format.topic(device: devices[device]),
                            payload: Data(payload.utf8), receivedAt: receivedAt)
        }

        let hubPath = workDirectory.appendingPathComponent("sensors-hub.sqlite").path
        let baselinePath = workDirectory.appendingPathComponent("sensors-baseline.sqlite").path
        for path in [hubPath, baselinePath] { DecodeBenchmark.removeDatabase(path) }
        let routes = try JSONValue(parsing: Self.routes).arrayValue ?? []
        var configuration = try HubConfiguration(json: .object([
            "store": .object(["path": .string(hubPath), "batchSize": .number(500), "batchDelayMs": .number(20)]),
            "mqtt": .object(["host": .string("127.0.0.1"), "clientId": .string("bench")]),
            "queues": .object(["routeCapacity": .number(4096), "busCapacity": .number(8192)]),
            "routes": .array(routes.map { route in
                var members = route.objectValue ?? [:]
                members["mqtt"] = .object(["topic": .string("bench/sensors/\(members["name"]?.stringValue ?? "")/#")])
                return .object(members)
            }),
        ]), environment: [:], catalog: .compiledIn)
        configuration.mqtt = nil  // no network: messages are delivered straight to their route
        let runtime = try Hub(configuration: configuration, logger: Logger(label: "bench.hub", level: .warning, sink: StandardErrorLogSink()))
        try runtime.start()
        let hubStart = DispatchTime.now()
        let progress = ProgressReporter(label: "decode+persist, six formats", total: envelopes.count, unit: "messages")
        for (index, envelope) in envelopes.enumerated() {
            _ = runtime.deliver(Delivery(envelope), waitForRoom: true)
            progress.update(done: index + 1)
        }
        runtime.stop()
        progress.finish()
        let hubSeconds = DecodeBenchmark.seconds(since: hubStart)
        let stored = SimulatedFormat.allCases.reduce(0) { $0 + runtime.metrics.route($1.rawValue).eventsStored.value }
        guard stored == count else { throw BenchError("the hub stored \(stored) of \(count) sensor events") }

        var connectors = try Dictionary(uniqueKeysWithValues: routes.map { route in
            (route["name"]?.stringValue ?? "", try ConnectorCatalog.compiledIn.make(id: route["connector"]?.stringValue ?? "", settings: route["settings"] ?? .null))
        })
        var events: [Event] = []
        for envelope in envelopes { events += try connectors[envelope.route]!.decode(envelope) }
        let baselineSeconds = try SQLiteBaseline.insert(events, path: baselinePath, batchSize: configuration.store.batchSize)
        for path in [hubPath, baselinePath] { DecodeBenchmark.removeDatabase(path) }
        return DecodeBenchmark.Result(events: count, hubRate: Double(count) / hubSeconds, baselineRate: Double(events.count) / baselineSeconds)
    }
}
