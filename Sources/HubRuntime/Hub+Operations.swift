import EInvoicingPlugin
import Foundation
import HubCore
import HubHTTP
import HubServices
import HubStore

/// The hub as the operations API sees it.
extension Hub: HubOperations {
    public var routes: [Route] { configuration.routes }

    public var hubName: String { configuration.hub.name }

    /// The e-invoicing plugin's validator, with its default limit.
    public var invoiceValidator: any InvoiceValidating { InvoiceValidator() }

    public func acknowledgeAlarm(id: Int64, by name: String) throws -> AlarmRecord? {
        try alarmStage.acknowledge(id: id, by: name)
    }

    public var subscriptionStatuses: [SubscriptionStatus] { deliveryStage.statuses }

    public func addSubscription(_ definition: JSONValue) throws -> SubscriptionStatus {
        try deliveryStage.add(definition, environment: ProcessInfo.processInfo.environment)
    }

    public func removeSubscription(named name: String) throws -> Bool {
        try deliveryStage.remove(named: name)
    }

    public func readinessProblems() -> [String] {
        var problems: [String] = []
        if !isRunning { problems.append("the hub is not running") }
        if let reason = intakeGate.reason { problems.append("intake paused: \(reason)") }
        if let failure = writeProbe.check(store) { problems.append("the store is not writable: \(failure)") }
        if !isConnected, let mqtt = configuration.mqtt {
            problems.append("not connected to the MQTT broker \(mqtt.host):\(mqtt.port)")
        }
        return problems
    }
}
