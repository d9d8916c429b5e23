import CMosquitto
import Foundation
import HubServices

// Publishing, and counting what the broker has acknowledged so that a publisher can wait for it.
extension MQTTClient {
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
            throw MQTTError(.publishFailed, "MQTT QoS is 0, 1 or 2, not \(qos)")
        }
        guard payload.count <= Int(Int32.max) else {
            throw MQTTError(.publishFailed, "a payload of \(payload.count) bytes is larger than MQTT allows")
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
                throw MQTTError(.publishFailed, context: "cannot publish to \"\(topic)\"", returnCode: result)
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

    /// Counts a published message as finished with (PUBACK, PUBCOMP, or QoS 0 written out) and wakes
    /// whoever waits for acknowledgements; logs a rejection by the broker. Runs on the network thread.
    func handlePublishDone(messageID: Int32, reasonCode: Int32) {
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
}
