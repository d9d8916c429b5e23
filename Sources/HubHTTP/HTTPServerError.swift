import HubCore

/// Why the HTTP server could not start: a stable `code` for programs and a `message` for people.
public struct HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<HTTPServerError>

    /// The kind of failure.
    public var code: Code
    /// What is wrong, for a person.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}

extension ErrorCode where Domain == HTTPServerError {
    /// The address or port could not be bound.
    public static var cannotListen: Self { Self("cannot-listen") }
    /// The certificate or key file could not be read.
    public static var tlsFiles: Self { Self("tls-files") }
    /// libmicrohttpd refused to start.
    public static var cannotStart: Self { Self("cannot-start") }
}
