import Foundation
import HubCore
import HubServices
import HubStore

// Open data: the routes configured with `openData`, described as a DCAT-AP catalog that portals
// (data.gouv.fr / uData, CKAN with ckanext-dcat) harvest, and exported whole, streamed.
extension OperationsAPI {
    /// Events read from the store per page of an export.
    static let exportPageSize = 1000

    /// Runs `body` with the caller's access to datasets: its token's, or, when `datasets` is in
    /// `openEndpoints` and no token is given, anonymous access to the routes that are not restricted.
    func datasetReading(_ request: HTTPRequest, _ body: (ReadAccess) throws -> HTTPResponse) throws -> HTTPResponse {
        if settings.openEndpoints.contains("datasets"), AccessControl.presentedSecret(in: request) == nil {
            return try body(ReadAccess(scopes: ["read"]))
        }
        return try reading(request, body)
    }

    /// The published routes this caller may read.
    private func publishedRoutes(for access: ReadAccess) -> [Route] {
        hub.routes.filter { $0.openData != nil && access.canRead($0) }
    }

    /// The published route `name`, or nil when there is none this caller may read (answered 404
    /// either way, so that a restricted dataset's existence is not told).
    private func publishedRoute(_ name: String, access: ReadAccess) -> Route? {
        publishedRoutes(for: access).first { $0.name == name }
    }

    func datasets(_ request: HTTPRequest, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        let base = baseURL(request)
        let datasets = try publishedRoutes(for: access).map { try DCATCatalog.dataset($0, base: base, modified: lastStored($0)) }
        return HTTPResponse.text(200, DCATCatalog.catalog(datasets: datasets, base: base).jsonText, contentType: "application/ld+json")
    }

    func dataset(_ request: HTTPRequest, name: String, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let route = publishedRoute(name, access: access) else { return Self.noDataset(name) }
        let base = baseURL(request)
        var dataset = try DCATCatalog.dataset(route, base: base, modified: lastStored(route))
        if case .object(var members) = dataset {
            members["@context"] = DCATCatalog.context
            dataset = .object(members)
        }
        return HTTPResponse.text(200, dataset.jsonText, contentType: "application/ld+json")
    }

    /// The whole of a published route: every event, oldest first, as CSV (`events.csv`), or the
    /// latest state of every entity as GeoJSON (`entities.geojson`), read page by page as it is sent.
    func datasetExport(_ request: HTTPRequest, name: String, file: String, access: ReadAccess) throws -> HTTPResponse {
        try QueryFilters.rejectUnknown(request, allowed: ["access_token"])
        guard let route = publishedRoute(name, access: access), DCATCatalog.files.contains(file) else { return Self.noDataset(name, file) }
        let store = hub.store
        var routeFilter = EventFilter()
        routeFilter.routes = [route.name]
        let filter = routeFilter
        let limit = Self.exportPageSize
        let body: PagedExport
        let contentType: String
        if file == "events.csv" {
            contentType = "text/csv; charset=utf-8; header=present"
            body = PagedExport(prefix: Data(EventEncoding.csvHeader.utf8)) { after, _ in
                let events = try store.events(matching: filter, after: after.flatMap { Int64($0) } ?? 0, limit: limit)
                let text = events.reduce(into: "") { $0 += EventEncoding.csvRecord($1.event) }
                return (Data(text.utf8), events.count == limit ? events.last.map { String($0.seq) } : nil)
            }
        } else {
            contentType = "application/geo+json"
            body = PagedExport(prefix: Data(#"{"type":"FeatureCollection","features":["#.utf8), suffix: Data("]}\n".utf8)) { after, first in
                let entities = try store.entities(matching: filter, after: after, limit: limit)
                let text = entities.enumerated().map { index, entity in
                    (first && index == 0 ? "" : ",") + EventEncoding.geoJSONFeature(entity).jsonText
                }.joined()
                return (Data(text.utf8), entities.count == limit ? entities.last?.entity : nil)
            }
        }
        return HTTPResponse(status: 200, headers: [
            "Content-Type": contentType,
            "Content-Disposition": "attachment; filename=\"\(route.name)-\(file)\"",
        ], body: .stream(body))
    }

    private static func noDataset(_ name: String, _ file: String? = nil) -> HTTPResponse {
        .error(404, "not-found", file.map { "no dataset \(name) with a file \($0); files: \(DCATCatalog.files.joined(separator: ", "))" }
            ?? "no open dataset is named \(name) (or it is on a route this token cannot read); see /api/v1/datasets")
    }

    /// When the route's newest stored event was received, if it has any.
    private func lastStored(_ route: Route) throws -> Timestamp? {
        var filter = EventFilter()
        filter.routes = [route.name]
        return try hub.store.events(matching: filter, before: nil, limit: 1).first?.event.receivedAt
    }

    /// `http(s)://<Host>` as the caller reached the hub, for the catalog's absolute URLs.
    private func baseURL(_ request: HTTPRequest) -> String {
        let scheme = settings.certFile == nil ? "http" : "https"
        let host = request.headers["host"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(settings.address):\(settings.port)"
        return "\(scheme)://\(host)"
    }
}
