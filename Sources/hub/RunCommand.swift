import Foundation
import HubCommandLine
import HubCore
import HubRuntime
import HubServices

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

        try runtime.start()
        logger.info("hub running", ["routes": String(configuration.routes.count), "store": configuration.store.path])
        stopRequested.wait()
        runtime.stop()
        sources.forEach { $0.cancel() }
        return 0
    }
}
