import Foundation
import HubCore
import HubServices
import HubStore

/// The hub's front door: health, metrics, the read API, the live stream, dead-letter replay,
/// webhook intake, open-data exports and the dashboard, as one `HTTPHandler`.
///
/// Every request but the dashboard's files and the endpoints opened in config needs a bearer
/// token (401 without a valid one) with the right scope (403 otherwise): `read` (and
/// `read:{route}` for restricted routes), `ingest:{route}`, `admin` (replay), `validate` (e-invoice
/// validation), `operate` (acknowledging alarms, which `admin` may do too).
public final class OperationsAPI: HTTPHandler {
    let hub: any HubOperations
    let settings: HTTPSettings
    let broadcaster: EventBroadcaster
    let access: AccessControl
    let logger: Logger
    let routesByName: [String: Route]
    let startedAt = Timestamp.now()
    let ngsiLD: NGSILDAPI

    /// An API over `hub`, whose live stream is fed through `broadcaster`.
    public init(hub: any HubOperations, settings: HTTPSettings, broadcaster: EventBroadcaster, logger: Logger) {
        self.hub = hub
        self.settings = settings
        self.broadcaster = broadcaster
        self.access = AccessControl(tokens: settings.tokens, store: hub.store)
        self.logger = logger
        self.routesByName = Dictionary(hub.routes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.ngsiLD = NGSILDAPI(hub: hub, routesByName: routesByName, logger: logger)
    }

    /// Webhook intake, validation and new subscriptions are authenticated and authorised before
    /// their body is read, and keep at most their limit (the route's `maxBodyBytes`, the
    /// validator's, `maxSubscriptionBytes`); no other endpoint takes a body.
    public func admit(_ head: HTTPRequest) -> RequestAdmission {
        let parts = head.pathComponents
        if head.method == "POST", parts == ["api", "v1", "validate"] { return admitValidation(head) }
        if head.method == "POST", parts == ["api", "v1", "subscriptions"] {
            guard let scopes = scopes(of: head) else { return .answer(Self.unauthorized) }
            guard scopes.contains("admin") else { return .answer(.error(403, "forbidden", "this token lacks the admin scope")) }
            return .body(maxBytes: Self.maxSubscriptionBytes)
        }
        guard head.method == "POST", parts.count == 2, parts[0] == "ingest" else { return .noBody }
        guard let scopes = scopes(of: head) else { return .answer(Self.unauthorized) }
        guard scopes.contains("ingest:\(parts[1])") else {
            return .answer(.error(403, "forbidden", "this token lacks the ingest:\(parts[1]) scope"))
        }
        guard case .webhook(let source)? = routesByName[parts[1]]?.source else {
            return .answer(.error(404, "unknown-route", "no webhook route is named \(parts[1])"))
        }
        return .body(maxBytes: source.maxBodyBytes)
    }

    /// Answers a complete request; errors thrown by a handler become 400, 403 or 500 responses.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return try route(request)
        } catch let error as BadRequest {
            return .error(400, "bad-request", error.message)
        } catch let error as Forbidden {
            return .error(403, "forbidden", error.message)
        } catch {
            logger.error("request failed", ["path": request.path, "error": "\(error)"])
            return .error(500, "internal", "the hub could not answer: \(error)")
        }
    }

    private func route(_ request: HTTPRequest) throws -> HTTPResponse {
        let parts = request.pathComponents
        let method = request.method
        switch (method, parts.first) {
        case ("GET", nil), ("GET", "dashboard"):
            return Dashboard.response(for: parts)
        case ("GET", "healthz"):
            return try open("healthz", request) { _ in .json(200, .object(["status": .string("ok")])) }
        case ("GET", "readyz"):
            return try open("readyz", request) { _ in readiness() }
        case ("GET", "metrics"):
            return try open("metrics", request) { _ in
                .text(200, PrometheusText.render(metrics: hub.metrics, routes: hub.routes, broadcaster: broadcaster,
                                                      hubName: hub.hubName),
                      contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        case ("POST", "ingest") where parts.count == 2:
            return try ingest(request, routeName: parts[1])
        case (_, "api") where parts.count >= 3 && parts[1] == "v1":
            return try api(request, Array(parts.dropFirst(2)))
        case (_, "ngsi-ld") where parts.count >= 2 && parts[1] == "v1":
            return try reading(request) { access in ngsiLD.respond(to: request, resource: Array(parts.dropFirst(2)), access: access) }
        default:
            if ["healthz", "readyz", "metrics", "ingest", "api", "dashboard"].contains(parts.first ?? "") || parts.isEmpty {
                return methodNotAllowed(request)
            }
            return .error(404, "not-found", "no endpoint at \(request.path); see docs/openapi.yaml")
        }
    }

    private func api(_ request: HTTPRequest, _ parts: [String]) throws -> HTTPResponse {
        switch (request.method, parts[0], parts.count) {
        case ("GET", "routes", 1): return try reading(request) { try routes(request, access: $0) }
        case ("GET", "connectors", 1): return try reading(request) { try connectors(request, access: $0) }
        case ("GET", "devices", 1): return try reading(request) { try devices(request, access: $0) }
        case ("GET", "invoice-statuses", 1): return try reading(request) { try invoiceStatuses(request, access: $0) }
        case ("GET", "events", 1): return try reading(request) { try events(request, access: $0) }
        case ("GET", "events.csv", 1): return try reading(request) { try eventsCSV(request, access: $0) }
        case ("GET", "entities", 1): return try reading(request) { try entities(request, access: $0) }
        case ("GET", "entities.geojson", 1): return try reading(request) { try entitiesGeoJSON(request, access: $0) }
        case ("GET", "entities", 3...) where parts.last == "series":
            return try reading(request) { access in
                // An entity whose own id ends in "/series", asked for without the series' `attribute`, is itself.
                let whole = idPart(parts, from: 1)!
                if request.queryValue("attribute") == nil, try visibleLatest(whole, access: access) != nil {
                    return try entity(request, id: whole, access: access)
                }
                return try series(request, id: parts[1..<(parts.count - 1)].joined(separator: "/"), access: access)
            }
        case ("GET", "entities", _): return try reading(request) { try entity(request, id: idPart(parts, from: 1)!, access: $0) }
        case ("GET", "stream", 1): return try reading(request) { try stream(request, access: $0) }
        case ("GET", "datasets", 1): return try datasetReading(request) { try datasets(request, access: $0) }
        case ("GET", "datasets", 2): return try datasetReading(request) { try dataset(request, name: parts[1], access: $0) }
        case ("GET", "datasets", 3):
            return try datasetReading(request) { try datasetExport(request, name: parts[1], file: parts[2], access: $0) }
        case ("GET", "deadletters", 1): return try reading(request) { try deadLetters(request, access: $0) }
        case ("GET", "deadletters", 2): return try reading(request) { try deadLetter(request, id: parts[1], access: $0) }
        case ("POST", "deadletters", 3) where parts[2] == "replay":
            return try authorized(request, scope: "admin") { _ in try replay(request, id: parts[1]) }
        case ("POST", "validate", 1): return try authorized(request, scope: "validate") { _ in validate(request) }
        case ("GET", "alarms", 1): return try reading(request) { try alarms(request, access: $0) }
        case ("POST", "alarms", 3) where parts[2] == "acknowledge":
            return try operating(request) { name, scopes in try acknowledgeAlarm(request, id: parts[1], operator: name, scopes: scopes) }
        case ("GET", "subscriptions", 1): return try authorized(request, scope: "admin") { _ in try subscriptions(request) }
        case ("POST", "subscriptions", 1): return try authorized(request, scope: "admin") { _ in try addSubscription(request) }
        case ("DELETE", "subscriptions", 2):
            return try authorized(request, scope: "admin") { _ in try removeSubscription(request, name: parts[1]) }
        case (_, "routes", 1), (_, "connectors", 1), (_, "devices", 1), (_, "invoice-statuses", 1), (_, "events", 1),
             (_, "events.csv", 1), (_, "entities", _),
             (_, "entities.geojson", 1), (_, "stream", 1), (_, "deadletters", _), (_, "datasets", 1...3), (_, "validate", 1),
             (_, "alarms", 1), (_, "alarms", 3), (_, "subscriptions", 1), (_, "subscriptions", 2):
            return methodNotAllowed(request)
        default:
            return .error(404, "not-found", "no endpoint at \(request.path); see docs/openapi.yaml")
        }
    }

    /// 405 with the `Allow` header RFC 9110 asks for: POST on intake and replay, GET elsewhere.
    private func methodNotAllowed(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.pathComponents
        let post = parts.first == "ingest" || (parts.count == 5 && ["deadletters", "alarms"].contains(parts[2]) && ["replay", "acknowledge"].contains(parts[4]))
            || parts == ["api", "v1", "validate"]
        let allowed = parts.count == 3 && parts[2] == "subscriptions" ? "GET, POST"
            : parts.count == 4 && parts[2] == "subscriptions" ? "DELETE" : post ? "POST" : "GET"
        return HTTPResponse.error(405, "method-not-allowed", "\(request.method) is not allowed on \(request.path)")
            .with(header: "Allow", allowed)
    }

    /// The rest of the path from `index` on, joined (entity ids are URNs and may hold `/`).
    private func idPart(_ parts: [String], from index: Int) -> String? {
        parts.count > index ? parts[index...].joined(separator: "/") : nil
    }

    // MARK: - Access

    /// The caller's token scopes; nil after answering 401.
    func scopes(of request: HTTPRequest) -> Set<String>? {
        guard let secret = AccessControl.presentedSecret(in: request) else { return nil }
        return access.scopes(presented: secret)
    }

    static let unauthorized = HTTPResponse.error(401, "unauthorized", "a valid bearer token is required (Authorization: Bearer ...)")
        .with(header: "WWW-Authenticate", "Bearer realm=\"territory-hub\"")

    private func open(_ name: String, _ request: HTTPRequest, _ body: (Set<String>) throws -> HTTPResponse) throws -> HTTPResponse {
        if settings.openEndpoints.contains(name) { return try body([]) }
        return try reading(request) { access in try body(access.scopes) }
    }

    func reading(_ request: HTTPRequest, _ body: (ReadAccess) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let scopes = scopes(of: request) else { return Self.unauthorized }
        let access = ReadAccess(scopes: scopes)
        guard access.canRead else { return .error(403, "forbidden", "this token has no read scope") }
        return try body(access)
    }

    func authorized(_ request: HTTPRequest, scope: String, _ body: (Set<String>) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let scopes = scopes(of: request) else { return Self.unauthorized }
        guard scopes.contains(scope) else { return .error(403, "forbidden", "this token lacks the \(scope) scope") }
        return try body(scopes)
    }

    /// Runs `body` with the name and scopes of the caller's token when it holds `operate` or `admin`
    /// (acknowledging alarms).
    func operating(_ request: HTTPRequest, _ body: (_ name: String, _ scopes: Set<String>) throws -> HTTPResponse) throws -> HTTPResponse {
        guard let secret = AccessControl.presentedSecret(in: request), let caller = access.caller(presented: secret) else {
            return Self.unauthorized
        }
        guard caller.scopes.contains("operate") || caller.scopes.contains("admin") else {
            return .error(403, "forbidden", "this token lacks the operate scope")
        }
        return try body(caller.name, caller.scopes)
    }

    /// The routes a filter may not name, and a 403 when it names one the caller cannot read.
    func hiddenRoutes(for filter: EventFilter, access: ReadAccess) throws -> [String] {
        for name in filter.routes {
            if let route = routesByName[name], !access.canRead(route) {
                throw Forbidden("route \(name) is restricted: reading it needs the read:\(name) scope")
            }
        }
        return access.hiddenRoutes(among: hub.routes)
    }

    // MARK: - Health

    private func readiness() -> HTTPResponse {
        let problems = hub.readinessProblems()
        if problems.isEmpty { return .json(200, .object(["status": .string("ready")])) }
        return .json(503, .object(["status": .string("not ready"), "reasons": .array(problems.map(JSONValue.string))]))
            .with(header: "Retry-After", "5")
    }

    // MARK: - Webhook intake

    private func ingest(_ request: HTTPRequest, routeName: String) throws -> HTTPResponse {
        try authorized(request, scope: "ingest:\(routeName)") { _ in
            guard let route = routesByName[routeName], case .webhook = route.source else {
                return .error(404, "unknown-route", "no webhook route is named \(routeName)")
            }
            let headers = request.headers.filter { $0.key != "authorization" }
            let envelope = Envelope(route: routeName, source: .webhook, origin: request.path, payload: request.body,
                                    headers: headers, receivedAt: .now())
            return deliverAndWait(envelope) { disposition in
                switch disposition {
                case .stored(let events):
                    return .json(202, .object(["status": .string("stored"), "events": .number(Double(events))]))
                case .deadLettered(let reason):
                    return .json(202, .object(["status": .string("dead-lettered"), "reason": .string(reason)]))
                case .failed(let reason):
                    return .error(503, "store-failed", "the store could not commit the message: \(reason)")
                        .with(header: "Retry-After", "5")
                }
            }
        }
    }

    /// Delivers `envelope` without waiting for room and blocks this connection's thread until its
    /// outcome is committed (bounded by `commitTimeoutSeconds`), then answers with `answer`.
    func deliverAndWait(_ envelope: Envelope, answer: (Disposition) -> HTTPResponse) -> HTTPResponse {
        // While the store cannot commit, nothing new is taken: the sender keeps it and retries.
        if let reason = hub.intakeGate.reason {
            return .error(503, "store-unavailable", "the hub cannot store messages now (\(reason)); nothing was taken, send it again later")
                .with(header: "Retry-After", "5")
        }
        let committed = CommitWaiter()
        switch hub.deliver(Delivery(envelope, onCommit: committed.finish), waitForRoom: false) {
        case .accepted:
            guard let disposition = committed.wait(seconds: settings.commitTimeoutSeconds) else {
                return .error(503, "commit-timeout", "accepted but not committed within \(settings.commitTimeoutSeconds) s; sending it again is safe (events are deduplicated)")
                    .with(header: "Retry-After", "5")
            }
            return answer(disposition)
        case .saturated:
            return .error(503, "saturated", "route \(envelope.route) is saturated; retry later")
                .with(header: "Retry-After", "1")
        case .unknownRoute:
            return .error(404, "unknown-route", "no route is named \(envelope.route)")
        case .stopping:
            return .error(503, "stopping", "the hub is stopping").with(header: "Retry-After", "5")
        }
    }
}

/// A 403 raised inside a read handler.
struct Forbidden: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Hands a commit callback's disposition to the request thread waiting for it.
private final class CommitWaiter: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = LatestValue<Disposition>()

    var finish: @Sendable (Disposition) -> Void {
        { [self] disposition in
            result.set(disposition)
            done.signal()
        }
    }

    func wait(seconds: Int) -> Disposition? {
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return result.value
    }
}
