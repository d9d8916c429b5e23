import Foundation
import HubCore
import HubHTTP
import HubServices
import Synchronization

/// A partner's webhook for the delivery tests: a real HTTP server (the hub's own, on a free
/// loopback port) whose answers the test scripts, recording every request it took and checking
/// each one's signature. Like a partner's, it takes a request it already took (same
/// `Idempotency-Key`) as a repeat.
final class WebhookReceiver: Sendable {
    /// What the receiver does with the next request.
    enum Behaviour: Sendable {
        /// Answers with this status (2xx: the request is taken).
        case answer(Int)
        /// Takes the request, but answers 200 only after this many seconds (past the hub's timeout).
        case slow(seconds: Double)
        /// Holds the request until `release()` and then answers 200.
        case held
    }

    /// A request taken (answered 2xx or slowly).
    struct Received: Sendable {
        var key: String
        var signatureValid: Bool
        var eventIDs: [String]
        var entities: [String]
    }

    private struct State {
        var script: [Behaviour] = []
        var taken: [Received] = []
        var attempts = 0
    }

    /// The server's side: what it answers, and what it took.
    private final class Endpoint: HTTPHandler {
        let secret: String
        let state = Mutex(State())
        let releaseSignal = DispatchSemaphore(value: 0)

        init(secret: String) { self.secret = secret }

        func admit(_ head: HTTPRequest) -> RequestAdmission { .body(maxBytes: 8 << 20) }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            let behaviour = state.withLock { state -> Behaviour in
                state.attempts += 1
                return state.script.isEmpty ? .answer(200) : state.script.removeFirst()
            }
            func take() {
                let expected = "sha256=" + HMACSHA256.authenticationCode(for: request.body, key: Array(secret.utf8)).hexString
                let events = (try? JSONValue(parsing: request.body))?.objectValue?["events"]?.arrayValue ?? []
                let received = Received(
                    key: request.headers["idempotency-key"] ?? "", signatureValid: request.headers["x-hub-signature-256"] == expected,
                    eventIDs: events.compactMap { $0.objectValue?["id"]?.stringValue },
                    entities: events.compactMap { $0.objectValue?["entity"]?.stringValue })
                state.withLock { $0.taken.append(received) }
            }
            switch behaviour {
            case .answer(let status):
                if (200..<300).contains(status) { take() }
                return HTTPResponse(status: status)
            case .slow(let seconds):
                take()
                Thread.sleep(forTimeInterval: seconds)
                return HTTPResponse(status: 200)
            case .held:
                _ = releaseSignal.wait(timeout: .now() + 30)
                take()
                return HTTPResponse(status: 200)
            }
        }
    }

    private let endpoint: Endpoint
    private let server: HTTPServer

    /// Starts listening; `secret` is the subscription's.
    init(secret: String) throws {
        endpoint = Endpoint(secret: secret)
        server = HTTPServer(settings: HTTPSettings(port: 0, maxConnections: 64), handler: endpoint,
                            logger: Logger(label: "receiver", level: .critical, sink: StandardErrorLogSink()))
        try server.start()
    }

    /// The URL the subscription posts to.
    var url: String { "http://127.0.0.1:\(server.port)/hooks/partner" }

    /// The behaviours of the next requests, in turn; once used up, every request is answered 200.
    func script(_ behaviours: [Behaviour]) { endpoint.state.withLock { $0.script = behaviours } }

    /// Lets the held requests answer.
    func release() { for _ in 0..<64 { endpoint.releaseSignal.signal() } }

    /// Requests seen, answered or not.
    var attempts: Int { endpoint.state.withLock { $0.attempts } }

    /// Requests taken, in arrival order.
    var taken: [Received] { endpoint.state.withLock { $0.taken } }

    /// The events of the requests taken, each distinct `Idempotency-Key` counted once.
    var deliveredEventIDs: [String] {
        var seen: Set<String> = []
        return taken.filter { seen.insert($0.key).inserted }.flatMap(\.eventIDs)
    }

    func stop() { server.stop() }
}
