import Foundation
import HubCore
import HubStore

/// The API's access tokens in PostgreSQL (`tokens`, `PostgresKeepingSchema`): the same contract as
/// SQLite's. Only a salted SHA-256 of each secret is stored; the token string carries a public id,
/// so a check is one lookup by primary key and one hash, compared in constant time.
///
/// Every hub sharing the database sees a token created or revoked by any of them at its next check.
extension PostgresStore: TokenKeeping {
    private static let tokenColumns = "id, name, scopes, created_at, expires_at, last_used_at"

    /// Creates a token named `name` (unique) with `scopes`, accepted until `expiresAt` (nil: always).
    /// The returned secret is the only copy: the store keeps its salted hash.
    /// - Throws: `StoreError` with `.constraint` when a token is already named `name`.
    public func createToken(name: String, scopes: Set<String>, expiresAt: Timestamp?, now: Timestamp = .now()) throws -> IssuedToken {
        let (issued, salt, digest) = AccessToken.issue(name: name, scopes: scopes, expiresAt: expiresAt, now: now)
        let inserted = try withWriteConnection { connection in
            do {
                // ON CONFLICT on the name: two hubs creating one name at once, one wins, neither fails on the index.
                return try connection.execute("""
                    INSERT INTO tokens (id, name, scopes, salt, digest, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (name) DO NOTHING
                    """, [.text(issued.token.id), .text(name), .text(scopes.sorted().joined(separator: " ")), .bytes(Data(salt)),
                          .bytes(Data(digest)), .bigint(now.microsecondsSinceEpoch),
                          .bigint(expiresAt?.microsecondsSinceEpoch)])
            } catch let error as PostgresError {
                throw error.asStoreError("creating the token \(name)")
            }
        }
        guard inserted == 1 else {
            throw StoreError(.constraint, "a token is already named \(name): revoke it first or choose another name")
        }
        return issued
    }

    /// Every token, by name (byte order).
    public func tokens() throws -> [AccessToken] {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.tokenColumns) FROM tokens ORDER BY name COLLATE \"C\"", row: Self.token(from:))
        }
    }

    /// Whether the store holds any token at all (expired ones included).
    public func hasTokens() throws -> Bool {
        try withReadConnection { connection in
            try !connection.query("SELECT 1 FROM tokens LIMIT 1") { $0.int64(0) }.isEmpty
        }
    }

    /// Deletes the token named `name`: the next request presenting it, to any hub, is refused.
    /// False when none has that name.
    public func revokeToken(named name: String) throws -> Bool {
        try withWriteConnection { connection in
            try connection.execute("DELETE FROM tokens WHERE name = $1", [.text(name)]) > 0
        }
    }

    /// The token a request presents, when its string is one this store issued, it was not revoked,
    /// its secret matches (compared in constant time) and it has not expired at `now`.
    public func verifyToken(_ presented: String, now: Timestamp = .now()) throws -> AccessToken? {
        guard let (id, secret) = AccessToken.parse(presented) else { return nil }
        let rows = try withReadConnection { connection in
            try connection.query("SELECT \(Self.tokenColumns), salt, digest FROM tokens WHERE id = $1", [.text(id)]) { row in
                (Self.token(from: row), [UInt8](row.bytes(6)), [UInt8](row.bytes(7)))
            }
        }
        guard let (token, salt, stored) = rows.first else { return nil }
        guard AccessToken.secret(secret, matchesSalt: salt, digest: stored), !token.isExpired(at: now) else { return nil }
        return token
    }

    /// Records that the token `id` was used at `time`.
    public func recordTokenUse(id: String, at time: Timestamp) throws {
        try withWriteConnection { connection in
            _ = try connection.execute("UPDATE tokens SET last_used_at = $1 WHERE id = $2", [.bigint(time.microsecondsSinceEpoch), .text(id)])
        }
    }

    private static func token(from row: PostgresRow) -> AccessToken {
        AccessToken(
            id: row.text(0), name: row.text(1), scopes: Set(row.text(2).split(separator: " ").map(String.init)),
            createdAt: Timestamp(microsecondsSinceEpoch: row.int64(3)),
            expiresAt: row.optionalInt64(4).map(Timestamp.init(microsecondsSinceEpoch:)),
            lastUsedAt: row.optionalInt64(5).map(Timestamp.init(microsecondsSinceEpoch:)))
    }
}
