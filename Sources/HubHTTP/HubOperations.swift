import HubCore
import HubStore

/// What the operations API needs from a running hub. `HubRuntime` (module Hub) conforms; Hub
/// depends on HubHTTP, never the other way round.
public protocol HubOperations: Sendable {
    /// The configured routes, in config order.
    var routes: [Route] { get }
    /// The hub's counters.
    var metrics: HubMetrics { get }
    /// The store, read by the API.
    var store: SQLiteStore { get }
    /// The compiled-in connectors.
    var connectors: ConnectorCatalog { get }
    /// Why the hub is not ready (store not writable, a required source not connected); empty when ready.
    func readinessProblems() -> [String]
    /// Offers a message to its route without waiting for room; `onCommit` is called once its
    /// outcome is committed when the answer is `.accepted`.
    func ingest(_ envelope: Envelope, onCommit: @escaping @Sendable (IngestDisposition) -> Void) -> IngestAdmission
}

/// Whether a route took a message offered to it.
public enum IngestAdmission: Sendable, Equatable {
    /// Queued: the commit callback will come.
    case accepted
    /// The route's queue is full: try again later (503 with Retry-After).
    case saturated
    /// No route has that name (404).
    case unknownRoute
    /// The hub is stopping (503).
    case stopping
}

/// What an accepted message became once committed.
public enum IngestDisposition: Sendable, Equatable {
    /// This many events (zero when all were known already).
    case stored(events: Int)
    /// A dead letter, with the reason.
    case deadLettered(reason: String)
    /// The store failed to commit it.
    case failed(reason: String)
}
