import HubCore

/// An access token kept in the store (`hub token create`): what it may do and when it was used.
/// The secret itself is never stored, only a salted SHA-256 of it.
public struct AccessToken: Sendable, Equatable {
    /// The public id, the part of the token string between `hub_` and the secret.
    public var id: String
    /// The name operators gave it.
    public var name: String
    /// `read`, `admin`, `read:{route}`, `ingest:{route}`.
    public var scopes: Set<String>
    /// When it was created.
    public var createdAt: Timestamp
    /// When it stops being accepted; nil when never.
    public var expiresAt: Timestamp?
    /// When it was last presented, to the minute; nil when never.
    public var lastUsedAt: Timestamp?

    /// A token as a store reads it back.
    public init(id: String, name: String, scopes: Set<String>, createdAt: Timestamp, expiresAt: Timestamp?, lastUsedAt: Timestamp?) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether it is past its expiry at `time`.
    public func isExpired(at time: Timestamp) -> Bool {
        guard let expiresAt else { return false }
        return time >= expiresAt
    }

    /// The prefix of every token string the store issues.
    public static let prefix = "hub_"

    /// Splits a presented token string `hub_<id>_<secret>` into its id and secret; nil when it is
    /// not of that shape (a token from the configuration, say).
    public static func parse(_ presented: String) -> (id: String, secret: String)? {
        guard presented.hasPrefix(prefix) else { return nil }
        let rest = presented.dropFirst(prefix.count)
        guard let separator = rest.firstIndex(of: "_") else { return nil }
        let id = rest[..<separator], secret = rest[rest.index(after: separator)...]
        guard !id.isEmpty, !secret.isEmpty else { return nil }
        return (String(id), String(secret))
    }
}

/// A token just created: the record, and the token string, shown to its owner once and never again.
public struct IssuedToken: Sendable {
    /// What the store keeps.
    public var token: AccessToken
    /// `hub_<id>_<secret>`, for `Authorization: Bearer ...`.
    public var secret: String
}
