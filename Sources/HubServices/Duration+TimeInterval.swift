import Foundation
import HubCore

extension Duration {
    /// The duration in seconds, for Foundation and Dispatch APIs that take a `TimeInterval`.
    public var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
