import Foundation
import HubServices
import Synchronization

/// Deadlines libmicrohttpd does not keep: a request's headers must arrive within
/// `headerTimeoutSeconds` of the connection opening (or of the previous response), and its body
/// within `requestTimeoutSeconds` of its headers. libmicrohttpd's own timeout counts idle time
/// only, so a client sending one header line every few seconds would hold a connection, and its
/// thread, for ever (slowloris).
///
/// The server reports each connection's phase; a watchdog thread shuts down the socket of one
/// that overstays its phase, so libmicrohttpd's own read fails and it closes the connection as it
/// would any broken one (the watchdog never closes a descriptor libmicrohttpd owns).
final class ConnectionDeadlines: Sendable {
    /// Where a connection is in its current request.
    enum Phase: Sendable {
        /// Waiting for a request line and headers.
        case awaitingHeaders
        /// Headers in, body arriving.
        case receivingBody
        /// The handler is answering (a stream may last hours): no deadline.
        case responding
    }

    private struct Tracked {
        var socket: Int32
        var phase: Phase
        var since: DispatchTime
        var cut = false
    }

    private let headerTimeout: Double
    private let requestTimeout: Double
    private let logger: Logger
    private let connections = Mutex<[Int: Tracked]>([:])
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(settings: HTTPSettings, logger: Logger) {
        headerTimeout = Double(settings.headerTimeoutSeconds)
        requestTimeout = Double(settings.requestTimeoutSeconds)
        self.logger = logger
    }

    /// Starts the watchdog thread.
    func start() {
        let thread = Thread { [self] in
            Thread.nameCurrentThread("http deadlines")
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.25)
                let cut = cutOverdue(now: .now())
                if cut > 0 {
                    logger.warning("http connections cut for not sending their request in time",
                                   ["connections": String(cut), "header_timeout_s": String(Int(headerTimeout)),
                                    "request_timeout_s": String(Int(requestTimeout))])
                }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops the watchdog thread; call before the daemon stops, so no socket is touched after.
    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        finished.wait()
    }

    /// A connection opened on `socket`.
    func opened(_ connection: OpaquePointer, socket: Int32) {
        connections.withLock { $0[Int(bitPattern: connection)] = Tracked(socket: socket, phase: .awaitingHeaders, since: .now()) }
    }

    /// The connection moved to `phase` (its clock starts again).
    func enter(_ phase: Phase, _ connection: OpaquePointer) {
        connections.withLock { tracked in
            tracked[Int(bitPattern: connection)]?.phase = phase
            tracked[Int(bitPattern: connection)]?.since = .now()
        }
    }

    /// The connection closed: its socket is libmicrohttpd's to close, and no longer watched.
    func closed(_ connection: OpaquePointer) {
        _ = connections.withLock { $0.removeValue(forKey: Int(bitPattern: connection)) }
    }

    /// Shuts down the sockets of connections past their phase's deadline; returns how many.
    private func cutOverdue(now: DispatchTime) -> Int {
        connections.withLock { tracked in
            var cut = 0
            for (key, connection) in tracked where !connection.cut {
                let limit: Double
                switch connection.phase {
                case .awaitingHeaders: limit = headerTimeout
                case .receivingBody: limit = requestTimeout
                case .responding: continue
                }
                let elapsed = Double(now.uptimeNanoseconds &- connection.since.uptimeNanoseconds) / 1e9
                guard elapsed > limit, connection.socket >= 0 else { continue }
                // Under the lock `closed` takes, so the socket is still the connection's own.
                shutdown(connection.socket, Int32(SHUT_RDWR))
                tracked[key]?.cut = true
                cut += 1
            }
            return cut
        }
    }
}
