import CMosquitto
import Dispatch
import Foundation
import HubCore
import HubServices

/// An MQTT client on libmosquitto: one broker connection that subscribes, receives and publishes,
/// and reconnects by itself.
///
/// Life cycle: create it, register subscriptions with `subscribe(_:qos:)`, call `start()`, and
/// finally `stop()`. Between the two, libmosquitto's network thread (`mosquitto_loop_start`) keeps
/// the connection up: when it drops, or the broker is not there yet, it retries with growing delays
/// (`reconnectDelayMinSeconds` up to `reconnectDelayMaxSeconds`) and, on every successful connect,
/// the client sends all its subscriptions again. Where libmosquitto gives up for good (after a
/// failed TLS handshake, an MQTT 5 refusal or DISCONNECT, a protocol error), the client logs why
/// and starts over on a new network thread after `reconnectDelayMaxSeconds`: it keeps trying until
/// `stop()`.
///
/// Delivery: with QoS 1 and a persistent session (the defaults), the broker keeps messages while the
/// client is away and delivers them when it is back. libmosquitto acknowledges a message to the
/// broker *before* `onMessage` sees it, so from then on the message is the handler's to keep.
///
/// Backpressure: `onMessage` runs on the network thread and may block (the hub blocks there while
/// its queues are full). While it blocks, the client reads nothing more from the socket, so the
/// broker queues further messages for this session. Two things bound that: the broker's
/// `max_queued_messages` / `max_queued_bytes` (beyond them mosquitto drops messages for the session,
/// so set them high on a hub's broker), and the keep-alive (blocking for longer than 1.5 ×
/// `keepAliveSeconds` makes the broker close the connection; the client reconnects and, with a
/// persistent session, unacknowledged messages are sent again).
///
/// Threads: every method may be called from any thread, except `stop()`, which must not be called
/// from `onMessage` or `onStateChange` (it waits for the network thread, which runs them).
public final class MQTTClient: @unchecked Sendable {
    // @unchecked Sendable: every `var` below is read and written only while `monitor` is locked,
    // except `networkThreadRunning`, which only code running on the serial queue `supervisor`
    // touches. `handle` is libmosquitto's, whose functions may be called from any thread; it is
    // destroyed only by `stop()` (or `deinit`) after the network thread has ended and no call that
    // uses it is in progress (see `withHandle`).
    //
    // The client's jobs are split over this file (life cycle: init, start, stop, waiting for the
    // connection) and its extensions: MQTTClient+Publishing.swift, MQTTClient+Subscriptions.swift,
    // MQTTClient+Callbacks.swift and MQTTClient+NetworkThread.swift. State that more than one file
    // uses is internal rather than private for that reason only: nothing else in HubMQTT touches it.

    /// The options the client was created with.
    public let options: MQTTClientOptions

    let logger: Logger
    let metrics: HubMetrics?
    let onMessage: @Sendable (MQTTMessage) -> Void
    private let onStateChange: (@Sendable (MQTTConnectionState) -> Void)?
    let handle: OpaquePointer
    /// Starts and stops libmosquitto's network thread, one thing at a time.
    let supervisor: DispatchQueue

    let monitor = NSCondition()
    var phase = Phase.idle
    var currentState = MQTTConnectionState.disconnected
    var subscriptions: [MQTTSubscription] = []
    var resolvedProtocol: MQTTProtocolVersion?
    /// SUBSCRIBE packets of the current connection that the broker has not answered yet, by message id.
    var subscriptionsAwaitingAck: [Int32: MQTTSubscription] = [:]
    /// True from a successful CONNACK until the connection ends.
    var sessionUp = false
    var hasBeenConnected = false
    private var callsInProgress = 0
    var publishesAwaitingAck = 0
    var publishesAcknowledged = 0
    var waitersForAcks = 0
    /// A strong reference held while the network thread may call back: the C side only has an
    /// unretained pointer to `self`, so the client must outlive the handle's thread.
    private var retainedWhileRunning: Unmanaged<MQTTClient>?
    var networkThreadRunning = false
    /// What `pause(reason:)` and `resume()` asked for last; `supervisor` acts on it (see `reconcilePause`).
    var pauseRequested = false
    /// True from `pause(reason:)` until `supervisor` has connected again after `resume()`:
    /// disconnected on purpose, not reconnecting. A network thread that ends meanwhile is not restarted.
    var paused = false
    /// The last error libmosquitto logged, the reason given when its network thread ends.
    var lastLibraryError: String?
    /// Notices the broker closing connection after connection soon after accepting them.
    var flapWatch = ConnectionFlapWatch()

