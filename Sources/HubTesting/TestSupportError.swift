import HubCore

/// A test helper could not do its job: a tool is missing, a command failed, a broker did not start.
/// A stable `code` for programs and a `message` for people.
public struct TestSupportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<TestSupportError>

    /// The kind of failure.
    public var code: Code
    /// What went wrong, with whatever output helps to see why.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}

extension ErrorCode where Domain == TestSupportError {
    /// A program the helper needs (`mosquitto`, `mosquitto_passwd`, `openssl`) is not installed.
    public static var toolNotFound: Self { Self("tool-not-found") }
    /// A program ran but failed, or a file could not be written.
    public static var commandFailed: Self { Self("command-failed") }
    /// The broker exited or did not accept connections in time.
    public static var brokerDidNotStart: Self { Self("broker-did-not-start") }
}
