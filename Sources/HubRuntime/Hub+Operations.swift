import EInvoicingPlugin
import Foundation
import HubCore
import HubHTTP
import HubServices
import HubStore

/// The hub as the operations API sees it.
extension Hub: HubOperations {
    public var routes: [Route] { configuration.routes }

    /// The e-invoicing plugin's validator, with its default limit.
    public var invoiceValidator: any InvoiceValidating { InvoiceValidator() }

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

/// The e-invoicing plugin's validator as `POST /api/v1/validate` calls it.
extension InvoiceValidator: InvoiceValidating {
    /// The report's JSON, the document read as the media type it was sent with.
    public func reportJSON(on document: Data, named name: String, sentAs type: ValidatedMediaType) -> Data {
        validate(document, named: name, as: type == .pdf ? .pdf : .xml).jsonData
    }
}
