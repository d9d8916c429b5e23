import HubCore
import HubServices
import HubStore
import Synchronization

/// Bearer tokens and their scopes: those of the configuration (secrets from the environment) and
/// those created with `hub token` (kept in the store). Configured secrets are compared through their
/// SHA-256 digests in constant time, and every configured token is compared, so timing tells nothing
/// about which one matched; a stored token is looked up by its public id and checked by the store.
struct AccessControl: Sendable {
    private struct Entry: Sendable {
        let digest: [UInt8]
        let token: HTTPSettings.Token
    }

    private let entries: [Entry]
    private let stored: StoredTokenCheck?

    /// Accepts `tokens`, and those of `store` when given.
    init(tokens: [HTTPSettings.Token], store: (any TokenKeeping)? = nil) {
        entries = tokens.map { Entry(digest: SHA256.hash($0.secret.utf8), token: $0) }
        stored = store.map(StoredTokenCheck.init)
    }

    /// The scopes of the token whose secret is `presented`, configured or stored; nil when none
    /// matches (or a stored one was revoked or has expired).
    func scopes(presented: String) -> Set<String>? {
        if let token = token(presented: presented) { return token.scopes }
        return stored?.scopes(presented: presented)
    }

    /// The name and scopes of the token whose secret is `presented`, configured or stored; nil as for `scopes(presented:)`.
    func caller(presented: String) -> (name: String, scopes: Set<String>)? {
        if let token = token(presented: presented) { return (token.name, token.scopes) }
        return stored?.caller(presented: presented)
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

    /// Whether the caller may read what came through the route named `name`: by that route's rule
    /// while it is configured, with the plain `read` scope once it is not (a stored event or dead
    /// letter may outlive its route).
    func canRead(routeNamed name: String, in routes: [String: Route]) -> Bool {
        routes[name].map(canRead) ?? scopes.contains("read")
    }

    /// The routes among `routes` the caller may not read, for the store's filters.
    func hiddenRoutes(among routes: [Route]) -> [String] {
        routes.filter { !canRead($0) }.map(\.name)
    }
}

/// The tokens of the store, checked there on every request, so that one created or revoked with
/// `hub token` (by another process, while the hub runs) counts from the next request on; a lookup is
/// one read by primary key. Their last use is written at most once a minute per token, not per request.
final class StoredTokenCheck: Sendable {
    /// The least time between two records of one token's use.
    static let useRecordInterval: Int64 = 60_000_000  // microseconds

    private let store: any TokenKeeping
    private let lastRecorded = Mutex<[String: Timestamp]>([:])

    init(store: any TokenKeeping) {
        self.store = store
    }

    /// The scopes of the stored token `presented`, recording its use; nil when it is not one.
    func scopes(presented: String, now: Timestamp = .now()) -> Set<String>? {
        caller(presented: presented, now: now)?.scopes
    }

    /// The name and scopes of the stored token `presented`, recording its use; nil when it is not one.
    func caller(presented: String, now: Timestamp = .now()) -> (name: String, scopes: Set<String>)? {
        guard AccessToken.parse(presented) != nil, let token = try? store.verifyToken(presented, now: now) else { return nil }
        let due = lastRecorded.withLock { recorded in
            if let last = recorded[token.id], now.microsecondsSinceEpoch - last.microsecondsSinceEpoch < Self.useRecordInterval {
                return false
            }
            recorded[token.id] = now
            return true
        }
        // A failed record (the store busy) costs only the precision of "last used".
        if due { try? store.recordTokenUse(id: token.id, at: now) }
        return (token.name, token.scopes)
    }
}
