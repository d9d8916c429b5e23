import Foundation
import HubCore

/// An original document kept by the store under its SHA-256 (an invoice's XML or PDF), so that an
/// event can reference exactly what was received (`document: "sha256:<hex>"`).
public struct ArchivedDocument: Sendable, Hashable {
    /// The SHA-256 of `bytes`, 64 lowercase hex digits: the document's key.
    public var sha256: String
    /// What the bytes are (`application/xml`, `application/pdf`).
    public var mediaType: String
    /// The document, exactly as received.
    public var bytes: Data
    /// The route that first received it.
    public var route: String
    /// When the hub received it.
    public var receivedAt: Timestamp

    /// Archives `bytes`, computing their SHA-256.
    public init(bytes: Data, mediaType: String, route: String, receivedAt: Timestamp) {
        self.init(sha256: SHA256.hash(bytes).hexString, mediaType: mediaType, bytes: bytes, route: route, receivedAt: receivedAt)
    }

    /// A document whose hash is already known (read back from a store).
    public init(sha256: String, mediaType: String, bytes: Data, route: String, receivedAt: Timestamp) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.bytes = bytes
        self.route = route
        self.receivedAt = receivedAt
    }
}
