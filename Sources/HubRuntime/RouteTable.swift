import HubCore
import HubServices
import Synchronization

/// The routes' workers by name: the `Inbox` the runtime hands to every door.
final class RouteTable: Inbox {
    /// The workers, in route order.
    let workers: [RouteWorker]
    private let byName: [String: RouteWorker]
    private let bus: Bus
    private let report: DeadLetterReport
    /// Closed while the store cannot commit; doors check it before taking new work.
    let intakeGate: IntakeGate
    /// Set when the hub begins to stop: deliveries that would not wait are refused from then on.
    private let stopping = Atomic<Bool>(false)

    init(workers: [RouteWorker], bus: Bus, report: DeadLetterReport, intakeGate: IntakeGate) {
        self.intakeGate = intakeGate
        self.workers = workers
        byName = Dictionary(workers.map { ($0.route.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.bus = bus
        self.report = report
    }

    /// Delivers a message to the route its envelope names. A delivery its door already refused is kept
    /// as a dead letter even when no route has that name.
    func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission {
        guard let worker = byName[delivery.envelope.route] else {
            guard let reason = delivery.refusal else { return .unknownRoute }
            bus.push(RouteWorker.deadLetterOutcome(delivery, reason: reason, report: report))
            return .accepted
        }
        // Doors that wait (MQTT, folders) are stopped before the routes, so what they still deliver
        // while the hub stops is taken; doors that do not wait are refused as soon as it begins.
        if !waitForRoom, stopping.load(ordering: .acquiring) { return .stopping }
        // A door that does not wait checks the gate itself; one that forgot is refused here.
        if !waitForRoom, !intakeGate.isOpen { return .saturated }
        return worker.deliver(delivery, waitForRoom: waitForRoom)
    }

    /// Refuses, from now on, deliveries that would not wait.
    func beginStopping() { stopping.store(true, ordering: .releasing) }
}
