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

    /// The client behind a callback's userdata pointer (set in `init`, unretained).
    private static func from(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient? {
        userdata.map { Unmanaged<MQTTClient>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: - libmosquitto callbacks (on the network thread)

    /// Handles the broker's CONNACK: on a refusal, reports why (libmosquitto retries); on success,
    /// sends the subscriptions again and counts the connect.
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
        let sent = sendSubscriptions(subscriptions, version: version, on: mosq)
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

    /// Handles the end of a connection (or of a connection attempt): reports it as lost unless
    /// `stop()` ended it; libmosquitto's thread reconnects by itself.
    private func handleDisconnect(code: Int32) {
        NetworkThreadWatch.watchCurrentThread(for: self)
        let (running, previous): (Bool, MQTTConnectionState) = monitor.withLock {
            sessionUp = false
            subscriptionsAwaitingAck = [:]
            return (phase == .running && !paused, currentState)
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

    /// Hands a received message to `onMessage`, copied out of libmosquitto's buffer.
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
}
