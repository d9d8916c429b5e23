import HubCore
import HubServices

/// Bearer tokens and their scopes. Secrets are compared through their SHA-256 digests in constant
/// time, and every configured token is compared, so timing tells nothing about which one matched.
struct AccessControl: Sendable {
    private struct Entry: Sendable {
        let digest: [UInt8]
        let token: HTTPSettings.Token
    }

    private let entries: [Entry]

    init(tokens: [HTTPSettings.Token]) {
        entries = tokens.map { Entry(digest: SHA256.hash($0.secret.utf8), token: $0) }
    }

    /// The token whose secret is `presented`, if any.
    func token(presented: String) -> HTTPSettings.Token? {
        let digest = SHA256.hash(presented.utf8)
        var found: HTTPSettings.Token?
        for entry in entries {
            var difference: UInt8 = 0
            for index in 0..<digest.count { difference |= digest[index] ^ entry.digest[index] }
            if difference == 0 { found = entry.token }
        }
        return found
    }

    /// The secret a request presents: `Authorization: Bearer ...`, or `access_token` in the query
    /// (for EventSource and download links, which cannot set headers).
    static func presentedSecret(in request: HTTPRequest) -> String? {
        if let header = request.headers["authorization"] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
            return nil
        }
        return request.queryValue("access_token")
    }
}

/// What one authenticated caller may read.
struct ReadAccess: Sendable {
    let scopes: Set<String>

    /// Whether the caller reads anything at all.
    var canRead: Bool { scopes.contains("read") || scopes.contains { $0.hasPrefix("read:") } }

    /// Whether the caller may read this route's events, entities and dead letters.
    func canRead(_ route: Route) -> Bool {
        if scopes.contains("read:\(route.name)") { return true }
        return !route.isRestricted && scopes.contains("read")
    }

    /// The routes among `routes` the caller may not read, for the store's filters.
    func hiddenRoutes(among routes: [Route]) -> [String] {
        routes.filter { !canRead($0) }.map(\.name)
    }
}
