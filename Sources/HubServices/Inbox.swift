/// The one way into the routes, which the runtime hands to every door (MQTT, feeds, webhooks,
/// drop folders): a door delivers each message it takes in and learns, through the delivery's
/// `onCommit`, what became of it.
public protocol Inbox: Sendable {
    /// Delivers a message to the route its envelope names. With `waitForRoom`, waits while the route's
    /// queue is full: that wait is the backpressure that slows MQTT intake and drop folders.
    /// Without it, answers `.saturated` at once, as a webhook or a feed poller needs.
    func deliver(_ delivery: Delivery, waitForRoom: Bool) -> Admission

    /// The gate every door checks before taking new work: closed while the store cannot commit.
    var intakeGate: IntakeGate { get }
}
