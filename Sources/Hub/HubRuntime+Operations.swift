import HubCore
import HubHTTP
import HubStore

/// The runtime as the operations API sees it.
extension HubRuntime: HubOperations {
    public var routes: [Route] { configuration.routes }

    public func readinessProblems() -> [String] {
        var problems: [String] = []
        if !isRunning { problems.append("the hub is not running") }
        do {
            try store.checkWritable()
        } catch {
            problems.append("the store is not writable: \(error)")
        }
        if !isConnected, let mqtt = configuration.mqtt {
            problems.append("not connected to the MQTT broker \(mqtt.host):\(mqtt.port)")
        }
        return problems
    }

    public func ingest(_ envelope: Envelope, onCommit: @escaping @Sendable (IngestDisposition) -> Void) -> IngestAdmission {
        let result = offer(envelope) { disposition in
            switch disposition {
            case .stored(let events): onCommit(.stored(events: events))
            case .deadLettered(let reason): onCommit(.deadLettered(reason: reason))
            case .failed(let reason): onCommit(.failed(reason: reason))
            }
        }
        switch result {
        case .accepted: return .accepted
        case .saturated: return .saturated
        case .unknownRoute: return .unknownRoute
        case .stopping: return .stopping
        }
    }
}