    enum Phase { case idle, running, stopping, stopped }

    /// Creates a client and its libmosquitto handle; nothing touches the network before `start()`.
    ///
    /// - Parameters:
    ///   - options: broker, session and retry settings (checked with `MQTTClientOptions.validate()`).
    ///   - logger: where the client writes one line per connection change and subscription failure.
    ///   - metrics: when given, `mqttConnected` follows the connection (1 up, 0 down) and
    ///     `mqttConnects` counts every successful connect.
    ///   - onMessage: called with every message, one at a time, on libmosquitto's network thread. It
    ///     may block; see the type's documentation on backpressure. A client that only publishes can
    ///     leave it out. (A trailing closure after `metrics:` is this handler.)
    ///   - onStateChange: called with each new state, on the thread that caused the change (usually
    ///     the network thread); keep it short.
    /// - Throws: `MQTTError` when an option is invalid or libmosquitto rejects it (for example a TLS
    ///   file that cannot be read).
    public init(
        options: MQTTClientOptions, logger: Logger, metrics: HubMetrics? = nil,
        onMessage: @escaping @Sendable (MQTTMessage) -> Void = { _ in },
        onStateChange: (@Sendable (MQTTConnectionState) -> Void)? = nil
    ) throws {
        try options.validate()
        try MosquittoLibrary.initialize()
        let clientID = options.clientID.isEmpty ? nil : options.clientID
        guard let handle = mosquitto_new(clientID, options.cleanSession, nil) else {
            throw MQTTError(.libraryFailure, "mosquitto_new failed: \(String(cString: strerror(errno)))")
        }
        self.options = options
        self.logger = logger
        self.metrics = metrics
        self.onStateChange = onStateChange
        self.onMessage = onMessage
        self.handle = handle
        self.supervisor = DispatchQueue(label: "hub.mqtt.supervisor.\(options.clientID)")
        // Fully initialised: if a setting below throws, `deinit` runs and destroys the handle.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try applyOptions()
        installCallbacks()
    }

    deinit {
        // Reached only before `start()` or after `stop()`: a running client is kept alive by
        // `retainedWhileRunning`. `stop()` has already destroyed the handle.
        if phase != .stopped { mosquitto_destroy(handle) }
    }

    /// The version of the libmosquitto the hub runs with, e.g. `2.0.11`.
    public static var libraryVersion: String { MosquittoLibrary.version }

    // MARK: - Life cycle

    /// Where the connection stands now.
    public var state: MQTTConnectionState {
        monitor.withLock { currentState }
    }

    /// The protocol version in use once started; before `start()`, the one it would pick now.
    public var protocolVersion: MQTTProtocolVersion {
        monitor.withLock { resolvedProtocol ?? Self.resolve(options.protocolVersion, for: subscriptions) }
    }

    /// Connects in the background and starts libmosquitto's network thread.
    ///
    /// It does not wait for the broker: use `waitUntilConnected(timeout:)` for that. When the broker
    /// cannot be reached yet, or refuses the connection, the client logs a warning and keeps trying
    /// in the background.
    ///
    /// With MQTT 5 and a persistent session, the first TCP connection is made before this returns
    /// (libmosquitto can only attach the session-expiry property to a blocking connect); a refused
    /// connection returns at once, an unreachable host may take the system's TCP connect timeout.
    ///
    /// - Throws: `MQTTError` with `.invalidState` when called twice or after `stop()`, or
    ///   `.connectFailed` when retrying cannot help (libmosquitto rejects the host or port, or lacks
    ///   a feature). Every other failure is retried in the background and shows in `state`.
    public func start() throws {
        let version: MQTTProtocolVersion = try monitor.withLock {
            guard phase == .idle else {
                throw MQTTError(.invalidState, phase == .running
                    ? "the MQTT client's start() was already called" : "a stopped MQTT client cannot start again; create a new one")
            }
            let version = Self.resolve(options.protocolVersion, for: subscriptions)
            resolvedProtocol = version
            phase = .running
            retainedWhileRunning = Unmanaged.passRetained(self)
            return version
        }
        setState(.connecting)
        logger.info("connecting", endpointMetadata(["protocol": version.description,
                                                     "session": options.cleanSession ? "clean" : "persistent",
                                                     "subscriptions": String(subscriptionCount),
                                                     "libmosquitto": MosquittoLibrary.version]))
        let (connectResult, loopResult) = supervisor.sync {
            connectAndStartNetworkThread { connect(using: version) }
        }
        guard loopResult == MOSQ_ERR_SUCCESS.rawValue else {
            undoStart()
            throw MQTTError(.libraryFailure, context: "mosquitto_loop_start failed", returnCode: loopResult)
        }
        guard connectResult != MOSQ_ERR_SUCCESS.rawValue else { return }
        guard !Self.returnCodesThatFailStart.contains(connectResult) else {
            undoStart()
            throw MQTTError(.connectFailed, context: "cannot connect to \(endpoint)", returnCode: connectResult)
        }
        let reason = takeLastLibraryError() ?? MQTTError.describe(returnCode: connectResult)
        if Self.returnCodesWorthRetrying.contains(connectResult) {
            logger.warning("cannot connect", retryMetadata(reason: reason))
        } else {
            // Failed in a way libmosquitto does not retry (a TLS handshake can fail right here).
            let delay = options.reconnectDelayMaxSeconds
            logger.warning("cannot connect", endpointMetadata(["reason": reason, "retrying": "after \(delay) s"]))
            supervisor.async { [self] in
                guard isRunning else { return }
                mosquitto_threaded_set(handle, true)
                restartNetworkThread(in: delay)
            }
        }
        setState(.reconnecting(reason: reason))
    }

