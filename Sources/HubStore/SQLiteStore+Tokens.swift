import Foundation
import HubCore

// Access tokens managed with `hub token`: created, listed, revoked, checked by the HTTP server on
// each request. Only a salted SHA-256 of each secret is stored; the token string carries a public id,
// so a check is one lookup by primary key and one hash, never a scan of every token.
extension SQLiteStore {
    private static let tokenColumns = "id, name, scopes, created_at, expires_at, last_used_at"

    /// Creates a token named `name` (unique) with `scopes`, accepted until `expiresAt` (nil: always).
    /// The returned secret is the only copy: the store keeps its salted hash.
    /// - Throws: `StoreError` with `.constraint` when a token is already named `name`.
    public func createToken(name: String, scopes: Set<String>, expiresAt: Timestamp?, now: Timestamp = .now()) throws -> IssuedToken {
        let (issued, salt, digest) = AccessToken.issue(name: name, scopes: scopes, expiresAt: expiresAt, now: now)
        let token = issued.token
        try withWriteConnection { connection in
            if try !connection.query("SELECT 1 FROM tokens WHERE name = ?1", [.text(name)], row: { $0.int64(0) }).isEmpty {
                throw StoreError(.constraint, "a token is already named \(name): revoke it first or choose another name")
            }
            try connection.run(
                "INSERT INTO tokens (id, name, scopes, salt, digest, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                [.text(token.id), .text(name), .text(scopes.sorted().joined(separator: " ")), .blob(Data(salt)), .blob(Data(digest)),
                 .integer(now.microsecondsSinceEpoch),
                 expiresAt.map { .integer($0.microsecondsSinceEpoch) } ?? .null])
        }
        return issued
    }

    /// Every token, by name.
    public func tokens() throws -> [AccessToken] {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.tokenColumns) FROM tokens ORDER BY name", row: Self.token(from:))
        }
    }

    /// Whether the store holds any token at all (expired ones included).
    public func hasTokens() throws -> Bool {
        try withReadConnection { connection in
            try !connection.query("SELECT 1 FROM tokens LIMIT 1") { $0.int64(0) }.isEmpty
        }
    }

    /// Deletes the token named `name`: the next request presenting it is refused. False when none has that name.
    public func revokeToken(named name: String) throws -> Bool {
        try withWriteConnection { connection in
            try !connection.query("DELETE FROM tokens WHERE name = ?1 RETURNING id", [.text(name)]) { $0.text(0) }.isEmpty
        }
    }

    /// The token a request presents, when its string is one this store issued, it was not revoked,
    /// its secret matches (compared in constant time) and it has not expired at `now`.
    public func verifyToken(_ presented: String, now: Timestamp = .now()) throws -> AccessToken? {
        guard let (id, secret) = AccessToken.parse(presented) else { return nil }
        let rows = try withReadConnection { connection in
            try connection.query("SELECT \(Self.tokenColumns), salt, digest FROM tokens WHERE id = ?1", [.text(id)]) { row in
                (Self.token(from: row), [UInt8](row.blob(6)), [UInt8](row.blob(7)))
            }
        }
        guard let (token, salt, stored) = rows.first else { return nil }
        guard AccessToken.secret(secret, matchesSalt: salt, digest: stored), !token.isExpired(at: now) else { return nil }
        return token
    }

    /// Records that the token `id` was used at `time`.
    public func recordTokenUse(id: String, at time: Timestamp) throws {
        try withWriteConnection { connection in
            try connection.run("UPDATE tokens SET last_used_at = ?1 WHERE id = ?2", [.integer(time.microsecondsSinceEpoch), .text(id)])
        }
    }

    private static func token(from row: PreparedStatement.Row) -> AccessToken {
        AccessToken(
            id: row.text(0), name: row.text(1), scopes: Set(row.text(2).split(separator: " ").map(String.init)),
            createdAt: Timestamp(microsecondsSinceEpoch: row.int64(3)),
            expiresAt: row.isNull(4) ? nil : Timestamp(microsecondsSinceEpoch: row.int64(4)),
            lastUsedAt: row.isNull(5) ? nil : Timestamp(microsecondsSinceEpoch: row.int64(5)))
    }
}
