import HubCore
import HubServices
import HubStore

// Alarms raised by the configured rules: listed for operators (open ones, or the history), and
// acknowledged by one holding the `operate` (or `admin`) scope.
extension OperationsAPI {
    /// `GET /api/v1/alarms`: `status` open (default), history (cleared) or all; `severity`, `route`,
    /// `entity`, `rule`; newest first, in pages. Alarms of routes the caller may not read are not shown.
    func alarms(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: QueryFilters.common.union(["status", "severity", "route", "entity", "rule"]))
        var query = AlarmQuery()
        switch request.queryValue("status") ?? "open" {
        case "open": query.open = true
        case "history": query.open = false
        case "all": query.open = nil
        case let other: throw BadRequest("status must be open, history or all, found \"\(other)\"")
        }
        query.severities = request.queryValues("severity").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if let unknown = query.severities.first(where: { AlarmRule.Severity(rawValue: $0) == nil }) {
            throw BadRequest("severity must be among \(AlarmRule.Severity.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(unknown)\"")
        }
        var filter = EventFilter()
        filter.routes = QueryFilters.list(request, "route")
        query.routes = filter.routes
        query.hiddenRoutes = try hiddenRoutes(for: filter, access: access)
        query.entity = request.queryValue("entity").flatMap { $0.isEmpty ? nil : $0 }
        query.rule = request.queryValue("rule").flatMap { $0.isEmpty ? nil : $0 }
        query.before = try QueryFilters.sequenceCursor(request)
        let limit = try QueryFilters.limit(request)
        var alarms = try hub.store.alarms(matching: query, limit: limit + 1)
        var next: String?
        if alarms.count > limit {
            alarms.removeLast()
            next = alarms.last?.id.map { String($0) }
        }
        return .json(200, .object([
            "items": .array(alarms.map(Self.json)),
            "nextCursor": next.map(JSONValue.string) ?? .null,
        ]))
    }

    /// `POST /api/v1/alarms/{id}/acknowledge`: records who (the token's name) and when; an alarm
    /// already acknowledged is answered as it is. An alarm of a restricted route is acknowledged only
    /// with `admin` or that route's `read:<route>` scope; to others it does not exist (404).
    func acknowledgeAlarm(_ request: HTTPRequest, id text: String, operator name: String, scopes: Set<String>) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let id = Int64(text), id > 0 else { throw BadRequest("an alarm id is a positive whole number, found \"\(text)\"") }
        let notFound = HTTPResponse.error(404, "not-found", "no alarm \(id)")
        guard let seen = try hub.store.alarm(id: id) else { return notFound }
        if let route = routesByName[seen.route], route.isRestricted, !scopes.contains("admin"), !ReadAccess(scopes: scopes).canRead(route) {
            return notFound
        }
        guard let alarm = try hub.acknowledgeAlarm(id: id, by: name) else { return notFound }
        return .json(200, Self.json(alarm))
    }

    /// An alarm as the API writes it.
    static func json(_ alarm: AlarmRecord) -> JSONValue {
        func time(_ value: Timestamp?) -> JSONValue { value.map { .string($0.iso8601) } ?? .null }
        return .object([
            "id": .number(Double(alarm.id ?? 0)), "rule": .string(alarm.rule), "severity": .string(alarm.severity),
            "status": .string(alarm.status.rawValue), "entity": .string(alarm.entity), "entityType": .string(alarm.entityType),
            "route": .string(alarm.route), "message": .string(alarm.message), "value": alarm.value.map(JSONValue.number) ?? .null,
            "count": .number(Double(alarm.count)), "raisedAt": .string(alarm.raisedAt.iso8601),
            "firstObservedAt": .string(alarm.firstObservedAt.iso8601), "lastObservedAt": .string(alarm.lastObservedAt.iso8601),
            "acknowledgedBy": alarm.acknowledgedBy.map(JSONValue.string) ?? .null, "acknowledgedAt": time(alarm.acknowledgedAt),
            "clearedAt": time(alarm.clearedAt), "clearedReason": alarm.clearedReason.map(JSONValue.string) ?? .null,
        ])
    }
}
