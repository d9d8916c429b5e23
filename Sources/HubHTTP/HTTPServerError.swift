/// Why the HTTP server could not start. A struct with a code, like the hub's other errors.
public struct HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The address or port could not be bound.
        public static let cannotListen = Code("cannot-listen")
        /// The certificate or key file could not be read.
        public static let tlsFiles = Code("tls-files")
        /// libmicrohttpd refused to start.
        public static let cannotStart = Code("cannot-start")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong, for a person.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
