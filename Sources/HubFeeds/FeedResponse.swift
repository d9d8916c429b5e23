import Foundation

/// One HTTP answer to a feed fetch: 200 with a body, or 304 Not Modified.
struct FeedResponse: Sendable {
    /// The HTTP status (200 or 304; other statuses are `FeedFetchError`s).
    var status: Int
    /// The response headers, lowercase names.
    var headers: [String: String]
    /// The body (empty for 304).
    var body: Data

    /// Creates a response.
    init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The validators a server gave with a body, sent back on the next fetch of the same URL so that
/// an unchanged feed answers 304 without a body.
struct FeedValidators: Sendable, Equatable {
    /// The `ETag` header, sent back as `If-None-Match`.
    var etag: String?
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    var lastModified: String?

    /// Creates validators.
    init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }
}
