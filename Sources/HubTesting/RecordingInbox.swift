import HubCore
import HubServices
import Synchronization

/// An `Inbox` that keeps what a door delivers and answers as a test tells it to, so that a door
/// (feed poller, folder intake, MQTT intake) can be tested without a hub.
public final class RecordingInbox: Inbox {
    private let delivered = Mutex<[Delivery]>([])
    private let answers = Mutex<[Admission]>([])
    private let disposition: @Sendable (Envelope) -> Disposition
    /// The gate its doors check; a test closes it to see them pause.
    public let intakeGate = IntakeGate()

    /// An inbox that accepts everything and commits each accepted message at once as `disposition`
    /// says (by default one event per message).
    public init(disposition: @escaping @Sendable (Envelope) -> Disposition = { _ in .stored(events: 1) }) {
        self.disposition = disposition
    }

    /// Makes the next deliveries answer these admissions, in order (then `.accepted` again).
    public func answerNext(_ admissions: [Admission]) {
        answers.withLock { $0 = admissions }
    }

    /// Records an accepted delivery and calls its `onCommit` at once.
    public func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission {
        let answer = answers.withLock { $0.isEmpty ? .accepted : $0.removeFirst() }
        guard answer == .accepted else { return answer }
        delivered.withLock { $0.append(delivery) }
        delivery.onCommit?(delivery.refusal.map { .deadLettered(reason: $0) } ?? disposition(delivery.envelope))
        return .accepted
    }

    /// The deliveries accepted so far, oldest first.
    public var deliveries: [Delivery] { delivered.withLock { $0 } }

    /// The envelopes accepted so far, oldest first.
    public var envelopes: [Envelope] { deliveries.map(\.envelope) }

    /// How many envelopes were accepted.
    public var count: Int { envelopes.count }

    /// The accepted payloads as UTF-8 text.
    public var payloads: [String] { envelopes.map { String(decoding: $0.payload, as: UTF8.self) } }
}
