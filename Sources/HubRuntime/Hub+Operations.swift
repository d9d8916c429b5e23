import HubCore
import HubHTTP
import HubServices
import HubStore

/// The hub as the operations API sees it.
extension Hub: HubOperations {
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
}
