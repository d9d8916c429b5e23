/// Why one fetch of a feed failed. A struct with a code, like the hub's other errors.
public struct FeedFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The server answered with an HTTP status other than 200 or 304.
        public static let httpStatus = Code("http-status")
        /// The fetch took longer than the feed's timeout.
        public static let timeout = Code("timeout")
        /// The body was larger than the feed's size limit.
        public static let tooLarge = Code("too-large")
        /// The connection failed (refused, reset, DNS, TLS).
        public static let network = Code("network")
        /// The fetch was cancelled because the hub is stopping.
        public static let cancelled = Code("cancelled")
        public var description: String { name }
    }

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

    public var description: String { message }
}
