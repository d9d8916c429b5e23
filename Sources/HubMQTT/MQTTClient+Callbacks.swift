import CMosquitto
import Foundation
import HubCore
import HubServices

// The libmosquitto callbacks, reaching Swift through the userdata pointer, and what the client
// does with each: connect and disconnect handling, messages, libmosquitto's own log lines.
extension MQTTClient {
    /// Points libmosquitto's callbacks at this client. C functions cannot capture anything: each one
    /// finds the client through the userdata pointer set in `init`.
    func installCallbacks() {
        mosquitto_connect_with_flags_callback_set(handle) { mosq, userdata, code, flags in
            MQTTClient.from(userdata)?.handleConnack(mosq, code: code, flags: flags)
        }
        mosquitto_disconnect_v5_callback_set(handle) { _, userdata, code, properties in
            MQTTClient.from(userdata)?.handleDisconnect(code: code, brokerReason: MQTTProperties.reasonString(properties))
        }
        mosquitto_subscribe_callback_set(handle) { _, userdata, messageID, count, granted in
            MQTTClient.from(userdata)?.handleSuback(messageID: messageID, granted: UnsafeBufferPointer(start: granted, count: Int(count)))
        }
        mosquitto_publish_v5_callback_set(handle) { _, userdata, messageID, reasonCode, _ in
            MQTTClient.from(userdata)?.handlePublishDone(messageID: messageID, reasonCode: reasonCode)
        }
        mosquitto_message_v5_callback_set(handle) { _, userdata, message, properties in
            guard let message else { return }
            MQTTClient.from(userdata)?.handleMessage(message, properties: properties)
        }
        mosquitto_log_callback_set(handle) { _, userdata, level, text in
            guard let text, let client = MQTTClient.from(userdata) else { return }
            client.handleLibraryLog(level: level, text: text)
        }
    }

    /// The client behind a callback's userdata pointer (set in `init`, unretained).
    private static func from(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient? {
        userdata.map { Unmanaged<MQTTClient>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: - libmosquitto callbacks (on the network thread)

    /// Handles the broker's CONNACK: on a refusal, reports why (libmosquitto retries); on success,
    /// sends the subscriptions again and counts the connect.
    private func handleConnack(_ mosq: OpaquePointer?, code: Int32, flags: Int32) {
        NetworkThreadWatch.watchCurrentThread(for: self, onNetworkThread: true)
        guard code == 0 else {
            let reason = MQTTError.describe(callbackCode: code, connack: true)
            logger.error("the broker refused the connection", endpointMetadata([
                "reason": reason, "code": code >= 128 ? Self.reasonCodeText(code) : String(code)]))
            // MQTT 3.1.1 texts already say "Connection Refused: ...", MQTT 5 reason strings do not.
            setState(.reconnecting(reason: reason.lowercased().hasPrefix("connection refused") ? reason : "connection refused: \(reason)"))
            return
        }
        let (subscriptions, version) = monitor.withLock { (self.subscriptions, resolvedProtocol ?? .v311) }
        let sent = sendSubscriptions(subscriptions, version: version, on: mosq)
        let (reconnected, sessionLost): (Bool, Bool) = monitor.withLock {
            sessionUp = true
            flapWatch.connected(at: ProcessInfo.processInfo.systemUptime)
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

    /// Handles the end of a connection (or of a connection attempt): reports it as lost unless
    /// `stop()` ended it, with the MQTT 5 reason code and reason string the broker gave;
    /// libmosquitto's thread reconnects by itself.
    ///
    /// A broker that hands the session to another client connecting with the same client id says so
    /// (MQTT 5 reason 0x8E, "Session taken over"): two hubs, or a hub and a tool, share an id and
    /// will keep taking the session from each other, which is logged as an error naming the fix.
    func handleDisconnect(code: Int32, brokerReason: String?) {
        NetworkThreadWatch.watchCurrentThread(for: self)
        let (running, previous, shortLived): (Bool, MQTTConnectionState, Int?) = monitor.withLock {
            sessionUp = false
            subscriptionsAwaitingAck = [:]
            return (phase == .running && !paused, currentState, flapWatch.lost(at: ProcessInfo.processInfo.systemUptime))
        }
        // While stopping, this answers stop()'s own disconnect, which stop() reports.
        guard running else { return }
        metrics?.mqttConnected.set(0)
        if code == Int32(MQTT_RC_SESSION_TAKEN_OVER.rawValue) {
            let reason = "another client connected with the same client id \"\(options.clientID)\" and the broker handed it this session"
            logger.error("the broker took the session over", endpointMetadata([
                "reason": reason, "code": Self.reasonCodeText(code), "brokerReason": brokerReason ?? "",
                "fix": "give each hub its own mqtt.clientId (the default, territory-hub-<host name>, differs per host)",
                "retrying": "after \(options.reconnectDelayMaxSeconds) s"]).filter { !$0.value.isEmpty })
            setState(.reconnecting(reason: "session taken over: \(reason)"))
            return
        }
        // Code 0 while running: the connection ended without a reason of its own (the reason of an
        // MQTT 5 DISCONNECT came in an earlier call).
        var reason = code == 0 ? "the broker closed the connection" : MQTTError.describe(callbackCode: code)
        if let brokerReason { reason += ": \(brokerReason)" }
        var metadata = retryMetadata(reason: reason)
        if code >= 128 { metadata["code"] = Self.reasonCodeText(code) }
        switch previous {
        case .connected:
            logger.warning("connection lost", metadata)
            if let shortLived {
                let window = monitor.withLock { Int(flapWatch.window) }
                logger.error("the broker keeps closing the connection soon after accepting it", endpointMetadata([
                    "times": "\(shortLived) within \(window) s",
                    "likelyCause": "another client connects with the same client id \"\(options.clientID)\" and the broker hands it the session each time",
                    "fix": "give each hub its own mqtt.clientId (the default, territory-hub-<host name>, differs per host)"]))
            }
            setState(.reconnecting(reason: "connection lost: \(reason)"))
        case .connecting:
            logger.warning("cannot connect", metadata)
            setState(.reconnecting(reason: reason))
        case .reconnecting, .disconnected:
            // A refused attempt was reported by handleConnack, with the broker's reason.
            break
        }
    }

    /// An MQTT 5 reason code as the specification writes it, `0x8E`.
    static func reasonCodeText(_ code: Int32) -> String {
        String(format: "0x%02X", code)
    }

    /// Hands a received message and its MQTT 5 properties to `onMessage`, copied out of libmosquitto's buffers.
    private func handleMessage(_ message: UnsafePointer<mosquitto_message>, properties: OpaquePointer?) {
        // libmosquitto frees the message when this returns: copy everything out now.
        let raw = message.pointee
        let payload = raw.payloadlen > 0 && raw.payload != nil ? Data(bytes: raw.payload, count: Int(raw.payloadlen)) : Data()
        onMessage(MQTTMessage(topic: raw.topic.map { String(cString: $0) } ?? "", payload: payload,
                              qos: Int(raw.qos), retained: raw.retain, receivedAt: .now(),
                              properties: MQTTProperties.read(properties)))
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
}
