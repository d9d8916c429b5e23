import HubCore

/// The JSON-LD side of one request (ETSI GS CIM 009 clauses 6.3.5 and 6.3.6): the `@context` the
/// answer is given in, and whether it goes in the body (`Accept: application/ld+json`) or in a
/// `Link` header (`application/json`, the default).
///
/// The hub never fetches a context. Its terms are the Smart Data Models' (`AirQualityObserved`,
/// `no2`, `refDevice`), so a client may name types and attributes by their short terms under any
/// context, or by full IRIs of the Smart Data Models vocabulary (`https://smartdatamodels.org/...`)
/// or of NGSI-LD's default context, which are compacted to those terms. A `Link` context the client
/// sends is echoed in the answer, so that its own JSON-LD processing expands the terms as it meant.
struct NGSILDContext: Sendable {
    /// The NGSI-LD core context of the version the view follows.
    static let core = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
    /// The relation of a JSON-LD context link.
    static let linkRelation = "http://www.w3.org/ns/json-ld#context"
    /// Vocabularies whose IRIs compact to their last path segment.
    static let vocabularies = [
        "https://smartdatamodels.org/", "https://uri.etsi.org/ngsi-ld/default-context/", "https://uri.etsi.org/ngsi-ld/",
    ]

    /// The client's context from its `Link` header, if it sent one.
    let clientContext: String?
    /// Whether the answer is JSON-LD with `@context` in the body.
    let inBody: Bool

    /// Reads the `Link` and `Accept` headers of `request`.
    ///
    /// - Throws: `NGSILDProblem` (BadRequestData) for a JSON-LD `Link` that names no URL.
    init(request: HTTPRequest) throws {
        clientContext = try Self.linkedContext(request.headers["link"])
        inBody = Self.prefersJSONLD(request.headers["accept"])
    }

    /// The context as it is written in a body: the client's with the core one, or the core alone.
    var bodyContext: JSONValue {
        guard let clientContext else { return .string(Self.core) }
        return .array([.string(clientContext), .string(Self.core)])
    }

    /// The `Link` header naming the context.
    var linkHeader: String {
        "<\(clientContext ?? Self.core)>; rel=\"\(Self.linkRelation)\"; type=\"application/ld+json\""
    }

    /// A term as the hub names it: a full IRI of a known vocabulary compacted, anything else kept.
    func compact(_ name: String) -> String {
        for vocabulary in Self.vocabularies where name.hasPrefix(vocabulary) {
            if let last = name.split(separator: "/").last, !last.isEmpty { return String(last) }
        }
        return name
    }

    /// A 200 (or `status`) answer holding `body`, an entity or a list of them: `@context` added to
    /// each object for JSON-LD, a `Link` header for JSON.
    func respond(_ body: JSONValue, status: Int = 200) -> HTTPResponse {
        guard inBody else {
            return HTTPResponse.json(status, body).with(header: "Link", linkHeader)
        }
        func withContext(_ value: JSONValue) -> JSONValue {
            guard var object = value.objectValue else { return value }
            object["@context"] = bodyContext
            return .object(object)
        }
        let contextual: JSONValue = body.arrayValue.map { .array($0.map(withContext)) } ?? withContext(body)
        return HTTPResponse.text(status, contextual.jsonText, contentType: "application/ld+json")
    }

    /// The URL of a `Link: <url>; rel="http://www.w3.org/ns/json-ld#context"` header, if one is sent.
    static func linkedContext(_ header: String?) throws -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") where link.contains(linkRelation) {
            let text = link.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("<"), let close = text.firstIndex(of: ">") else {
                throw NGSILDProblem.badRequest("the JSON-LD Link header must be <url>; rel=\"\(linkRelation)\"; type=\"application/ld+json\", found \(header.prefix(200))")
            }
            let url = String(text[text.index(after: text.startIndex)..<close])
            guard url.contains("://") else { throw NGSILDProblem.badRequest("the JSON-LD Link header must name an absolute URL, found \"\(url)\"") }
            return url
        }
        return nil
    }

    /// Whether `Accept` prefers `application/ld+json` to `application/json` (by quality, then order).
    static func prefersJSONLD(_ header: String?) -> Bool {
        guard let header else { return false }
        var best: (quality: Double, jsonLD: Bool)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, ["application/ld+json", "application/json", "application/*", "*/*"].contains(type) else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0, quality > (best?.quality ?? -1) { best = (quality, type == "application/ld+json") }
        }
        return best?.jsonLD ?? false
    }
}
