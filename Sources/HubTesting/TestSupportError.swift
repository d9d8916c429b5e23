/// A test helper could not do its job: a tool is missing, a command failed, a broker did not start.
public struct TestSupportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A program the helper needs (`mosquitto`, `mosquitto_passwd`, `openssl`) is not installed.
        public static let toolNotFound = Code("toolNotFound")
        /// A program ran but failed, or a file could not be written.
        public static let commandFailed = Code("commandFailed")
        /// The broker exited or did not accept connections in time.
        public static let brokerDidNotStart = Code("brokerDidNotStart")

        /// The code's name, e.g. `toolNotFound`.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, with whatever output helps to see why.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message on one line.
    public var description: String { "TestSupportError.\(code): \(message)" }
}
