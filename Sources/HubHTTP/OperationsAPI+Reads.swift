import Foundation
import HubCore
import HubServices
import HubStore

// The read side of the API: routes, connectors, events, entities, dead letters, exports, the stream.
extension OperationsAPI {
    /// Every route the caller may read (a restricted one only for a scope naming it).
    func routes(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        let now = Timestamp.now()
        let items = hub.routes.filter(access.canRead).map { route -> JSONValue in
            let metrics = hub.metrics.route(route.name)
            let last = metrics.lastMessageAt.value
            let lastMessageAt: Timestamp? = last > 0 ? Timestamp(microsecondsSinceEpoch: Int64(last)) : nil
            var state = lastMessageAt == nil ? "waiting" : "ok"
            if let interval = route.expectedInterval {
                let since = lastMessageAt ?? startedAt
                if now.microsecondsSinceEpoch - since.microsecondsSinceEpoch > Int64(interval.timeInterval * 1_000_000) {
                    state = "stale"
                }
            }
            var members: [String: JSONValue] = [
                "name": .string(route.name), "hub": .string(hub.hubName), "source": .string(route.source.kind),
                "sourceDescription": .string(route.sourceDescription), "connector": .string(route.connector),
                "restricted": .bool(route.isRestricted), "state": .string(state),
                "lastMessageAt": lastMessageAt.map { .string($0.iso8601) } ?? .null,
                "expectedIntervalSeconds": route.expectedInterval.map { .number($0.timeInterval) } ?? .null,
                "received": .number(Double(metrics.received.value)),
                "eventsStored": .number(Double(metrics.eventsStored.value)),
                "deadLetters": .number(Double(metrics.deadLetters.value)),
                "errors": .number(Double(metrics.deadLetters.value)),
                "queueDepth": .number(Double(metrics.queueDepth.value)),
                "ratePerSecond1m": .number(metrics.arrivals.rate(over: 60, at: now)),
                "ratePerSecond15m": .number(metrics.arrivals.rate(over: 900, at: now)),
                "lastError": .null,
            ]
            if let error = metrics.lastError.value {
                members["lastError"] = .object(["reason": .string(error.reason), "at": .string(error.at.iso8601)])
            }
            return .object(members)
        }
        return .json(200, .object(["items": .array(items)]))
    }

    /// The compiled-in connectors, each with the routes the caller may read and their settings,
    /// secrets masked.
    func connectors(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        let items = hub.connectors.types.map { type -> JSONValue in
            let routes = hub.routes.filter { $0.connector == type.id && access.canRead($0) }.map { route -> JSONValue in
                .object(["route": .string(route.name), "settings": SecretRedaction.settings(route.settings)])
            }
            return .object(["id": .string(type.id), "summary": .string(type.summary), "routes": .array(routes)])
        }
        return .json(200, .object(["items": .array(items)]))
    }

    /// The device registry (`GET /api/v1/devices`): every device heard from on a route the caller
    /// may read, with its last message, message count, last RSSI and whether it has gone silent.
    func devices(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        let items = try hub.store.devices().filter { device in
            access.canRead(routeNamed: device.route, in: routesByName)
        }.map { device -> JSONValue in
            .object([
                "device": .string(device.device), "route": .string(device.route),
                "firstSeen": .string(device.firstSeen.iso8601), "lastSeen": .string(device.lastSeen.iso8601),
                "messageCount": .number(Double(device.messageCount)), "lastRSSI": device.lastRSSI.map(JSONValue.number) ?? .null,
                "status": .string(device.inactiveSince == nil ? "active" : "inactive"),
                "inactiveSince": device.inactiveSince.map { .string($0.iso8601) } ?? .null,
            ])
        }
        return .json(200, .object(["items": .array(items)]))
    }

    /// The filter, cursor and page size of an events listing.
    private func eventQuery(_ request: HTTPRequest, access: ReadAccess) throws -> (filter: EventFilter, before: Int64?, limit: Int) {
        try QueryFilters.rejectUnknown(request, allowed: QueryFilters.common.union(QueryFilters.filterNames))
        var filter = try QueryFilters.filter(request)
        filter.hiddenRoutes = try hiddenRoutes(for: filter, access: access)
        return (filter, try QueryFilters.sequenceCursor(request), try QueryFilters.limit(request))
    }

