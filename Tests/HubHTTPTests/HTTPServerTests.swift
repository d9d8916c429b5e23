import Foundation
import HubCore
@testable import HubHTTP
import HubServices
import HubTesting
import Synchronization
import XCTest

/// The libmicrohttpd wrapper on its own: bodies in pieces, limits, streams, stop.
final class HTTPServerTests: XCTestCase {
    /// Echoes the request line, the query and the body length; streams on /stream.
    private struct EchoHandler: HTTPHandler {
        let stream: TestStream
        func admit(_ head: HTTPRequest) -> RequestAdmission { head.path == "/small" ? .body(maxBytes: 10) : .body(maxBytes: 1 << 30) }
        func respond(to request: HTTPRequest) -> HTTPResponse {
            if request.path == "/stream" { return HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream(stream)) }
            let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            return .json(200, .object([
                "method": .string(request.method), "path": .string(request.path), "query": .string(query),
                "bytes": .number(Double(request.body.count)), "sum": .number(Double(request.body.reduce(0) { $0 + Int($1) })),
                "header": .string(request.headers["x-test"] ?? ""),
            ]))
        }
    }

    /// Gives three pieces, then idles until closed.
    final class TestStream: ResponseStream {
        private let given = Mutex(0)
        let closed = Atomic<Bool>(false)
        func next(timeout: Duration) -> StreamChunk {
            let index = given.withLock { value -> Int in
                value += 1
                return value
            }
            if index <= 3 { return .data(Data("data: \(index)\n\n".utf8)) }
            Thread.sleep(forTimeInterval: 0.05)
            return .idle
        }
        func close() { closed.store(true, ordering: .relaxed) }
    }

    private func start(_ settings: HTTPSettings = HTTPSettings(port: 0)) throws -> (HTTPServer, HTTPTestClient, TestStream) {
        let stream = TestStream()
        let server = HTTPServer(settings: settings, handler: EchoHandler(stream: stream), logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink()))
        try server.start()
        return (server, HTTPTestClient(baseURL: "http://127.0.0.1:\(server.port)"), stream)
    }

    func testRequestsArriveWholeWithQueryHeadersAndBody() throws {
        let (server, client, _) = try start()
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0)
        let body = Data((0..<300_000).map { UInt8($0 % 251) })
        let response = try client.send("POST", "/echo/x%20y?a=1&b=two%20words&a=3", body: body, headers: ["X-Test": "yes"])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.json?["path"], .string("/echo/x y"))
        XCTAssertEqual(response.json?["query"], .string("a=1&b=two words&a=3"))
        XCTAssertEqual(response.json?["bytes"], .number(300_000))
        XCTAssertEqual(response.json?["sum"], .number(Double(body.reduce(0) { $0 + Int($1) })))
        XCTAssertEqual(response.json?["header"], .string("yes"))
    }

    func testBodiesPastTheLimitAre413() throws {
        var settings = HTTPSettings(port: 0)
        settings.maxRequestBytes = 1000
        let (server, client, _) = try start(settings)
        defer { server.stop() }
        XCTAssertEqual(try client.send("POST", "/small", body: Data(count: 10)).status, 200)
        XCTAssertEqual(try client.send("POST", "/small", body: Data(count: 11)).status, 413)
        XCTAssertEqual(try client.send("POST", "/other", body: Data(count: 1000)).status, 200)
        let big = try client.send("POST", "/other", body: Data(count: 200_000))
        XCTAssertEqual(big.status, 413)
        XCTAssertEqual(big.json?["error"], .string("too-large"))
        // The connection and the server are still fine afterwards.
        XCTAssertEqual(try client.send("GET", "/after").status, 200)
    }

    func testStreamsAreSentAsTheyComeAndEndWhenTheServerStops() throws {
        let (server, client, stream) = try start()
        let reader = client.openStream("/stream")
        defer { reader.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { reader.text.contains("data: 3\n\n") }, reader.text)
        XCTAssertEqual(reader.status, 200)
        server.stop()
        XCTAssertTrue(waitUntil(timeout: 10) { reader.hasEnded })
        XCTAssertTrue(stream.closed.load(ordering: .relaxed))
    }

    func testConnectionsBeyondTheLimitAreRefused() throws {
        var settings = HTTPSettings(port: 0)
        settings.maxConnections = 2
        let (server, client, _) = try start(settings)
        defer { server.stop() }
        let first = client.openStream("/stream")
        let second = client.openStream("/stream")
        defer { first.cancel(); second.cancel() }
        XCTAssertTrue(waitUntil(timeout: 10) { first.text.contains("data: 3") || second.text.contains("data: 3") })
        XCTAssertTrue(waitUntil(timeout: 10) { first.status == 200 && second.status == 200 })
        // Both connections are held by streams: a third is closed without an answer.
        XCTAssertThrowsError(try HTTPTestClient(baseURL: client.baseURL).send("GET", "/third"))
        first.cancel()
        XCTAssertTrue(waitUntil(timeout: 10) { (try? HTTPTestClient(baseURL: client.baseURL).send("GET", "/again").status) == 200 })
    }

    func testAPortInUseIsReported() throws {
        let (server, _, _) = try start()
        defer { server.stop() }
        let second = HTTPServer(settings: HTTPSettings(port: server.port), handler: EchoHandler(stream: TestStream()),
                                logger: Logger(label: "test", level: .warning, sink: StandardErrorLogSink()))
        XCTAssertThrowsError(try second.start()) { error in
            XCTAssertEqual((error as? HTTPServerError)?.code, .cannotListen)
        }
    }
}