    /// Disconnects, ends the network thread and frees the libmosquitto handle.
    ///
    /// When it returns, `onMessage` is not running and will not be called again. If `onMessage` is
    /// blocked when `stop()` is called, `stop()` waits until it returns. Messages still queued in
    /// libmosquitto for publishing are dropped: call `waitUntilPublishesAcknowledged` first to
    /// avoid that. Calling it again, or concurrently, does nothing more. Never call it from
    /// `onMessage` or `onStateChange`.
    public func stop() {
        let wasRunning: Bool? = monitor.withLock {
            while phase == .stopping { monitor.wait() }  // another stop(), or a failed start(), is under way
            switch phase {
            case .idle:
                phase = .stopped
                return false
            case .running:
                phase = .stopping
                return true
            case .stopping, .stopped:
                return nil
            }
        }
        guard let wasRunning else { return }
        if wasRunning {
            supervisor.sync {
                // Sets libmosquitto's state to disconnected, so the thread ends instead of reconnecting;
                // loop_stop wakes it from a reconnect delay and joins it.
                mosquitto_disconnect(handle)
                if networkThreadRunning {
                    mosquitto_loop_stop(handle, false)
                    networkThreadRunning = false
                }
            }
        }
        let retained: Unmanaged<MQTTClient>? = monitor.withLock {
            phase = .stopped
            while callsInProgress > 0 { monitor.wait() }
            sessionUp = false
            monitor.broadcast()
            defer { retainedWhileRunning = nil }
            return retainedWhileRunning
        }
        mosquitto_destroy(handle)
        metrics?.mqttConnected.set(0)
        if setState(.disconnected) != .disconnected, wasRunning {
            logger.info("disconnected", endpointMetadata())
        }
        retained?.release()
    }

    /// Waits until the client is connected (subscriptions acknowledged), up to `timeout`.
    ///
    /// - Returns: true when connected, false when the time ran out first.
    public func waitUntilConnected(timeout: Duration) -> Bool {
        waitUntil(timeout: timeout) { $0.isConnected }
    }

    /// Waits until `predicate` holds for the connection state, up to `timeout`.
    ///
    /// - Returns: true when it holds, false when the time ran out first.
    public func waitUntil(timeout: Duration, _ predicate: (MQTTConnectionState) -> Bool) -> Bool {
        let deadline = Self.deadline(after: timeout)
        return monitor.withLock {
            while !predicate(currentState) {
                if !monitor.wait(until: deadline) { return predicate(currentState) }
            }
            return true
        }
    }

    // MARK: - Setting up

