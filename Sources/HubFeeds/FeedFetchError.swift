import HubCore

/// Why one fetch of a feed failed: a stable `code` for programs and a `message` for people.
public struct FeedFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<FeedFetchError>

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for a person.
    public var message: String
    /// The HTTP status, when the server answered with one.
    public var httpStatus: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// The message alone.
    public var description: String { message }
}

extension ErrorCode where Domain == FeedFetchError {
    /// The server answered with an HTTP status other than 200 or 304.
    public static var httpStatus: Self { Self("http-status") }
    /// The fetch took longer than the feed's timeout.
    public static var timeout: Self { Self("timeout") }
    /// The body was larger than the feed's size limit.
    public static var tooLarge: Self { Self("too-large") }
    /// The connection failed (refused, reset, DNS, TLS).
    public static var network: Self { Self("network") }
    /// The fetch would go where the feed's policy does not allow: another host than its origin
    /// or its allowed hosts, a private address, https down to http.
    public static var refused: Self { Self("refused") }
    /// The server redirected too many times.
    public static var redirects: Self { Self("redirects") }
    /// The fetch was cancelled because the hub is stopping.
    public static var cancelled: Self { Self("cancelled") }
}
