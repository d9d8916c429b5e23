import Foundation
import HubCore
import HubServices

/// Runs one route: owns its connector, decodes the route's messages in order on its own thread,
/// and puts each outcome (events or a dead letter) on the bus.
final class RouteWorker: Sendable {
    /// The route this worker runs.
    let route: Route
    private let connector: any Connector
    private let queue: BoundedQueue<Delivery>
    private let bus: Bus
    private let metrics: RouteMetrics
    private let report: DeadLetterReport
    private let finished = DispatchSemaphore(value: 0)

    init(route: Route, connector: any Connector, capacity: Int, bus: Bus, metrics: RouteMetrics, report: DeadLetterReport) {
        self.route = route
        self.connector = connector
        self.queue = BoundedQueue(capacity: capacity)
        self.bus = bus
        self.metrics = metrics
        self.report = report
    }

    /// The most messages decoded in one run.
    static let run = 64
    /// How long a run waits for more messages after its first (seconds): a few milliseconds on a
    /// path whose commit waits for a batch anyway.
    static let gathering: TimeInterval = 0.002

    /// Starts the worker's thread.
    func start() {
        let thread = Thread { [self] in
            Thread.nameCurrentThread("route \(route.name)")
            var connector = self.connector
            let archivedMediaType = type(of: connector).archivedMediaType
            // Messages are taken in runs so that a busy route wakes once per run, not once per message:
            // after the first, the next ones get a moment to gather.
            while case var deliveries = queue.pop(upTo: Self.run), !deliveries.isEmpty {
                if deliveries.count < Self.run {
                    let wanted = Self.run - deliveries.count
                    deliveries += queue.pop(upTo: wanted, until: Date(timeIntervalSinceNow: Self.gathering), gathering: wanted)
                }
                metrics.queueDepth.set(queue.depth)
                var outcomes: [Outcome] = []
                outcomes.reserveCapacity(deliveries.count)
                for delivery in deliveries {
                    outcomes.append(outcome(of: delivery, decodingWith: &connector, archivedMediaType: archivedMediaType))
                }
                // The bus is closed only after every worker has finished, so nothing here is refused.
                bus.push(contentsOf: outcomes)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Decodes one message into its outcome: its events (with the payload to archive, for a connector
    /// that archives), or its dead letter.
    private func outcome(of delivery: Delivery, decodingWith connector: inout any Connector, archivedMediaType: String?) -> Outcome {
        if let refusal = delivery.refusal { return deadLetter(delivery, reason: refusal) }
        let envelope = delivery.envelope
        let events: [Event]
        do {
            events = try connector.decode(envelope)
        } catch {
            return deadLetter(delivery, reason: String(describing: error))
        }
        metrics.eventsDecoded.increment(by: events.count)
        var documents: [ArchivedDocument] = []
        if let mediaType = archivedMediaType, !events.isEmpty {
            documents.append(ArchivedDocument(
                bytes: envelope.payload, mediaType: mediaType, route: envelope.route, receivedAt: envelope.receivedAt))
        }
        return Outcome(events: events, documents: documents, onCommit: Self.commitCallback(delivery, reporting: .stored(events: events.count)))
    }

    /// The outcome of a message kept as a dead letter, counted on the route and reported.
    private func deadLetter(_ delivery: Delivery, reason: String) -> Outcome {
        metrics.deadLetters.increment()
        metrics.lastError.set((reason, delivery.envelope.receivedAt))
        return Self.deadLetterOutcome(delivery, reason: reason, report: report)
    }

    /// The outcome of a message kept as a dead letter with `reason`, reported in the hub's log; also
    /// for a refused delivery that names no route.
    static func deadLetterOutcome(_ delivery: Delivery, reason: String, report: DeadLetterReport) -> Outcome {
        let deadLetter = DeadLetter(envelope: delivery.envelope, reason: reason)
        report.record(deadLetter)
        return Outcome(deadLetter: deadLetter, onCommit: commitCallback(delivery, reporting: .deadLettered(reason: reason)))
    }

    /// The outcome's commit callback, which tells the delivery's `onCommit` what became of it.
    private static func commitCallback(_ delivery: Delivery, reporting disposition: Disposition) -> (@Sendable ((any Error)?) -> Void)? {
        guard let onCommit = delivery.onCommit else { return nil }
        return { error in onCommit(error.map { .failed(reason: String(describing: $0)) } ?? disposition) }
    }

    /// Queues a message for the route. With `waitForRoom`, waits while the queue is full (the
    /// backpressure that slows MQTT intake); without, answers `.saturated` at once.
    func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission {
        if waitForRoom {
            noteReceived(delivery.envelope)
            return queue.push(delivery) ? .accepted : .stopping
        }
        guard queue.offer(delivery) else { return queue.isClosed ? .stopping : .saturated }
        noteReceived(delivery.envelope)
        return .accepted
    }

    private func noteReceived(_ envelope: Envelope) {
        metrics.received.increment()
        metrics.arrivals.record(at: envelope.receivedAt)
        metrics.lastMessageAt.set(Int(envelope.receivedAt.microsecondsSinceEpoch))
    }

    /// Refuses new messages, decodes those already queued, and returns when the thread has ended.
    func stop() {
        queue.close()
        finished.wait()
    }
}
