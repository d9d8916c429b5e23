import HubCore

/// One device the hub has heard from, as the store's registry keeps it.
public struct DeviceRecord: Sendable, Hashable {
    /// The device's URN, as its events' `refDevice` names it.
    public var device: String
    /// The route of its latest message.
    public var route: String
    /// When the hub received its first stored message.
    public var firstSeen: Timestamp
    /// When the hub received its latest stored message.
    public var lastSeen: Timestamp
    /// How many of its messages are stored.
    public var messageCount: Int
    /// The received signal strength (dBm) of its latest message that reported one.
    public var lastRSSI: Double?
    /// When it was declared inactive (its `DeviceInactive` event's time); nil while active.
    public var inactiveSince: Timestamp?

    /// Creates a record.
    public init(device: String, route: String, firstSeen: Timestamp, lastSeen: Timestamp, messageCount: Int,
                lastRSSI: Double?, inactiveSince: Timestamp?) {
        self.device = device
        self.route = route
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.messageCount = messageCount
        self.lastRSSI = lastRSSI
        self.inactiveSince = inactiveSince
    }
}
