/// A compiled-in plugin that turns an envelope into zero or more events.
///
/// A connector does no I/O: no sockets, no files, no clock but the envelope's. It may keep state
/// across messages, so it is a value owned by one route's worker. A payload it cannot read makes
/// `decode` throw; the route keeps that message as a dead letter with the error's description as
/// the reason, so the error should say what is wrong in words a person can act on.
public protocol Connector: Sendable {
    /// The stable identifier routes name in config (`sensors.senml`, `mobility.gtfs-rt`).
    static var id: String { get }
    /// One line saying what the connector accepts and what it yields.
    static var summary: String { get }
    /// The media type under which the hub archives each payload that decoded to events (by its
    /// SHA-256, in the store's documents), or nil to archive nothing. Invoice connectors archive the
    /// original document, which their events reference as `document: "sha256:<hex>"`.
    static var archivedMediaType: String? { get }
    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    init(settings: Settings) throws
    /// Turns one message into events, or throws the reason it cannot.
    mutating func decode(_ envelope: Envelope) throws -> [Event]
}

extension Connector {
    /// Nothing is archived unless a connector says so.
    public static var archivedMediaType: String? { nil }
}

/// Why a connector refused a payload: a stable `code` for programs and a `message` for people.
public struct ConnectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<ConnectorError>

    /// The kind of failure.
    public var code: Code
    /// What is wrong, for a person.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone: the route keeps it as the dead letter's reason, so it must stay the message.
    public var description: String { message }
}

extension ErrorCode where Domain == ConnectorError {
    /// The payload is not in the format the connector reads (not JSON, not a SenML pack).
    public static var malformedPayload: Self { Self("malformed-payload") }
    /// A field the connector needs is absent.
    public static var missingField: Self { Self("missing-field") }
    /// A field is present but its value cannot be used.
    public static var invalidField: Self { Self("invalid-field") }
    /// The payload is well formed but uses something the connector does not support.
    public static var unsupported: Self { Self("unsupported") }
}

/// A family of connectors compiled in together (sensors, mobility, e-invoicing): the hub's list of
/// compiled-in connectors is made of each family's list.
public protocol ConnectorFamily {
    /// Every connector of the family, in the order `hub connectors` lists them.
    static var connectors: [any Connector.Type] { get }
}
