import HubCore
import HubServices
import HubStore

/// What the operations API needs from a running hub: the webhook door delivers through it as every
/// door does (`Inbox`), and the reads see its routes, counters and store. `Hub` (module HubRuntime)
/// conforms; HubRuntime depends on HubHTTP, never the other way round.
public protocol HubOperations: Inbox {
    /// The configured routes, in config order.
    var routes: [Route] { get }
    /// The hub's counters.
    var metrics: HubMetrics { get }
    /// The store, read by the API.
    var store: SQLiteStore { get }
    /// The compiled-in connectors.
    var connectors: ConnectorCatalog { get }
    /// The e-invoice validator `POST /api/v1/validate` answers with.
    var invoiceValidator: any InvoiceValidating { get }
    /// Records that the operator whose token is named `name` acknowledged alarm `id` (an
    /// `AlarmAcknowledged` event follows); nil when no alarm has that id.
    func acknowledgeAlarm(id: Int64, by name: String) throws -> AlarmRecord?
    /// Each subscription's deliveries (lag, last error, paused), in configuration order.
    var subscriptionStatuses: [SubscriptionStatus] { get }
    /// Why the hub is not ready (store not writable, a required source not connected); empty when ready.
    func readinessProblems() -> [String]
}
