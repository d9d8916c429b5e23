import CMosquitto
import HubCore

/// Why an MQTT operation failed: a stable `code` to branch on and a `message` a person can act on.
///
/// Built from libmosquitto's return codes with its own wording (`mosquitto_strerror`,
/// `mosquitto_connack_string`, `mosquitto_reason_string`), so the text matches what the library
/// and the broker's documentation say.
public struct MQTTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, for programs to branch on; the codes are declared below.
    public typealias Code = ErrorCode<MQTTError>

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in words.
    public var message: String
    /// libmosquitto's return code (`MOSQ_ERR_*`), when the failure came from a libmosquitto call.
    public var returnCode: Int32?

    /// Creates an error from its parts.
    public init(_ code: Code, _ message: String, returnCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.returnCode = returnCode
    }

    /// Creates an error for a libmosquitto call that returned `returnCode`: the message is
    /// `"<context>: <mosquitto_strerror text>"`.
    init(_ code: Code, context: String, returnCode: Int32) {
        self.init(code, "\(context): \(MQTTError.describe(returnCode: returnCode))", returnCode: returnCode)
    }

    /// The message alone.
    public var description: String { message }

    /// libmosquitto's text for one of its return codes (`MOSQ_ERR_*`), e.g. "The connection was lost.".
    static func describe(returnCode: Int32) -> String {
        String(cString: mosquitto_strerror(returnCode))
    }

    /// The text for a code that libmosquitto hands to the connect and disconnect callbacks.
    ///
    /// Codes below 128 are libmosquitto return codes, or MQTT 3.1.1 CONNACK codes when `connack` is
    /// true; 128 and above are MQTT 5 reason codes sent by the broker.
    static func describe(callbackCode code: Int32, connack: Bool = false) -> String {
        if code >= 128 { return String(cString: mosquitto_reason_string(code)) }
        if connack { return String(cString: mosquitto_connack_string(code)) }
        return describe(returnCode: code)
    }
}

extension ErrorCode where Domain == MQTTError {
    /// libmosquitto could not be initialised or a client handle could not be created.
    public static var libraryFailure: Self { Self("library-failure") }
    /// An option is out of range or libmosquitto rejected it (TLS files, credentials, protocol).
    public static var invalidOption: Self { Self("invalid-option") }
    /// The connection could not be set up for a reason that retrying will not fix (bad host or port).
    public static var connectFailed: Self { Self("connect-failed") }
    /// libmosquitto refused to send or queue a message (not connected at QoS 0, bad topic, too large).
    public static var publishFailed: Self { Self("publish-failed") }
    /// The client is not in a state that allows the call (started twice, used after `stop()`).
    public static var invalidState: Self { Self("invalid-state") }
    /// The journal of received messages cannot be created or written.
    public static var journal: Self { Self("journal") }
}
