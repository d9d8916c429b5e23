import HubCore
import HubServices

// Outbound deliveries: how each subscription stands, and subscriptions made and removed, for administrators.
extension OperationsAPI {
    /// The largest definition `POST /api/v1/subscriptions` takes.
    static let maxSubscriptionBytes = 64 << 10

    /// `POST /api/v1/subscriptions`: a subscription from a JSON entry of `subscriptions[]`
    /// (`${VAR}` references read from the hub's environment, kept as written); 201 with its status,
    /// 400 naming what does not read, 409 when the name is taken.
    func addSubscription(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        let definition: JSONValue
        do {
            definition = try JSONValue(parsing: request.body)
        } catch {
            throw BadRequest("the body is not JSON: \(error)")
        }
        do {
            return .json(201, Self.json(try hub.addSubscription(definition)))
        } catch let error as SettingsError {
            throw BadRequest(error.path.isEmpty ? error.message : "\(error.path): \(error.message)")
        } catch let error as SubscriptionConflict {
            return .error(409, "conflict", error.description)
        }
    }

    /// `DELETE /api/v1/subscriptions/{name}`: removes a subscription made through the API and the
    /// events waiting for it; 404 when none has the name, 409 for one from the configuration.
    func removeSubscription(_ request: HTTPRequest, name: String) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        do {
            guard try hub.removeSubscription(named: name) else { return .error(404, "not-found", "no subscription \(name)") }
            return HTTPResponse(status: 204)
        } catch let error as SubscriptionConflict {
            return .error(409, "conflict", error.description)
        }
    }

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
            "origin": .string(status.isConfigured ? "configuration" : "api"),
        ])
    }
}
