/// A way in for messages (an MQTT subscription, feed pollers, drop folders), made from the routes
/// that use it and an `Inbox`. The runtime starts doors after the routes and stops them first, so
/// that every message a door took in is decoded and committed before the hub stops.
public protocol Door: Sendable {
    /// Starts taking messages in.
    func start() throws
    /// Stops taking messages in; returns once the door delivers nothing more.
    func stop()
}
