import Foundation
import HubCore
import Synchronization

/// The one switch every door honours: open while the store commits, closed while it cannot.
///
/// The batch writer closes it, with the reason, when a commit fails, and opens it again when one
/// succeeds. While it is closed no door takes new work: the MQTT door disconnects so that the
/// broker keeps the messages for the hub's persistent session, webhooks answer 503 with
/// Retry-After, feed pollers and drop folders skip their turns. What the hub already holds stays
/// in its bounded queues and is committed when the store recovers. `/readyz` reports the reason.
public final class IntakeGate: Sendable {
    private struct State {
        var reason: String?
        var closedAt: Timestamp?
        var observers: [@Sendable (_ isOpen: Bool) -> Void] = []
    }

    private let state = Mutex(State())

    /// An open gate.
    public init() {}

    /// Whether doors may take new work.
    public var isOpen: Bool { state.withLock { $0.reason == nil } }

    /// Why the gate is closed, nil while it is open.
    public var reason: String? { state.withLock { $0.reason } }

    /// When the gate closed, nil while it is open.
    public var closedAt: Timestamp? { state.withLock { $0.closedAt } }

    /// Closes the gate (or updates the reason of a closed gate). Observers hear of it when it was open.
    public func close(reason: String) {
        let observers: [@Sendable (Bool) -> Void] = state.withLock { state in
            defer { state.reason = reason }
            guard state.reason == nil else { return [] }
            state.closedAt = .now()
            return state.observers
        }
        for observer in observers { observer(false) }
    }

    /// Opens the gate. Observers hear of it when it was closed.
    public func open() {
        let observers: [@Sendable (Bool) -> Void] = state.withLock { state in
            guard state.reason != nil else { return [] }
            state.reason = nil
            state.closedAt = nil
            return state.observers
        }
        for observer in observers { observer(true) }
    }

    /// Calls `observer` with `false` each time the gate closes and `true` each time it opens, on
    /// the thread that changed it (the writer's): keep it short, never block in it.
    public func observe(_ observer: @escaping @Sendable (_ isOpen: Bool) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }
}
