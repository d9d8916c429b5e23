import Foundation
import HubCore
import HubServices
import HubStore

/// The read-only NGSI-LD view of the store under `/ngsi-ld/v1` (ETSI GS CIM 009 v1.8): entities
/// (query, retrieve), types, attributes, and the temporal evolution of entities. Writes,
/// subscriptions, registrations and batch operations answer 501 OperationNotSupported.
///
/// `q`, `idPattern`, `attrs` and geo-queries are evaluated here over the latest state of the
/// candidate entities the store selects by type, id and a bounding box; at most `maximumScanned`
/// candidates are read for one request (beyond that: 403 TooComplexQuery), so that `count` is
/// always the true number of matches and pages are cut after filtering.
struct NGSILDAPI: Sendable {
    let hub: any HubOperations
    let routesByName: [String: Route]
    let logger: Logger

    /// The most candidate entities one query reads.
    static let maximumScanned = 100_000
    /// The most entities one temporal query returns at once.
    static let maximumTemporalEntities = 100
    /// The most stored events one temporal request reads, shared among its entities.
    static let temporalEventBudget = 20_000

    /// Resources of the specification this view does not serve.
    private static let unsupportedResources: Set<String> = [
        "subscriptions", "csourceRegistrations", "csourceSubscriptions", "entityOperations", "jsonldContexts",
        "info", "attrs", "entityMaps", "snapshots",
    ]

    /// Answers a request for `resource` (the path after `/ngsi-ld/v1`) for a caller with `access`.
    func respond(to request: HTTPRequest, resource: [String], access: ReadAccess) -> HTTPResponse {
        do {
            let context = try NGSILDContext(request: request)
            guard request.method == "GET" || request.method == "HEAD" else {
                guard resource.first.map(Self.isKnown) ?? false else { throw notFound(request) }
                // NGSI-LD's own operations are written with these; any other method is no NGSI-LD operation at all.
                guard ["POST", "PUT", "PATCH", "DELETE"].contains(request.method) else {
                    return HTTPResponse.error(405, "method-not-allowed", "\(request.method) is no NGSI-LD operation; this view answers GET and HEAD")
                        .with(header: "Allow", "GET, HEAD")
                }
                throw NGSILDProblem(.operationNotSupported, "\(request.method) \(request.path): this NGSI-LD view is read-only")
            }
            switch (resource.first, resource.count) {
            case ("entities", 1): return try queryEntities(request, context: context, access: access)
            case ("entities", _): return try retrieveEntity(request, id: tail(request, after: "entities/"), context: context, access: access)
            case ("types", 1): return try types(request, context: context, access: access)
            case ("types", _): return try type(request, name: context.compact(tail(request, after: "types/")), context: context, access: access)
            case ("attributes", 1): return try attributes(request, context: context, access: access)
            case ("attributes", _): return try attribute(request, name: context.compact(tail(request, after: "attributes/")), context: context, access: access)
            case ("temporal", 2) where resource[1] == "entities":
                return try queryTemporal(request, context: context, access: access)
            case ("temporal", _) where resource.count > 2 && resource[1] == "entities":
                return try retrieveTemporal(request, id: tail(request, after: "temporal/entities/"), context: context, access: access)
            case (let name?, _) where Self.unsupportedResources.contains(name) || name == "temporal":
                throw NGSILDProblem(.operationNotSupported, "\(request.path) is not served by this read-only NGSI-LD view")
            default:
                throw notFound(request)
            }
        } catch let problem as NGSILDProblem {
            return problem.response
        } catch {
            logger.error("NGSI-LD request failed", ["path": request.path, "error": "\(error)"])
            return NGSILDProblem(.internalError, "the hub could not answer: \(error)").response
        }
    }

    private static func isKnown(_ name: String) -> Bool {
        ["entities", "types", "attributes", "temporal"].contains(name) || unsupportedResources.contains(name)
    }

    private func notFound(_ request: HTTPRequest) -> NGSILDProblem {
        NGSILDProblem(.resourceNotFound, "no NGSI-LD resource at \(request.path)")
    }

    /// The path after `/ngsi-ld/v1/<resource>`, as sent: entity ids, types and attributes may be IRIs
    /// holding `/` and `//` (percent-decoded by libmicrohttpd before the handler sees them).
    private func tail(_ request: HTTPRequest, after resource: String) -> String {
        guard let range = request.path.range(of: "/ngsi-ld/v1/" + resource) else { return "" }
        return String(request.path[range.upperBound...])
    }

