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

    /// The options the client was created with.
    public let options: MQTTClientOptions

    private let logger: Logger
    private let metrics: HubMetrics?
    private let onMessage: @Sendable (MQTTMessage) -> Void
    private let onStateChange: (@Sendable (MQTTConnectionState) -> Void)?
    private let handle: OpaquePointer
    /// Starts and stops libmosquitto's network thread, one thing at a time.
    private let supervisor: DispatchQueue

    private let monitor = NSCondition()
    private var phase = Phase.idle
    private var currentState = MQTTConnectionState.disconnected
    private var subscriptions: [MQTTSubscription] = []
    private var resolvedProtocol: MQTTProtocolVersion?
    /// SUBSCRIBE packets of the current connection that the broker has not answered yet, by message id.
    private var subscriptionsAwaitingAck: [Int32: MQTTSubscription] = [:]
    /// True from a successful CONNACK until the connection ends.
    private var sessionUp = false
    private var hasBeenConnected = false
    private var callsInProgress = 0
    private var publishesAwaitingAck = 0
    private var publishesAcknowledged = 0
    private var waitersForAcks = 0
    /// A strong reference held while the network thread may call back: the C side only has an
    /// unretained pointer to `self`, so the client must outlive the handle's thread.
    private var retainedWhileRunning: Unmanaged<MQTTClient>?
    private var networkThreadRunning = false
    /// The last error libmosquitto logged, the reason given when its network thread ends.
    private var lastLibraryError: String?

    private enum Phase { case idle, running, stopping, stopped }

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
            throw MQTTError(code: .libraryFailure, message: "mosquitto_new failed: \(String(cString: strerror(errno)))")
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

    // MARK: - Public interface

    /// Where the connection stands now.
    public var state: MQTTConnectionState {
        monitor.withLock { currentState }
    }

    /// The protocol version in use once started; before `start()`, the one it would pick now.
    public var protocolVersion: MQTTProtocolVersion {
        monitor.withLock { resolvedProtocol ?? Self.resolve(options.protocolVersion, for: subscriptions) }
    }

    /// Registers a subscription. It is sent on every successful connect, with the filter's full
    /// text (a `$share/<group>/` prefix included), so it survives broker restarts and lost sessions.
    ///
    /// Call it before `start()`: the subscriptions decide the protocol version (see
    /// `MQTTProtocolVersion.automatic`). Calling it afterwards is a programming error.
    ///
    /// - Parameters:
    ///   - filter: the topic filter.
    ///   - qos: the maximum QoS to receive with, 0, 1 or 2 (the hub uses 1).
    public func subscribe(_ filter: TopicFilter, qos: Int) {
        precondition((0...2).contains(qos), "MQTT QoS is 0, 1 or 2, not \(qos)")
        monitor.withLock {
            precondition(phase == .idle, "MQTTClient.subscribe(_:qos:) must be called before start()")
            subscriptions.append(MQTTSubscription(filter: filter, qos: qos))
        }
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
                throw MQTTError(code: .invalidState, message: phase == .running
                    ? "start() was already called" : "a stopped client cannot start again; create a new one")
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
            throw MQTTError(code: .libraryFailure, context: "mosquitto_loop_start failed", returnCode: loopResult)
        }
        guard connectResult != MOSQ_ERR_SUCCESS.rawValue else { return }
        guard !Self.returnCodesThatFailStart.contains(connectResult) else {
            undoStart()
            throw MQTTError(code: .connectFailed, context: "cannot connect to \(endpoint)", returnCode: connectResult)
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

    /// Publishes a message: hands it to libmosquitto, which sends it now or, at QoS 1 and 2, queues
    /// it until the connection is up (also before `start()`) and resends it until the broker
    /// acknowledges it. libmosquitto's queue has no bound: a publisher that outpaces the broker
    /// should wait with `waitUntilPublishesAcknowledged(leavingAtMost:timeout:)` now and then.
    ///
    /// To know when the broker has it, use `waitUntilPublishesAcknowledged(leavingAtMost:timeout:)`
    /// (a load generator publishes N messages, then waits for zero unacknowledged).
    ///
    /// - Returns: the message id libmosquitto gave it.
    /// - Throws: `MQTTError` `.publishFailed` (for example QoS 0 while disconnected, an invalid topic,
    ///   a payload over the limit) or `.invalidState` after `stop()`.
    @discardableResult
    public func publish(topic: String, payload: Data, qos: Int = 1, retain: Bool = false) throws -> Int32 {
        guard (0...2).contains(qos) else {
            throw MQTTError(code: .publishFailed, message: "MQTT QoS is 0, 1 or 2, not \(qos)")
        }
        guard payload.count <= Int(Int32.max) else {
            throw MQTTError(code: .publishFailed, message: "a payload of \(payload.count) bytes is larger than MQTT allows")
        }
        return try withHandle("publish") { handle in
            // Counted before the call: the acknowledgement may arrive before mosquitto_publish returns.
            monitor.withLock { publishesAwaitingAck += 1 }
            var messageID: Int32 = 0
            let result = payload.withUnsafeBytes { bytes in
                mosquitto_publish(handle, &messageID, topic, Int32(bytes.count), bytes.baseAddress, Int32(qos), retain)
            }
            guard result == MOSQ_ERR_SUCCESS.rawValue else {
                monitor.withLock {
                    publishesAwaitingAck -= 1
                    monitor.broadcast()
                }
                throw MQTTError(code: .publishFailed, context: "cannot publish to \"\(topic)\"", returnCode: result)
            }
            return messageID
        }
    }

    /// Messages handed to `publish` that libmosquitto has not finished with: QoS 0 not yet written to
    /// the socket, QoS 1 not yet acknowledged (PUBACK), QoS 2 not yet completed (PUBCOMP).
    public var unacknowledgedPublishCount: Int {
        monitor.withLock { publishesAwaitingAck }
    }

    /// Messages the broker has acknowledged (QoS 1 and 2) or that were written out (QoS 0), in total.
    public var acknowledgedPublishCount: Int {
        monitor.withLock { publishesAcknowledged }
    }

    /// Waits until at most `limit` published messages are unacknowledged, up to `timeout`.
    ///
    /// With `limit` 0 this is "everything published so far is at the broker"; a larger limit lets a
    /// publisher keep a bounded number of messages in flight.
    ///
    /// - Returns: true when reached, false when the time ran out first.
    public func waitUntilPublishesAcknowledged(leavingAtMost limit: Int = 0, timeout: Duration) -> Bool {
        let deadline = Self.deadline(after: timeout)
        return monitor.withLock {
            waitersForAcks += 1
            defer { waitersForAcks -= 1 }
            while publishesAwaitingAck > limit {
                if !monitor.wait(until: deadline) { return publishesAwaitingAck <= limit }
            }
            return true
        }
    }

    // MARK: - Setting up

    /// Hands the options that do not change between connections to libmosquitto.
    private func applyOptions() throws {
        func check(_ result: Int32, _ what: String) throws {
            guard result == MOSQ_ERR_SUCCESS.rawValue else {
                throw MQTTError(code: .invalidOption, context: what, returnCode: result)
            }
        }
        if let username = options.username {
            try check(mosquitto_username_pw_set(handle, username, options.password), "username and password rejected")
        }
        if let tls = options.tls {
            try check(mosquitto_tls_set(handle, tls.caFile, nil, tls.certFile, tls.keyFile, nil),
                      "TLS files cannot be used (caFile \(tls.caFile), certFile \(tls.certFile ?? "none"), keyFile \(tls.keyFile ?? "none"))")
        }
        try check(mosquitto_reconnect_delay_set(handle, UInt32(options.reconnectDelayMinSeconds),
                                                UInt32(options.reconnectDelayMaxSeconds), true),
                  "reconnect delays rejected")
        try check(mosquitto_int_option(handle, MOSQ_OPT_SEND_MAXIMUM, Int32(options.maxInflightMessages)),
                  "maxInflightMessages rejected")
        // Acknowledgements are tiny packets: do not let Nagle's algorithm hold them back.
        try check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "TCP_NODELAY rejected")
    }

    /// Points libmosquitto's callbacks at this client. C functions cannot capture anything: each one
    /// finds the client through the userdata pointer set in `init`.
    private func installCallbacks() {
        mosquitto_connect_with_flags_callback_set(handle) { mosq, userdata, code, flags in
            MQTTClient.from(userdata)?.handleConnack(mosq, code: code, flags: flags)
        }
        mosquitto_disconnect_callback_set(handle) { _, userdata, code in
            MQTTClient.from(userdata)?.handleDisconnect(code: code)
        }
        mosquitto_subscribe_callback_set(handle) { _, userdata, messageID, count, granted in
            MQTTClient.from(userdata)?.handleSuback(messageID: messageID, granted: UnsafeBufferPointer(start: granted, count: Int(count)))
        }
        mosquitto_publish_v5_callback_set(handle) { _, userdata, messageID, reasonCode, _ in
            MQTTClient.from(userdata)?.handlePublishDone(messageID: messageID, reasonCode: reasonCode)
        }
        mosquitto_message_callback_set(handle) { _, userdata, message in
            guard let message else { return }
            MQTTClient.from(userdata)?.handleMessage(message)
        }
        mosquitto_log_callback_set(handle) { _, userdata, level, text in
            guard let text, let client = MQTTClient.from(userdata) else { return }
            client.handleLibraryLog(level: level, text: text)
        }
    }

    private static func from(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient? {
        userdata.map { Unmanaged<MQTTClient>.fromOpaque($0).takeUnretainedValue() }
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

    // MARK: - libmosquitto callbacks (on the network thread)

    private func handleConnack(_ mosq: OpaquePointer?, code: Int32, flags: Int32) {
        NetworkThreadWatch.watchCurrentThread(for: self)
        guard code == 0 else {
            let reason = MQTTError.describe(callbackCode: code, connack: true)
            logger.error("the broker refused the connection", endpointMetadata(["reason": reason]))
            // MQTT 3.1.1 texts already say "Connection Refused: ...", MQTT 5 reason strings do not.
            setState(.reconnecting(reason: reason.lowercased().hasPrefix("connection refused") ? reason : "connection refused: \(reason)"))
            return
        }
        let (subscriptions, version) = monitor.withLock { (self.subscriptions, resolvedProtocol ?? .v311) }
        // Ask for retained messages only when the subscription is new to the session (MQTT 5), so a
        // reconnect does not bring every retained message again.
        let subscribeOptions = version == .v5 ? Int32(MQTT_SUB_OPT_SEND_RETAIN_NEW.rawValue) : 0
        var sent: [Int32: MQTTSubscription] = [:]
        for subscription in subscriptions {
            var messageID: Int32 = 0
            let result = mosquitto_subscribe_v5(mosq, &messageID, subscription.filter.text, Int32(subscription.qos),
                                                subscribeOptions, nil)
            if result == MOSQ_ERR_SUCCESS.rawValue {
                sent[messageID] = subscription
            } else {
                logger.error("cannot send the subscription", endpointMetadata([
                    "filter": subscription.filter.text, "reason": MQTTError.describe(returnCode: result)]))
            }
        }
        let (reconnected, sessionLost): (Bool, Bool) = monitor.withLock {
            sessionUp = true
            subscriptionsAwaitingAck = sent
            let reconnected = hasBeenConnected
            hasBeenConnected = true
            return (reconnected, reconnected && !options.cleanSession && flags & 1 == 0)
        }
        logger.info(reconnected ? "reconnected" : "connected", endpointMetadata([
            "protocol": version.description, "session": flags & 1 != 0 ? "resumed" : "new",
            "subscriptions": String(subscriptions.count)]))
        if sessionLost {
            logger.warning("the broker had no session for this client id: messages published while disconnected were not kept for it",
                           endpointMetadata())
        }
        metrics?.mqttConnects.increment()
        metrics?.mqttConnected.set(1)
        markConnectedIfSubscribed()
    }

    private func handleSuback(messageID: Int32, granted: UnsafeBufferPointer<Int32>) {
        NetworkThreadWatch.watchCurrentThread(for: self)
        guard let subscription = monitor.withLock({ subscriptionsAwaitingAck.removeValue(forKey: messageID) }) else { return }
        for code in granted {
            if code >= 0x80 {
                let reason = code == 0x80 ? "failure" : MQTTError.describe(callbackCode: code)
                logger.error("the broker refused the subscription", endpointMetadata([
                    "filter": subscription.filter.text, "reason": reason, "code": String(code)]))
            } else if code < subscription.qos {
                logger.warning("the broker granted a lower QoS than asked", endpointMetadata([
                    "filter": subscription.filter.text, "asked": String(subscription.qos), "granted": String(code)]))
            } else {
                logger.debug("subscribed", endpointMetadata(["filter": subscription.filter.text, "qos": String(code)]))
            }
        }
        markConnectedIfSubscribed()
    }

    /// Moves to `.connected` once the broker has accepted the connection and answered every SUBSCRIBE
    /// of it, so that a caller waiting for the connection can rely on the subscriptions.
    private func markConnectedIfSubscribed() {
        let ready = monitor.withLock { sessionUp && subscriptionsAwaitingAck.isEmpty && phase == .running }
        if ready { setState(.connected) }
    }

    private func handleDisconnect(code: Int32) {
        NetworkThreadWatch.watchCurrentThread(for: self)
        let (running, previous): (Bool, MQTTConnectionState) = monitor.withLock {
            sessionUp = false
            subscriptionsAwaitingAck = [:]
            return (phase == .running, currentState)
        }
        // While stopping, this answers stop()'s own disconnect, which stop() reports.
        guard running else { return }
        metrics?.mqttConnected.set(0)
        // Code 0 while running: the broker ended the connection with an MQTT 5 DISCONNECT, whose
        // reason came in an earlier call.
        let reason = code == 0 ? "the broker closed the connection" : MQTTError.describe(callbackCode: code)
        let retry = retryMetadata(reason: reason)
        switch previous {
        case .connected:
            logger.warning("connection lost", retry)
            setState(.reconnecting(reason: "connection lost: \(reason)"))
        case .connecting:
            logger.warning("cannot connect", retry)
            setState(.reconnecting(reason: reason))
        case .reconnecting, .disconnected:
            // A refused attempt was reported by handleConnack, with the broker's reason.
            break
        }
    }

    private func handlePublishDone(messageID: Int32, reasonCode: Int32) {
        if reasonCode >= 0x80 {
            logger.warning("the broker rejected a published message", endpointMetadata([
                "messageID": String(messageID), "reason": MQTTError.describe(callbackCode: reasonCode)]))
        }
        monitor.withLock {
            publishesAwaitingAck -= 1
            publishesAcknowledged += 1
            if waitersForAcks > 0 { monitor.broadcast() }
        }
    }

    private func handleMessage(_ message: UnsafePointer<mosquitto_message>) {
        // libmosquitto frees the message when this returns: copy everything out now.
        let raw = message.pointee
        let payload = raw.payloadlen > 0 && raw.payload != nil ? Data(bytes: raw.payload, count: Int(raw.payloadlen)) : Data()
        onMessage(MQTTMessage(topic: raw.topic.map { String(cString: $0) } ?? "", payload: payload,
                              qos: Int(raw.qos), retained: raw.retain, receivedAt: .now()))
    }

    /// Forwards libmosquitto's own log lines: errors and warnings always, the rest at debug level
    /// (per-packet lines at trace). An error logged on the network thread usually means the thread
    /// is about to give up (a failed TLS handshake is reported only this way), so it is watched
    /// (`NetworkThreadWatch` ignores other threads).
    private func handleLibraryLog(level: Int32, text: UnsafePointer<CChar>) {
        switch level {
        case MOSQ_LOG_ERR, MOSQ_LOG_WARNING:
            let line = String(cString: text)
            logger.log(level == MOSQ_LOG_ERR ? .error : .warning, "libmosquitto: \(line)", endpointMetadata())
            if level == MOSQ_LOG_ERR {
                let reason = line.hasPrefix("OpenSSL") ? "TLS failure: \(line)" : line
                monitor.withLock { lastLibraryError = reason }
                NetworkThreadWatch.watchCurrentThread(for: self)
            }
        case MOSQ_LOG_DEBUG:
            if logger.level <= .trace { logger.log(.trace, "libmosquitto: \(String(cString: text))") }
        default:
            if logger.level <= .debug { logger.debug("libmosquitto: \(String(cString: text))") }
        }
    }

    // MARK: - Keeping the network thread alive

    /// Called by `NetworkThreadWatch` on libmosquitto's network thread as it exits.
    ///
    /// libmosquitto retries lost connections and MQTT 3.1.1 refusals itself, but its thread ends
    /// for good after a failed TLS handshake, an MQTT 5 refusal or DISCONNECT, or a protocol error.
    /// The hub must keep trying whatever happened (a renewed broker certificate, a broker that was
    /// busy), so the client joins the ended thread and, after the longest reconnect delay, starts a
    /// new one and connects again. A thread ended by `stop()` is not restarted.
    func networkThreadEnded() {
        let libraryError = takeLastLibraryError()
        let (running, previous): (Bool, MQTTConnectionState) = monitor.withLock {
            sessionUp = false
            return (phase == .running, currentState)
        }
        guard running else { return }
        metrics?.mqttConnected.set(0)
        let reason: String
        switch (previous, libraryError) {
        case (_, let error?): reason = error
        case (.reconnecting(let earlier), nil): reason = earlier
        default: reason = "libmosquitto's network thread ended"
        }
        let delay = options.reconnectDelayMaxSeconds
        logger.warning("libmosquitto stopped retrying; the client starts over", endpointMetadata([
            "reason": reason, "in": "\(delay) s"]))
        setState(.reconnecting(reason: reason))
        supervisor.async { [self] in
            guard isRunning else { return }
            if networkThreadRunning {
                mosquitto_loop_stop(handle, false)  // joins the thread that has just ended
                networkThreadRunning = false
            }
            // Until the new thread runs, publishes from other threads are queued, not written by the caller.
            mosquitto_threaded_set(handle, true)
            restartNetworkThread(in: delay)
        }
    }

    /// After `delay` seconds, connects again and starts a new network thread; when libmosquitto
    /// refuses that at once (a TLS handshake can fail right here), tries again after the same delay.
    /// Runs on `supervisor`.
    private func restartNetworkThread(in delay: Int) {
        supervisor.asyncAfter(deadline: .now() + .seconds(delay)) { [self] in
            guard isRunning else { return }
            // Reuses the host, the options and, for MQTT 5, the CONNECT properties of start().
            let (connectResult, loopResult) = connectAndStartNetworkThread { mosquitto_reconnect_async(handle) }
            if connectResult != MOSQ_ERR_SUCCESS.rawValue, !Self.returnCodesWorthRetrying.contains(connectResult) {
                let reason = takeLastLibraryError() ?? MQTTError.describe(returnCode: connectResult)
                logger.warning("cannot connect", endpointMetadata(["reason": reason, "retrying": "after \(delay) s"]))
                setState(.reconnecting(reason: reason))
                mosquitto_threaded_set(handle, true)
                restartNetworkThread(in: delay)
            } else if loopResult != MOSQ_ERR_SUCCESS.rawValue {
                logger.error("cannot start libmosquitto's network thread", endpointMetadata([
                    "reason": MQTTError.describe(returnCode: loopResult), "retrying": "after \(delay) s"]))
                mosquitto_threaded_set(handle, true)
                restartNetworkThread(in: delay)
            }
        }
    }

    /// Makes a connection attempt with `connect`, then starts libmosquitto's network thread unless
    /// the attempt failed for a reason retrying cannot fix. Runs on `supervisor`, with no network
    /// thread running; returns the results of both calls.
    ///
    /// While connecting, the handle is marked threaded, so libmosquitto only queues CONNECT and the
    /// network thread writes it: a refused connection then shows up on that thread, which retries.
    /// (Otherwise libmosquitto writes CONNECT at once, and after a refusal its thread would end at
    /// once instead of retrying.) Starting the thread before connecting is no better: the two then
    /// race on the socket.
    private func connectAndStartNetworkThread(_ connect: () -> Int32) -> (connect: Int32, loop: Int32) {
        mosquitto_threaded_set(handle, true)
        let connectResult = connect()
        mosquitto_threaded_set(handle, false)
        guard connectResult == MOSQ_ERR_SUCCESS.rawValue || Self.returnCodesWorthRetrying.contains(connectResult) else {
            return (connectResult, MOSQ_ERR_SUCCESS.rawValue)
        }
        let loopResult = mosquitto_loop_start(handle)
        networkThreadRunning = loopResult == MOSQ_ERR_SUCCESS.rawValue
        return (connectResult, loopResult)
    }

    // MARK: - Helpers

    private var isRunning: Bool { monitor.withLock { phase == .running } }

    /// The last error libmosquitto logged, forgotten once read so that it explains one failure only.
    private func takeLastLibraryError() -> String? {
        monitor.withLock {
            defer { lastLibraryError = nil }
            return lastLibraryError
        }
    }

    private var subscriptionCount: Int { monitor.withLock { subscriptions.count } }

    private var endpoint: String { "\(options.host):\(options.port)" }

    private func endpointMetadata(_ extra: [String: String] = [:]) -> [String: String] {
        extra.merging(["broker": endpoint, "clientID": options.clientID]) { mine, _ in mine }
    }

    /// The metadata of a "connection lost" or "cannot connect" line: why, and how retries go on.
    private func retryMetadata(reason: String) -> [String: String] {
        endpointMetadata(["reason": reason,
                          "retrying": "after \(options.reconnectDelayMinSeconds)...\(options.reconnectDelayMaxSeconds) s"])
    }

    /// Sets the state, wakes waiters and tells `onStateChange` when it changed; returns the old state.
    @discardableResult
    private func setState(_ new: MQTTConnectionState) -> MQTTConnectionState {
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
    private func withHandle<Result>(_ operation: String, _ body: (OpaquePointer) throws -> Result) throws -> Result {
        try monitor.withLock {
            guard phase == .idle || phase == .running else {
                throw MQTTError(code: .invalidState, message: "cannot \(operation): the client is stopped")
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

    /// `.automatic` becomes MQTT 5 when a shared subscription needs it, MQTT 3.1.1 otherwise.
    private static func resolve(_ version: MQTTProtocolVersion, for subscriptions: [MQTTSubscription]) -> MQTTProtocolVersion {
        guard version == .automatic else { return version }
        return subscriptions.contains { $0.filter.shareGroup != nil } ? .v5 : .v311
    }

    /// Results of the first connection attempt that retrying cannot fix: `start()` throws them.
    private static let returnCodesThatFailStart: Set<Int32> = [
        MOSQ_ERR_INVAL, MOSQ_ERR_NOMEM, MOSQ_ERR_NOT_SUPPORTED,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// Results of a connection attempt that mean "not reachable now": the network thread retries.
    private static let returnCodesWorthRetrying: Set<Int32> = [
        MOSQ_ERR_ERRNO, MOSQ_ERR_EAI, MOSQ_ERR_NO_CONN, MOSQ_ERR_CONN_LOST, MOSQ_ERR_CONN_REFUSED,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    private static func deadline(after timeout: Duration) -> Date {
        Date(timeIntervalSinceNow: timeout.timeInterval)
    }
}
