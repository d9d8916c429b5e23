import HubCore

/// The API's access tokens the store keeps: issued, listed, verified, revoked.
public protocol TokenKeeping: AnyObject, Sendable {
    /// Creates a token named `name` (unique) with `scopes`, accepted until `expiresAt` (nil:
    /// always). The returned secret is the only copy: the store keeps its salted hash.
    /// - Throws: `StoreError` with `.constraint` when a token is already named `name`.
    func createToken(name: String, scopes: Set<String>, expiresAt: Timestamp?, now: Timestamp) throws -> IssuedToken
    /// Every token, by name.
    func tokens() throws -> [AccessToken]
    /// Whether the store holds any token at all (expired ones included).
    func hasTokens() throws -> Bool
    /// Deletes the token named `name`. False when none has that name.
    func revokeToken(named name: String) throws -> Bool
    /// The token a request presents, when this store issued it, it was not revoked, its secret
    /// matches (compared in constant time) and it has not expired at `now`.
    func verifyToken(_ presented: String, now: Timestamp) throws -> AccessToken?
    /// Records that the token `id` was used at `time`.
    func recordTokenUse(id: String, at time: Timestamp) throws
}

extension TokenKeeping {
    /// Creates a token accepted from now on.
    public func createToken(name: String, scopes: Set<String>, expiresAt: Timestamp?) throws -> IssuedToken {
        try createToken(name: name, scopes: scopes, expiresAt: expiresAt, now: .now())
    }

    /// The token a request presents, verified now.
    public func verifyToken(_ presented: String) throws -> AccessToken? {
        try verifyToken(presented, now: .now())
    }
}
