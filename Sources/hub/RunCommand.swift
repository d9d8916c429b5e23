import Foundation
import HubCommandLine
import HubCore
import HubHTTP
import HubRuntime
import HubServices
import HubStore

/// `hub run`: runs the hub until SIGINT or SIGTERM, then stops it gracefully.
enum RunCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try Arguments(words)
        try arguments.rejectUnknownOptions(["config", "log-level"])
        try HubCommand.bootstrapLogging(arguments)
        let logger = Logger(label: "hub")
        let configuration = try HubCommand.loadConfiguration(arguments)
        let runtime = try Hub(configuration: configuration, logger: logger)

        // Signals are turned into an event on a queue; the default handlers are ignored so that
        // a second Ctrl-C does not kill the process in the middle of the final commit.
        let stopRequested = DispatchSemaphore(value: 0)
        let signalQueue = DispatchQueue(label: "hub.signals")
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
            source.setEventHandler {
                logger.info("signal received", ["signal": number == SIGINT ? "SIGINT" : "SIGTERM"])
                stopRequested.signal()
            }
            source.resume()
            sources.append(source)
        }

        let firstRun = try configuration.http.flatMap {
            try FirstRunAccess.issueIfNeeded(settings: $0, routes: configuration.routes, store: runtime.store)
        }
        try runtime.start()
        logger.info("hub running", ["routes": String(configuration.routes.count), "store": configuration.store.path])
        if let firstRun, let settings = configuration.http, let port = runtime.httpPort {
            printFirstRun(firstRun, url: FirstRunAccess.dashboardURL(settings: settings, port: port, secret: firstRun.secret))
        }
        stopRequested.wait()
        runtime.stop()
        sources.forEach { $0.cancel() }
        return 0
    }

    /// Tells the operator of a first run where the dashboard is, with the token that opens it.
    static func printFirstRun(_ issued: IssuedToken, url: String) {
        Output.line("""

            No access token existed, so this first run created a local admin token "\(issued.token.name)" \
            (the store keeps only its hash; this is the only time it is shown). Open the dashboard:

                \(url)

            Manage tokens with `hub token create|list|revoke`.

            """)
    }
}