    private func eventPage(_ request: HTTPRequest, access: ReadAccess) throws -> (events: [EventRecord], next: String?) {
        let (filter, before, limit) = try eventQuery(request, access: access)
        var events = try hub.store.eventRecords(matching: filter, before: before, limit: limit + 1)
        var next: String?
        if events.count > limit {
            events.removeLast()
            next = events.last.map { String($0.seq) }
        }
        return (events, next)
    }

    /// The page is written from the store's rows as they are read (`EventEncoding.eventListing`).
    func events(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        let (filter, before, limit) = try eventQuery(request, access: access)
        let store = hub.store
        return .json(200, bytes: try EventEncoding.eventListing(limit: limit) { body in
            try store.forEachEventRecord(matching: filter, before: before, limit: limit + 1, body)
        })
    }

    func eventsCSV(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        let page = try eventPage(request, access: access)
        var text = EventEncoding.csvHeader
        for record in page.events { text += EventEncoding.csvRecord(record) }
        var response = HTTPResponse.text(200, text, contentType: "text/csv; charset=utf-8; header=present")
            .with(header: "Content-Disposition", "attachment; filename=\"events.csv\"")
        if let next = page.next {
            response.headers["X-Next-Cursor"] = next
            response.headers["Link"] = Self.nextLink(request, cursor: next)
        }
        return response
    }

    private func entityPage(_ request: HTTPRequest, access: ReadAccess, limit fallback: Int = 100) throws -> (entities: [Event], next: String?) {
        try QueryFilters.rejectUnknown(request, allowed: QueryFilters.common.union(QueryFilters.filterNames))
        var filter = try QueryFilters.filter(request)
        filter.hiddenRoutes = try hiddenRoutes(for: filter, access: access)
        let limit = try QueryFilters.limit(request, default: fallback)
        let cursor = request.queryValue("cursor")
        if let cursor, cursor.isEmpty { throw BadRequest("cursor must be the nextCursor of a previous page") }
        var entities = try hub.store.entities(matching: filter, after: cursor, limit: limit + 1)
        var next: String?
        if entities.count > limit {
            entities.removeLast()
            next = entities.last?.entity
        }
        return (entities, next)
    }

    func entities(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        let page = try entityPage(request, access: access)
        return .json(200, bytes: EventEncoding.listing(page.entities, ["nextCursor": page.next.map(JSONValue.string) ?? .null]))
    }

    func entitiesGeoJSON(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        let page = try entityPage(request, access: access, limit: 1000)
        var response = HTTPResponse.text(200, JSONValue.object([
            "type": .string("FeatureCollection"),
            "features": .array(page.entities.map(EventEncoding.geoJSONFeature)),
        ]).jsonText, contentType: "application/geo+json")
        if let next = page.next {
            response.headers["X-Next-Cursor"] = next
            response.headers["Link"] = Self.nextLink(request, cursor: next)
        }
        return response
    }

    /// `Link: <path?...&cursor=next>; rel="next"` (RFC 8288): the same query with the next page's
    /// cursor, without `access_token` (a link must not carry a secret).
    static func nextLink(_ request: HTTPRequest, cursor: String) -> String {
        var components = URLComponents()
        components.path = request.path
        components.queryItems = request.query.filter { $0.name != "cursor" && $0.name != "access_token" }
            .map { URLQueryItem(name: $0.name, value: $0.value) } + [URLQueryItem(name: "cursor", value: cursor)]
        // URLComponents leaves `+` and `:` as they are; `+` would read back as a space.
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return "<\(components.percentEncodedPath)?\(query)>; rel=\"next\""
    }

    func visibleLatest(_ id: String, access: ReadAccess) throws -> Event? {
        guard let event = try hub.store.latest(entity: id), access.canRead(routeNamed: event.route, in: routesByName) else { return nil }
        return event
    }

    func entity(_ request: HTTPRequest, id: String, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let event = try visibleLatest(id, access: access) else {
            return .error(404, "not-found", "no entity \(id) is stored (or it is on a route this token cannot read)")
        }
        return .json(200, text: EventEncoding.jsonText(event))
    }

