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
        // Before the hub is built: a stop asked for while it starts ends it gracefully once started.
        let stopRequested = StopSignals(logger: logger)
        let configuration = try HubCommand.loadConfiguration(arguments)
        let runtime = try Hub(configuration: configuration, logger: logger)

        let firstRun = try issueFirstRunToken(configuration, runtime)
        try runtime.start()
        logger.info("hub running", ["routes": String(configuration.routes.count), "store": configuration.store.path])
        announceFirstRun(firstRun, configuration, runtime)
        stopRequested.wait()
        runtime.stop()
        return 0
    }

    /// The local admin token of a first run on a loopback address (see `FirstRunAccess`), else nil.
    static func issueFirstRunToken(_ configuration: HubConfiguration, _ runtime: Hub) throws -> IssuedToken? {
        try configuration.http.flatMap {
            try FirstRunAccess.issueIfNeeded(settings: $0, routes: configuration.routes, store: runtime.store)
        }
    }

    /// Prints the dashboard's URL with the first run's token, once the server listens.
    static func announceFirstRun(_ issued: IssuedToken?, _ configuration: HubConfiguration, _ runtime: Hub) {
        guard let issued, let settings = configuration.http, let port = runtime.httpPort else { return }
        printFirstRun(issued, url: FirstRunAccess.dashboardURL(settings: settings, port: port, secret: issued.secret))
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