    /// Hands the options that do not change between connections to libmosquitto.
    private func applyOptions() throws {
        func check(_ result: Int32, _ what: String) throws {
            guard result == MOSQ_ERR_SUCCESS.rawValue else {
                throw MQTTError(.invalidOption, context: what, returnCode: result)
            }
        }
        if let username = options.username {
            try check(mosquitto_username_pw_set(handle, username, options.password), "the MQTT username and password were rejected")
        }
        if let tls = options.tls {
            try check(mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil),
                      "the MQTT TLS files cannot be used (caFile \(tls.caFile), certFile \(tls.certFile ?? "none"), keyFile \(tls.keyFile ?? "none"))")
        }
        try check(mosquitto_reconnect_delay_set(handle, UInt32(options.reconnectDelayMinSeconds),
                                                UInt32(options.reconnectDelayMaxSeconds), true),
                  "reconnect delays rejected")
        try check(mosquitto_int_option(handle, MOSQ_OPT_SEND_MAXIMUM, Int32(options.maxInflightMessages)),
                  "maxInflightMessages rejected")
        // Acknowledgements are tiny packets: do not let Nagle's algorithm hold them back.
        try check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "TCP_NODELAY rejected")
    }

    /// Sets the protocol and makes the first connection attempt; returns libmosquitto's result.
    private func connect(using version: MQTTProtocolVersion) -> Int32 {
        let protocolNumber = version == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        let set = mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, protocolNumber)
        guard set == MOSQ_ERR_SUCCESS.rawValue else { return set }
        let keepAlive = Int32(options.keepAliveSeconds)
        guard version == .v5, !options.cleanSession else {
            return mosquitto_connect_async(handle, options.host, Int32(options.port), keepAlive)
        }
        // An MQTT 5 session ends when the connection does unless CONNECT carries a session expiry
        // interval. libmosquitto keeps the properties given here for its own reconnects, but only
        // mosquitto_connect_bind_v5 (a blocking connect) takes any.
        var properties: OpaquePointer?
        defer { mosquitto_property_free_all(&properties) }
        let added = mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), UInt32.max)
        guard added == MOSQ_ERR_SUCCESS.rawValue else { return added }
        return mosquitto_connect_bind_v5(handle, options.host, Int32(options.port), keepAlive, nil, properties)
    }

    /// Puts a client whose `start()` failed back to where it was before, so `stop()` cleans up.
    private func undoStart() {
        let retained: Unmanaged<MQTTClient>? = monitor.withLock {
            phase = .stopping
            defer { retainedWhileRunning = nil }
            return retainedWhileRunning
        }
        supervisor.sync {
            if networkThreadRunning {
                mosquitto_disconnect(handle)
                mosquitto_loop_stop(handle, false)
                networkThreadRunning = false
            }
        }
        monitor.withLock {
            phase = .idle
            resolvedProtocol = nil
            monitor.broadcast()
        }
        setState(.disconnected)
        retained?.release()
    }

    // MARK: - Helpers

    /// Whether the client is started and not stopping.
    var isRunning: Bool { monitor.withLock { phase == .running } }

    /// Whether the client is started, not stopping and not paused: whether it should be connected.
    var shouldConnect: Bool { monitor.withLock { phase == .running && !paused } }

    /// The last error libmosquitto logged, forgotten once read so that it explains one failure only.
    func takeLastLibraryError() -> String? {
        monitor.withLock {
            defer { lastLibraryError = nil }
            return lastLibraryError
        }
    }

    private var endpoint: String { "\(options.host):\(options.port)" }

    /// A log line's metadata: `extra` plus the broker and the client id.
    func endpointMetadata(_ extra: [String: String] = [:]) -> [String: String] {
        extra.merging(["broker": endpoint, "clientID": options.clientID]) { mine, _ in mine }
    }

    /// The metadata of a "connection lost" or "cannot connect" line: why, and how retries go on.
    func retryMetadata(reason: String) -> [String: String] {
        endpointMetadata(["reason": reason,
                          "retrying": "after \(options.reconnectDelayMinSeconds)...\(options.reconnectDelayMaxSeconds) s"])
    }

    /// Sets the state, wakes waiters and tells `onStateChange` when it changed; returns the old state.
    @discardableResult
    func setState(_ new: MQTTConnectionState) -> MQTTConnectionState {
        let old: MQTTConnectionState = monitor.withLock {
            let old = currentState
            currentState = new
            if old != new { monitor.broadcast() }
            return old
        }
        if old != new { onStateChange?(new) }
        return old
    }

    /// Runs `body` with the handle, making sure `stop()` does not destroy it meanwhile.
    func withHandle<Result>(_ operation: String, _ body: (OpaquePointer) throws -> Result) throws -> Result {
        try monitor.withLock {
            guard phase == .idle || phase == .running else {
                throw MQTTError(.invalidState, "cannot \(operation): the MQTT client is stopped")
            }
            callsInProgress += 1
        }
        defer {
            monitor.withLock {
                callsInProgress -= 1
                if callsInProgress == 0 { monitor.broadcast() }
            }
        }
        return try body(handle)
    }

    /// Results of the first connection attempt that retrying cannot fix: `start()` throws them.
    private static let returnCodesThatFailStart: Set<Int32> = [
        MOSQ_ERR_INVAL, MOSQ_ERR_NOMEM, MOSQ_ERR_NOT_SUPPORTED,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// The moment `timeout` from now, for `NSCondition.wait(until:)`.
    static func deadline(after timeout: Duration) -> Date {
        Date(timeIntervalSinceNow: timeout.timeInterval)
    }
}