    /// Server-Sent Events of committed events. Each frame's `id:` is the event's sequence number;
    /// a client that sends one back as `Last-Event-ID` first gets the matching events stored after
    /// it, then the live ones.
    func stream(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["type", "route", "access_token"])
        var routes = EventFilter()
        routes.routes = QueryFilters.list(request, "route")
        let filter = StreamFilter(types: Set(QueryFilters.list(request, "type")), routes: Set(routes.routes),
                                  hiddenRoutes: Set(try hiddenRoutes(for: routes, access: access)))
        var resumingAfter: Int64?
        if let text = request.headers["last-event-id"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let seq = Int64(text), seq >= 0 else {
                throw BadRequest("Last-Event-ID must be the id: of an event this stream sent (a whole number), found \"\(text)\"")
            }
            resumingAfter = seq
        }
        let store = hub.store
        let storeFilter = filter.eventFilter
        let subscription = broadcaster.subscribe(
            filter: filter, capacity: settings.streamBufferEvents, resumingAfter: resumingAfter,
            catchUp: { after, limit in try store.events(matching: storeFilter, after: after, limit: limit) })
        return HTTPResponse(status: 200, headers: [
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
        ], body: .stream(subscription))
    }

    func deadLetters(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: QueryFilters.common.union(["route"]))
        var filter = EventFilter()
        filter.routes = QueryFilters.list(request, "route")
        let hidden = try hiddenRoutes(for: filter, access: access)
        let limit = try QueryFilters.limit(request)
        var letters = try hub.store.deadLetters(routes: filter.routes, hiddenRoutes: hidden,
                                                before: QueryFilters.sequenceCursor(request), limit: limit + 1)
        var next: String?
        if letters.count > limit {
            letters.removeLast()
            next = letters.last.map { String($0.id) }
        }
        return .json(200, .object([
            "items": .array(letters.map { EventEncoding.json($0, full: false) }),
            "nextCursor": next.map(JSONValue.string) ?? .null,
        ]))
    }

    private func storedDeadLetter(_ text: String) throws -> StoredDeadLetter? {
        guard let id = Int64(text), id > 0 else { throw BadRequest("a dead letter id is a positive whole number, found \"\(text)\"") }
        return try hub.store.deadLetter(id: id)
    }

    func deadLetter(_ request: HTTPRequest, id: String, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let stored = try storedDeadLetter(id),
              access.canRead(routeNamed: stored.deadLetter.route, in: routesByName) else {
            return .error(404, "not-found", "no dead letter \(id)")
        }
        return .json(200, EventEncoding.json(stored, full: true))
    }

    /// Resubmits a dead letter's payload to its route (once the route or connector is fixed) and,
    /// when it now becomes events, marks it replayed.
    func replay(_ request: HTTPRequest, id: String) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let stored = try storedDeadLetter(id) else { return .error(404, "not-found", "no dead letter \(id)") }
        if let replayedAt = stored.replayedAt {
            return .error(409, "already-replayed", "dead letter \(id) was replayed at \(replayedAt.iso8601)")
        }
        let letter = stored.deadLetter
        guard routesByName[letter.route] != nil else {
            return .error(409, "route-gone", "route \(letter.route) is no longer configured; add it back to replay this")
        }
        let envelope = Envelope(route: letter.route, source: letter.source, origin: letter.origin, payload: letter.payload,
                                receivedAt: .now())
        return deliverAndWait(envelope) { disposition in
            switch disposition {
            case .stored(let events):
                let now = Timestamp.now()
                do {
                    guard try hub.store.markReplayed(deadLetter: stored.id, at: now) else {
                        return .error(409, "already-replayed", "dead letter \(id) was replayed meanwhile")
                    }
                } catch {
                    return .error(500, "internal", "the events were stored but marking the dead letter failed: \(error)")
                }
                logger.info("dead letter replayed", ["id": id, "route": letter.route, "events": String(events)])
                return .json(200, .object([
                    "status": .string("stored"), "events": .number(Double(events)), "replayedAt": .string(now.iso8601),
                ]))
            case .deadLettered(let reason):
                return .error(422, "still-failing", "the route still refuses it (kept as a new dead letter): \(reason)")
            case .failed(let reason):
                return .error(503, "store-failed", "the store could not commit it: \(reason)").with(header: "Retry-After", "5")
            }
        }
    }
}
