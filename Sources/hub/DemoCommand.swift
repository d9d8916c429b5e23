import Foundation
import HubCommandLine
import HubCore
import HubDemo
import HubHTTP
import HubRuntime
import HubServices
import HubSimulator
import Synchronization

/// `hub demo`: everything a territory emits, without an internet connection, in one process: the hub
/// on the demo configuration (`config/demo.json`), a fleet of simulated field gateways speaking every
/// sensor format over MQTT (to the broker the configuration names), the transport partners' recorded
/// feeds served live by a local HTTP server (`PartnerFeedServer`), and sample invoices dropped into
/// the invoice folders over the first minute (`InvoiceDrop`). Runs until SIGINT or SIGTERM.
enum DemoCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["config", "assets", "http-port", "mqtt-port", "devices", "rate", "log-level"])
        try HubCommand.bootstrapLogging(arguments)
        let logger = Logger(label: "hub.demo")
        // Before anything starts: a stop asked for meanwhile ends the demo gracefully once started.
        let stopRequested = StopSignals(logger: logger)
        let assets = URL(fileURLWithPath: arguments.option("assets") ?? "demo")
        func port(_ name: String) throws -> Int? {
            guard let text = arguments.option(name) else { return nil }
            guard let value = Int(text), (0...65535).contains(value) else { throw UsageError("--\(name) must be a port number, not \"\(text)\"") }
            return value
        }

        // The partners first: the configuration's feed URLs name their server.
        let partners = HTTPServer(settings: HTTPSettings(address: "127.0.0.1", port: 0),
                                  handler: try PartnerFeedServer(folder: assets.appendingPathComponent("feeds")),
                                  logger: logger.withLabel("hub.demo.partners"))
        try partners.start()
        defer { partners.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment["HUB_DEMO_FEEDS"] = "http://127.0.0.1:\(partners.port)"
        var configuration = try HubConfiguration.load(
            contentsOf: URL(fileURLWithPath: arguments.option("config") ?? "config/demo.json"), environment: environment,
            catalog: .compiledIn)
        if let port = try port("http-port") { configuration.http?.port = port }
        if let port = try port("mqtt-port") { configuration.mqtt?.port = port }
        guard let mqtt = configuration.mqtt else { throw UsageError("the demo configuration needs an mqtt section for the simulated sensors") }

        let runtime = try Hub(configuration: configuration, logger: Logger(label: "hub"))
        let firstRun = try RunCommand.issueFirstRunToken(configuration, runtime)
        try runtime.start()
        RunCommand.announceFirstRun(firstRun, configuration, runtime)
        if firstRun == nil, let settings = configuration.http, let port = runtime.httpPort {
            Output.line("The dashboard: \(settings.certFile == nil ? "http" : "https")://\(settings.address):\(port)/ (a token from `hub token create --config \(arguments.option("config") ?? "config/demo.json")`)")
        }

        var folders: [String: URL] = [:]
        for route in configuration.routes {
            if case .folder(let folder) = route.source {
                let url = URL(fileURLWithPath: folder.path)
                folders[url.lastPathComponent] = url
            }
        }
        let invoices = try InvoiceDrop(samples: assets.appendingPathComponent("invoices"), folders: folders, duration: 60)
        invoices.start { problem in logger.warning("invoice not dropped", ["problem": problem]) }

        var fleet = FleetSimulation()
        fleet.host = mqtt.host
        fleet.port = mqtt.port
        fleet.devices = try positive(arguments, "devices", 40)
        fleet.rate = Double(try positive(arguments, "rate", 10))
        fleet.count = Int.max
        fleet.silent = 3  // they speak once, then go inactive after the routes' deviceIntervalSeconds
        fleet.seed = UInt64(Date().timeIntervalSince1970)
        let cancelled = Atomic<Bool>(false)
        fleet.isCancelled = { cancelled.load(ordering: .relaxed) }
        let simulationEnded = DispatchSemaphore(value: 0)
        Thread { [fleet] in
            defer { simulationEnded.signal() }
            do {
                _ = try fleet.run(logger: logger.withLabel("hub.demo.sensors"))
            } catch {
                logger.error("the simulated sensors stopped", ["error": "\(error)"])
            }
        }.start()
        Output.line("Demo running: \(fleet.devices) simulated sensors at \(Int(fleet.rate)) messages/s on \(mqtt.host):\(mqtt.port), partner feeds on http://127.0.0.1:\(partners.port), \(invoices.count) invoices over the first minute. Ctrl-C stops it.")

        stopRequested.wait()
        cancelled.store(true, ordering: .relaxed)
        simulationEnded.wait()
        invoices.stop()
        runtime.stop()
        return 0
    }

    private static func positive(_ arguments: Arguments, _ name: String, _ fallback: Int) throws -> Int {
        guard let text = arguments.option(name) else { return fallback }
        guard let value = Int(text), value > 0, value <= 100_000 else { throw UsageError("--\(name) must be a whole number from 1 to 100000, not \"\(text)\"") }
        return value
    }
}
