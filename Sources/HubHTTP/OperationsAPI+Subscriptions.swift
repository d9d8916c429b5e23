import HubCore
import HubServices

// Outbound deliveries: how each subscription stands, for administrators.
extension OperationsAPI {
    /// `GET /api/v1/subscriptions`: each subscription's target, lag, counters, last error and
    /// paused state, in configuration order.
    func subscriptions(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        return .json(200, .object(["items": .array(hub.subscriptionStatuses.map(Self.json))]))
    }

    /// A subscription's status as the API writes it.
    static func json(_ status: SubscriptionStatus) -> JSONValue {
        func time(_ value: Timestamp?) -> JSONValue { value.map { .string($0.iso8601) } ?? .null }
        return .object([
            "name": .string(status.name), "targetKind": .string(status.targetKind), "target": .string(status.target),
            "lag": .number(Double(status.lag)), "delivered": .number(Double(status.delivered)),
            "failedAttempts": .number(Double(status.failedAttempts)), "dropped": .number(Double(status.dropped)),
            "paused": .bool(status.isPaused), "pauseReason": status.pauseReason.map(JSONValue.string) ?? .null,
            "lastError": status.lastError.map(JSONValue.string) ?? .null, "lastErrorAt": time(status.lastErrorAt),
            "lastDeliveredAt": time(status.lastDeliveredAt),
        ])
    }
}
