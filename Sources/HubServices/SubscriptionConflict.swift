/// Why a subscription cannot be added or removed through the API although its definition reads:
/// its name is taken, the hub runs the most subscriptions, or it comes from the configuration.
public struct SubscriptionConflict: Error, CustomStringConvertible {
    /// What is in the way, in words.
    public var description: String

    /// A conflict described by `description`.
    public init(_ description: String) { self.description = description }
}
