import Dispatch
import Foundation
import HubServices

/// SIGINT and SIGTERM turned into one wait: the default handlers are ignored, so that a second Ctrl-C
/// does not kill the process in the middle of the final commit, and one that arrives while the hub
/// is still starting is kept until `wait()` (commands make this first).
final class StopSignals {
    private let requested = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "hub.signals")
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening; `logger` notes which signal arrived.
    init(logger: Logger) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [requested] in
                logger.info("signal received", ["signal": number == SIGINT ? "SIGINT" : "SIGTERM"])
                requested.signal()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks until a stop is requested, then stops listening.
    func wait() {
        requested.wait()
        sources.forEach { $0.cancel() }
    }
}
