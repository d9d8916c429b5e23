import Foundation
import HubMQTT

/// Records the states an `MQTTClient` reports through `onStateChange`.
final class StateRecorder: @unchecked Sendable {
    // @unchecked Sendable: `recorded` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var recorded: [MQTTConnectionState] = []

    /// The handler to give `MQTTClient(onStateChange:)`.
    var record: @Sendable (MQTTConnectionState) -> Void {
        { [self] state in lock.withLock { recorded.append(state) } }
    }

    /// The states reported so far, oldest first.
    var states: [MQTTConnectionState] { lock.withLock { recorded } }
}
