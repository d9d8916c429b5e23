import Foundation
import HubCore

/// Runs one route: owns its connector, decodes the route's messages in order on its own thread,
/// and puts each outcome (events or a dead letter) on the bus.
final class RouteWorker: Sendable {
    /// The route this worker runs.
    let route: Route
    private let connector: any Connector
    private let inbox: BoundedQueue<Delivery>
    private let bus: Bus
    private let metrics: RouteMetrics
    private let report: DeadLetterReport
    private let finished = DispatchSemaphore(value: 0)

    init(route: Route, connector: any Connector, capacity: Int, bus: Bus, metrics: RouteMetrics, report: DeadLetterReport) {
        self.route = route
        self.connector = connector
        self.inbox = BoundedQueue(capacity: capacity)
        self.bus = bus
        self.metrics = metrics
        self.report = report
    }

    /// Starts the worker's thread.
    func start() {
        let thread = Thread { [self] in
            Thread.nameCurrentThread("route \(route.name)")
            var connector = self.connector
            let archivedMediaType = type(of: connector).archivedMediaType
            // Messages are taken in runs so that a busy route wakes once per run, not once per message.
            while case let deliveries = inbox.pop(upTo: 64), !deliveries.isEmpty {
                metrics.queueDepth.set(inbox.depth)
                var outcomes: [Outcome] = []
                outcomes.reserveCapacity(deliveries.count)
                for delivery in deliveries {
                    do {
                        let events = try connector.decode(delivery.envelope)
                        metrics.eventsDecoded.increment(by: events.count)
                        var documents: [ArchivedDocument] = []
                        if let mediaType = archivedMediaType, !events.isEmpty {
                            let envelope = delivery.envelope
                            documents.append(ArchivedDocument(
                                bytes: envelope.payload, mediaType: mediaType, route: envelope.route, receivedAt: envelope.receivedAt))
                        }
                        outcomes.append(Outcome(
                            events: events, documents: documents, onCommit: delivery.commitCallback(reporting: .stored(events: events.count))))
                    } catch {
                        let deadLetter = DeadLetter(envelope: delivery.envelope, reason: String(describing: error))
                        metrics.deadLetters.increment()
                        metrics.lastError.set((deadLetter.reason, delivery.envelope.receivedAt))
                        report.record(deadLetter)
                        outcomes.append(Outcome(
                            deadLetter: deadLetter, onCommit: delivery.commitCallback(reporting: .deadLettered(reason: deadLetter.reason))))
                    }
                }
                // The bus is closed only after every worker has finished, so nothing here is refused.
                bus.push(contentsOf: outcomes)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Hands a message to the route, waiting while its queue is full (this is the backpressure
    /// that slows MQTT intake). Returns false once the worker is stopping.
    func accept(_ delivery: Delivery) -> Bool {
        noteReceived(delivery.envelope)
        return inbox.push(delivery)
    }

    /// Hands a message to the route only if its queue has room now; false when full or stopping
    /// (a webhook answers 503, a poller skips a turn).
    func offer(_ delivery: Delivery) -> Bool {
        guard inbox.offer(delivery) else { return false }
        noteReceived(delivery.envelope)
        return true
    }

    /// Counts and reports a dead letter an intake made without decoding (a dropped file too large
    /// to read); the intake puts it on the bus itself.
    func noteDeadLetterBeforeDecoding(_ deadLetter: DeadLetter) {
        noteReceived(Envelope(route: deadLetter.route, source: deadLetter.source, origin: deadLetter.origin,
                              payload: Data(), receivedAt: deadLetter.receivedAt))
        metrics.deadLetters.increment()
        report.record(deadLetter)
    }

    /// Whether the worker refuses new messages because it is stopping.
    var isStopping: Bool { inbox.isClosed }

    private func noteReceived(_ envelope: Envelope) {
        metrics.received.increment()
        metrics.arrivals.record(at: envelope.receivedAt)
        metrics.lastMessageAt.set(Int(envelope.receivedAt.microsecondsSinceEpoch))
    }

    /// Refuses new messages, decodes those already queued, and returns when the thread has ended.
    func stop() {
        inbox.close()
        finished.wait()
    }
}