    // MARK: - Visibility

    private func hiddenRoutes(_ access: ReadAccess) -> [String] { access.hiddenRoutes(among: hub.routes) }

    /// An entity's latest state if the caller may see it.
    private func visibleLatest(_ id: String, access: ReadAccess) throws -> Event? {
        guard let event = try hub.store.latest(entity: id), access.canRead(routeNamed: event.route, in: routesByName) else { return nil }
        return event
    }

    private func systemTimes(_ event: Event, _ parameters: NGSILDParameters) throws -> NGSILDEntity.SystemTimes? {
        guard parameters.systemAttributes else { return nil }
        let created = try hub.store.firstReceived(entity: event.entity) ?? event.receivedAt
        return NGSILDEntity.SystemTimes(createdAt: created, modifiedAt: event.receivedAt)
    }

    // MARK: - Entities

    private func queryEntities(_ request: HTTPRequest, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        let parameters = try NGSILDParameters(request, allowed: NGSILDParameters.entityQuery, context: context)
        guard parameters.selectsEntities else {
            throw NGSILDProblem.badRequest("a query needs at least one of type, id, idPattern, q, attrs or a geo-query, e.g. ?type=AirQualityObserved")
        }
        let (entities, total) = try select(parameters, access: access, offset: parameters.offset, limit: parameters.limit)
        var representations: [JSONValue] = []
        for (event, normalized) in entities {
            var entity = normalized
            if let times = try systemTimes(event, parameters) { entity = NGSILDEntity.normalized(event, system: times) }
            representations.append(parameters.represent(entity))
        }
        var response = context.respond(.array(representations))
        if parameters.count { response.headers["NGSILD-Results-Count"] = String(total) }
        return response
    }

    /// The entities matching `parameters` (latest state and its normalized form), `limit` of them
    /// from `offset`, and how many match in all.
    private func select(_ parameters: NGSILDParameters, access: ReadAccess, offset: Int, limit: Int) throws
        -> (entities: [(Event, [String: JSONValue])], total: Int) {
        var filter = EventFilter()
        filter.types = parameters.types.flatMap(NGSILDEntity.storeTypes(for:))
        filter.hiddenRoutes = hiddenRoutes(access)
        if parameters.ids.count == 1 { filter.entity = parameters.ids[0] }
        filter.boundingBox = parameters.geoQuery?.boundingBox
        if let geo = parameters.geoQuery, geo.property != "location" { return ([], 0) }
        guard parameters.needsEvaluation else {
            let total = parameters.count ? try hub.store.entityCount(matching: filter) : 0
            let page = limit == 0 ? [] : try hub.store.entities(matching: filter, offset: offset, limit: limit)
            return (page.filter { access.canRead(routeNamed: $0.route, in: routesByName) }.map { ($0, NGSILDEntity.normalized($0)) }, total)
        }
        let candidates = try hub.store.entityCount(matching: filter)
        guard candidates <= Self.maximumScanned else {
            throw NGSILDProblem(.tooComplexQuery, "the query would read \(candidates) entities, more than the \(Self.maximumScanned) one request reads; narrow it with type, id or a geo-query")
        }
        var matches: [(Event, [String: JSONValue])] = []
        var total = 0
        var cursor: String?
        while true {
            // Entities written meanwhile may add a page: the bound is on what was counted, give or take a page.
            let batch = try hub.store.entities(matching: filter, after: cursor, limit: StoreLimits.maximumPageSize)
            for event in batch where access.canRead(routeNamed: event.route, in: routesByName) {
                let normalized = NGSILDEntity.normalized(event)
                guard parameters.admits(normalized, id: event.entity, location: event.location) else { continue }
                if total >= offset, matches.count < limit { matches.append((event, normalized)) }
                total += 1
            }
            guard batch.count == StoreLimits.maximumPageSize, let last = batch.last else { break }
            cursor = last.entity
        }
        return (matches, total)
    }

    private func retrieveEntity(_ request: HTTPRequest, id: String, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        let parameters = try NGSILDParameters(request, allowed: NGSILDParameters.entityRetrieval, context: context)
        guard let event = try visibleLatest(id, access: access),
              parameters.types.isEmpty || parameters.types.contains(NGSILDEntity.type(of: event.type)) else {
            throw NGSILDProblem(.resourceNotFound, "no entity \(id) (or it came through a route this token cannot read)")
        }
        return context.respond(parameters.represent(NGSILDEntity.normalized(event, system: try systemTimes(event, parameters))))
    }

