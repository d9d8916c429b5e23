import Foundation
import HubServices
import Synchronization

/// Deadlines libmicrohttpd does not keep: a request's headers must arrive within
/// `headerTimeoutSeconds` of the connection opening (or of the previous response), and its body
/// within `requestTimeoutSeconds` of its headers. libmicrohttpd's own timeout counts idle time
/// only, so a client sending one header line every few seconds would hold a connection, and its
/// thread, for ever (slowloris).
///
/// The server reports each connection's phase to the connection's `Watch`; a watchdog thread shuts
/// down the socket of one that overstays its phase, so libmicrohttpd's own read fails and it closes
/// the connection as it would any broken one (the watchdog never closes a descriptor libmicrohttpd
/// owns). A phase change is one atomic store on the connection's own watch, not a lock all
/// connections share: it happens three times per request, on every connection's thread at once.
final class ConnectionDeadlines: Sendable {
    /// Where a connection is in its current request.
    enum Phase: UInt64, Sendable {
        /// Waiting for a request line and headers.
        case awaitingHeaders = 0
        /// Headers in, body arriving.
        case receivingBody = 1
        /// The handler is answering (a stream may last hours): no deadline.
        case responding = 2
    }

    /// One connection's socket, its phase and when that phase began.
    final class Watch: Sendable {
        let socket: Int32
        /// The phase in the two low bits, the uptime in nanoseconds when it began above them: one
        /// word, so the watchdog never reads a phase with another phase's start.
        fileprivate let clock: Atomic<UInt64>
        /// Set by the watchdog (under its lock) once it shut the socket down.
        fileprivate let cut = Atomic<Bool>(false)

        fileprivate init(socket: Int32, phase: Phase, at time: DispatchTime) {
            self.socket = socket
            clock = Atomic(Self.pack(phase, time))
        }

        fileprivate static func pack(_ phase: Phase, _ time: DispatchTime) -> UInt64 {
            time.uptimeNanoseconds & ~3 | phase.rawValue
        }

        /// The current phase and when it began (uptime in nanoseconds).
        fileprivate var phase: (phase: Phase, since: UInt64) {
            let word = clock.load(ordering: .relaxed)
            return (Phase(rawValue: word & 3) ?? .responding, word & ~3)
        }
    }

    private let headerTimeout: Double
    private let requestTimeout: Double
    private let logger: Logger
    private let connections = Mutex<[ObjectIdentifier: Watch]>([:])
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

    /// A connection opened on `socket`: its watch, awaiting headers from now.
    func opened(socket: Int32) -> Watch {
        let watch = Watch(socket: socket, phase: .awaitingHeaders, at: .now())
        connections.withLock { $0[ObjectIdentifier(watch)] = watch }
        return watch
    }

    /// The connection moved to `phase` (its clock starts again).
    func enter(_ phase: Phase, _ watch: Watch) {
        watch.clock.store(Watch.pack(phase, .now()), ordering: .relaxed)
    }

    /// The connection closed: its socket is libmicrohttpd's to close, and no longer watched.
    func closed(_ watch: Watch) {
        _ = connections.withLock { $0.removeValue(forKey: ObjectIdentifier(watch)) }
    }

    /// Shuts down the sockets of connections past their phase's deadline; returns how many.
    func cutOverdue(now: DispatchTime) -> Int {
        connections.withLock { tracked in
            var cut = 0
            for watch in tracked.values where !watch.cut.load(ordering: .relaxed) {
                let (phase, since) = watch.phase
                let limit: Double
                switch phase {
                case .awaitingHeaders: limit = headerTimeout
                case .receivingBody: limit = requestTimeout
                case .responding: continue
                }
                // A phase entered after `now` was read is not overdue.
                guard now.uptimeNanoseconds > since, Double(now.uptimeNanoseconds - since) / 1e9 > limit,
                      watch.socket >= 0 else { continue }
                // Under the lock `closed` takes, so the socket is still the connection's own.
                shutdown(watch.socket, Int32(SHUT_RDWR))
                watch.cut.store(true, ordering: .relaxed)
                cut += 1
            }
            return cut
        }
    }
}
