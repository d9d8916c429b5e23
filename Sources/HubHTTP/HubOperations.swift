import HubCore
import HubServices
import HubStore

/// What the operations API needs from a running hub: the webhook door delivers through it as every
/// door does (`Inbox`), and the reads see its routes, counters and store. `Hub` (module HubRuntime)
/// conforms; HubRuntime depends on HubHTTP, never the other way round.
public protocol HubOperations: Inbox {
    /// The hub's name (`hub.name`), which says which hub of a fleet answers: the `hub` of each
    /// route in `/api/v1/routes` and the `hub` label of every `/metrics` sample.
    var hubName: String { get }
    /// The configured routes, in config order.
    var routes: [Route] { get }
    /// The hub's counters.
    var metrics: HubMetrics { get }
    /// The store, read by the API.
    var store: any HubDatabase { get }
    /// The compiled-in connectors.
    var connectors: ConnectorCatalog { get }
    /// The e-invoice validator `POST /api/v1/validate` answers with.
    var invoiceValidator: any InvoiceValidating { get }
    /// Records that the operator whose token is named `name` acknowledged alarm `id` (an
    /// `AlarmAcknowledged` event follows); nil when no alarm has that id.
    func acknowledgeAlarm(id: Int64, by name: String) throws -> AlarmRecord?
    /// Each subscription's deliveries (lag, last error, paused), in configuration order.
    var subscriptionStatuses: [SubscriptionStatus] { get }
    /// Adds a subscription from its JSON definition (an entry of `subscriptions[]`), delivered from
    /// the next commit on. Throws `SettingsError` when it does not read, `SubscriptionConflict`
    /// when its name is taken or the hub runs the most subscriptions.
    func addSubscription(_ definition: JSONValue) throws -> SubscriptionStatus
    /// Removes a subscription made through the API and the events waiting for it; false when none
    /// has that name. Throws `SubscriptionConflict` for one from the configuration.
    func removeSubscription(named name: String) throws -> Bool
    /// Why the hub is not ready (store not writable, a required source not connected); empty when ready.
    func readinessProblems() -> [String]
}
