import CMosquitto
import Foundation
import HubServices

// Subscriptions: registered before `start()`, sent again on every connect, acknowledged before
// the client counts as connected.
extension MQTTClient {
    /// Registers a subscription. It is sent on every successful connect, with the filter's full
    /// text (a `$share/<group>/` prefix included), so it survives broker restarts and lost sessions.
    ///
    /// Call it before `start()`: the subscriptions decide the protocol version (see
    /// `MQTTProtocolVersion.automatic`). Calling it afterwards is a programming error.
    ///
    /// - Parameters:
    ///   - filter: the topic filter.
    ///   - qos: the maximum QoS to receive with, 0, 1 or 2 (the hub uses 1).
    ///   - identifier: an MQTT 5 subscription identifier (1...268,435,455), sent back by the broker
    ///     in the `subscription-identifier` property of each message this subscription brings
    ///     (several, comma-separated, when several subscriptions brought it); ignored on MQTT 3.1.1.
    public func subscribe(_ filter: TopicFilter, qos: Int, identifier: Int? = nil) {
        precondition((0...2).contains(qos), "MQTT QoS is 0, 1 or 2, not \(qos)")
        precondition(identifier.map { (1...268_435_455).contains($0) } ?? true, "a subscription identifier is in 1...268435455")
        monitor.withLock {
            precondition(phase == .idle, "MQTTClient.subscribe(_:qos:) must be called before start()")
            subscriptions.append(MQTTSubscription(filter: filter, qos: qos, identifier: identifier))
        }
    }

    /// Sends every registered subscription on a connection the broker has just accepted and returns
    /// the SUBSCRIBE packets sent, by message id; one that cannot be sent is logged. Runs on the
    /// network thread, from the CONNACK callback.
    func sendSubscriptions(_ subscriptions: [MQTTSubscription], version: MQTTProtocolVersion,
                           on mosq: OpaquePointer?) -> [Int32: MQTTSubscription] {
        // Ask for retained messages only when the subscription is new to the session (MQTT 5), so a
        // reconnect does not bring every retained message again.
        let subscribeOptions = version == .v5 ? Int32(MQTT_SUB_OPT_SEND_RETAIN_NEW.rawValue) : 0
        var sent: [Int32: MQTTSubscription] = [:]
        for subscription in subscriptions {
            var messageID: Int32 = 0
            var properties: OpaquePointer?
            defer { mosquitto_property_free_all(&properties) }
            if version == .v5, let identifier = subscription.identifier {
                mosquitto_property_add_varint(&properties, Int32(MQTT_PROP_SUBSCRIPTION_IDENTIFIER.rawValue), UInt32(identifier))
            }
            let result = mosquitto_subscribe_v5(mosq, &messageID, subscription.filter.text, Int32(subscription.qos),
                                                subscribeOptions, properties)
            if result == MOSQ_ERR_SUCCESS.rawValue {
                sent[messageID] = subscription
            } else {
                logger.error("cannot send the subscription", endpointMetadata([
                    "filter": subscription.filter.text, "reason": MQTTError.describe(returnCode: result)]))
            }
        }
        return sent
    }

    /// Handles the broker's SUBACK: logs a refused or downgraded subscription, and marks the client
    /// connected once every SUBSCRIBE of the connection is answered. Runs on the network thread.
    func handleSuback(messageID: Int32, granted: UnsafeBufferPointer<Int32>) {
        NetworkThreadWatch.watchCurrentThread(for: self, onNetworkThread: true)
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
    func markConnectedIfSubscribed() {
        let ready = monitor.withLock { sessionUp && subscriptionsAwaitingAck.isEmpty && phase == .running }
        if ready { setState(.connected) }
    }

    /// How many subscriptions are registered.
    var subscriptionCount: Int { monitor.withLock { subscriptions.count } }

    /// `.automatic` becomes MQTT 5 when a shared subscription needs it, MQTT 3.1.1 otherwise.
    static func resolve(_ version: MQTTProtocolVersion, for subscriptions: [MQTTSubscription]) -> MQTTProtocolVersion {
        guard version == .automatic else { return version }
        return subscriptions.contains { $0.filter.shareGroup != nil } ? .v5 : .v311
    }
}