    // MARK: - Types and attributes

    /// What is known of one NGSI-LD type: its entities and its attributes with their counts.
    private struct TypeInfo {
        var name: String
        var entityCount = 0
        var attributes: [String: Int] = [:]
    }

    private func typeInfos(_ access: ReadAccess) throws -> [TypeInfo] {
        var infos: [String: TypeInfo] = [:]
        for summary in try hub.store.entityTypeSummaries(hiddenRoutes: hiddenRoutes(access)) {
            let name = NGSILDEntity.type(of: summary.type)
            var info = infos[name] ?? TypeInfo(name: name)
            info.entityCount += summary.entityCount
            let folds = summary.attributeCounts["refDevice"] != nil
            for (attribute, count) in summary.attributeCounts where !NGSILDEntity.reservedMembers.contains(attribute) {
                if folds, NGSILDEntity.networkMetadata.contains(attribute) { continue }
                info.attributes[attribute, default: 0] += count
            }
            if summary.locatedCount > 0 { info.attributes["location", default: 0] += summary.locatedCount }
            if NGSILDEntity.deviceStates[summary.type] != nil { info.attributes["deviceState", default: 0] += summary.entityCount }
            infos[name] = info
        }
        return infos.values.sorted { $0.name < $1.name }
    }

    private static func attributeTypes(_ name: String) -> JSONValue {
        if name == "location" { return .array([.string("GeoProperty")]) }
        if NGSILDEntity.isRelationship(name, .text("urn:")) { return .array([.string("Relationship")]) }
        return .array([.string("Property")])
    }

    private func details(_ request: HTTPRequest) throws -> Bool {
        guard let text = request.queryValue("details") else { return false }
        guard let flag = Bool(text) else { throw NGSILDProblem.badRequest("details must be true or false, found \"\(text)\"") }
        return flag
    }

    private func types(_ request: HTTPRequest, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        _ = try NGSILDParameters(request, allowed: ["details", "local", "access_token"], context: context)
        let infos = try typeInfos(access)
        guard try details(request) else {
            return context.respond(.object([
                "id": .string("urn:ngsi-ld:EntityTypeList:territory-hub"),
                "type": .string("EntityTypeList"), "typeList": .array(infos.map { .string($0.name) }),
            ]))
        }
        return context.respond(.array(infos.map { info in
            .object([
                "id": .string(info.name), "type": .string("EntityType"), "typeName": .string(info.name),
                "attributeNames": .array(info.attributes.keys.sorted().map(JSONValue.string)),
            ])
        }))
    }

    private func type(_ request: HTTPRequest, name: String, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        _ = try NGSILDParameters(request, allowed: ["local", "access_token"], context: context)
        guard let info = try typeInfos(access).first(where: { $0.name == name }) else {
            throw NGSILDProblem(.resourceNotFound, "no entity of type \(name) is stored")
        }
        return context.respond(.object([
            "id": .string(info.name), "type": .string("EntityTypeInfo"), "typeName": .string(info.name),
            "entityCount": .number(Double(info.entityCount)),
            "attributeDetails": .array(info.attributes.keys.sorted().map { attribute in
                .object([
                    "id": .string(attribute), "type": .string("Attribute"), "attributeName": .string(attribute),
                    "attributeTypes": Self.attributeTypes(attribute),
                ])
            }),
        ]))
    }

    /// Each attribute name with the number of entities carrying it and the types that have it.
    private func attributeInfos(_ access: ReadAccess) throws -> [(name: String, count: Int, types: [String])] {
        var byName: [String: (count: Int, types: Set<String>)] = [:]
        for info in try typeInfos(access) {
            for (attribute, count) in info.attributes {
                byName[attribute, default: (0, [])].count += count
                byName[attribute, default: (0, [])].types.insert(info.name)
            }
        }
        return byName.keys.sorted().map { ($0, byName[$0]!.count, byName[$0]!.types.sorted()) }
    }

    private func attributeJSON(_ info: (name: String, count: Int, types: [String])) -> JSONValue {
        .object([
            "id": .string(info.name), "type": .string("Attribute"), "attributeName": .string(info.name),
            "attributeCount": .number(Double(info.count)), "attributeTypes": Self.attributeTypes(info.name),
            "typeNames": .array(info.types.map(JSONValue.string)),
        ])
    }

