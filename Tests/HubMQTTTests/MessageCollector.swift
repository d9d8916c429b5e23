import Foundation
import HubMQTT

/// Keeps what an `MQTTClient` delivers, so a test can wait for a number of messages.
final class MessageCollector: @unchecked Sendable {
    // @unchecked Sendable: `received` is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var received: [MQTTMessage] = []

    /// The handler to give `MQTTClient(onMessage:)`.
    var handler: @Sendable (MQTTMessage) -> Void {
        { [self] message in
            condition.withLock {
                received.append(message)
                condition.broadcast()
            }
        }
    }

    /// Everything received so far, in arrival order.
    var messages: [MQTTMessage] { condition.withLock { received } }

    /// The payloads received so far, as text.
    var payloadTexts: [String] { messages.map { String(decoding: $0.payload, as: UTF8.self) } }

    /// Waits until at least `count` messages arrived, up to `timeout` seconds; true when they did.
    func waitForCount(_ count: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while received.count < count {
                if !condition.wait(until: deadline) { return received.count >= count }
            }
            return true
        }
    }
}
