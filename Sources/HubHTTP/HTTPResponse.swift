import Foundation
import HubCore

/// What a handler answers: a status, headers, and a body given whole or streamed.
public struct HTTPResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// All of it, now.
        case bytes(Data)
        /// Pieces as they come (Server-Sent Events), until the stream ends or the client leaves.
        case stream(any ResponseStream)
    }

    /// The status code.
    public var status: Int
    /// Headers, names as they should be sent.
    public var headers: [String: String]
    /// The body.
    public var body: Body

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: Body = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a text body of the given content type.
    public static func text(_ status: Int, _ text: String, contentType: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: .bytes(Data(text.utf8)))
    }

    /// A JSON response.
    public static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        json(status, text: value.jsonText)
    }

    /// A JSON response whose text is written already.
    public static func json(_ status: Int, text: String) -> HTTPResponse {
        self.text(status, text, contentType: "application/json")
    }

    /// A JSON response whose UTF-8 bytes are written already.
    public static func json(_ status: Int, bytes: Data) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(bytes))
    }

    /// An error in the API's one shape: `{"error": code, "message": what to do about it}`.
    public static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(status, .object(["error": .string(code), "message": .string(message)]))
    }
}

/// A body produced piece by piece while the connection stays open.
public protocol ResponseStream: Sendable {
    /// The next piece, waiting up to `timeout` for one.
    func next(timeout: Duration) -> StreamChunk
    /// Called once when the connection ends, whoever ended it.
    func close()
}

/// What a stream gives when asked for its next piece.
public enum StreamChunk: Sendable {
    /// Bytes to send.
    case data(Data)
    /// Nothing within the timeout; the server may send a keep-alive and ask again.
    case idle
    /// The stream is over: close the connection normally.
    case end
    /// The stream was cut (a client too slow to keep up): close the connection at once.
    case abort
}

/// Answers requests; the server calls it on the connection's thread, so it may block briefly.
public protocol HTTPHandler: Sendable {
    /// What to do with a request whose headers are in and whose body is not (`head.body` is
    /// empty): refuse it before a body byte is read (no token, wrong scope), or say how much body
    /// to keep.
    func admit(_ head: HTTPRequest) -> RequestAdmission
    /// The response to a complete request.
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// A handler's word on a request before its body is read.
public enum RequestAdmission: Sendable {
    /// Keep a body of at most this many bytes (capped by the server's own limit); a larger one
    /// is answered 413.
    case body(maxBytes: Int)
    /// The endpoint takes no body: whatever is sent is read and dropped, never kept.
    case noBody
    /// Answer now; the body is never read.
    case answer(HTTPResponse)
}