    private func attributes(_ request: HTTPRequest, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        _ = try NGSILDParameters(request, allowed: ["details", "local", "access_token"], context: context)
        let infos = try attributeInfos(access)
        guard try details(request) else {
            return context.respond(.object([
                "id": .string("urn:ngsi-ld:AttributeList:territory-hub"),
                "type": .string("AttributeList"), "attributeList": .array(infos.map { .string($0.name) }),
            ]))
        }
        return context.respond(.array(infos.map(attributeJSON)))
    }

    private func attribute(_ request: HTTPRequest, name: String, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        _ = try NGSILDParameters(request, allowed: ["local", "access_token"], context: context)
        guard let info = try attributeInfos(access).first(where: { $0.name == name }) else {
            throw NGSILDProblem(.resourceNotFound, "no stored entity has an attribute \(name)")
        }
        return context.respond(attributeJSON(info))
    }

    // MARK: - Temporal evolution

    /// One entity's newest events in the window: `lastN` of them, never more than `cap`; partial when
    /// the cap left out events that were asked for.
    private func history(_ event: Event, _ parameters: NGSILDParameters, cap: Int = NGSILDParameters.maximumLimit,
                         access: ReadAccess) throws -> (events: [Event], partial: Bool) {
        let wanted = parameters.lastN ?? Int.max
        let kept = min(wanted, cap)
        var events = try hub.store.history(entity: event.entity, from: parameters.from, to: parameters.to, limit: kept + 1)
            .filter { access.canRead(routeNamed: $0.route, in: routesByName) }
        let partial = events.count > kept && wanted > kept
        if events.count > kept { events.removeLast(events.count - kept) }
        return (events, partial)
    }

    private func temporalResponse(_ body: JSONValue, partial: Bool, context: NGSILDContext) -> HTTPResponse {
        // Partial Content (clause 6.3.10): the newest instances were given; ask for older ones with timerel=before.
        partial ? context.respond(body, status: 206) : context.respond(body)
    }

    private func queryTemporal(_ request: HTTPRequest, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        let parameters = try NGSILDParameters(request, allowed: NGSILDParameters.temporalQuery, context: context)
        guard parameters.selectsEntities else {
            throw NGSILDProblem.badRequest("a temporal query needs at least one of type, id, idPattern, q, attrs or a geo-query")
        }
        guard parameters.limit <= Self.maximumTemporalEntities else {
            throw NGSILDProblem(.tooManyResults, "a temporal query returns at most \(Self.maximumTemporalEntities) entities at once; page with offset")
        }
        let (entities, total) = try select(parameters, access: access, offset: parameters.offset, limit: parameters.limit)
        var items: [JSONValue] = []
        var partial = false
        let cap = min(NGSILDParameters.maximumLimit, Self.temporalEventBudget / max(entities.count, 1))
        for (event, _) in entities {
            let found = try history(event, parameters, cap: cap, access: access)
            partial = partial || found.partial
            if let temporal = NGSILDTemporal.entity(id: event.entity, events: found.events, attributes: parameters.attributes,
                                                    lastN: parameters.lastN, temporalValues: parameters.temporalValues) {
                items.append(.object(temporal))
            }
        }
        var response = temporalResponse(.array(items), partial: partial, context: context)
        if parameters.count { response.headers["NGSILD-Results-Count"] = String(total) }
        return response
    }

    private func retrieveTemporal(_ request: HTTPRequest, id: String, context: NGSILDContext, access: ReadAccess) throws -> HTTPResponse {
        let parameters = try NGSILDParameters(request, allowed: NGSILDParameters.temporalRetrieval, context: context)
        guard let event = try visibleLatest(id, access: access),
              parameters.types.isEmpty || parameters.types.contains(NGSILDEntity.type(of: event.type)) else {
            throw NGSILDProblem(.resourceNotFound, "no entity \(id) (or it came through a route this token cannot read)")
        }
        let found = try history(event, parameters, access: access)
        let temporal = NGSILDTemporal.entity(id: id, events: found.events, attributes: parameters.attributes, lastN: parameters.lastN,
                                             temporalValues: parameters.temporalValues)
            ?? ["id": .string(id), "type": .string(NGSILDEntity.type(of: event.type))]
        return temporalResponse(.object(temporal), partial: found.partial, context: context)
    }
}
