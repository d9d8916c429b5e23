import Foundation
import HubCore
@testable import HubHTTP
import HubServices
import HubTesting
import XCTest

/// The server against slow and hostile clients, over raw sockets: headers trickled one line at a
/// time, one address opening every connection it can, unauthenticated uploads. Attackers connect
/// from 127.0.0.2 and 127.0.0.3, the operator from 127.0.0.1 (all loopback on Linux).
final class FrontDoorTests: XCTestCase {
    /// Intake on POST /ingest with `Authorization: Bearer ok`; everything else takes no body and
    /// answers how many body bytes it was given.
    private struct GuardedHandler: HTTPHandler {
        func admit(_ head: HTTPRequest) -> RequestAdmission {
            guard head.path == "/ingest" else { return .noBody }
            guard head.headers["authorization"] == "Bearer ok" else {
                return .answer(.error(401, "unauthorized", "a valid bearer token is required"))
            }
            return .body(maxBytes: 1 << 20)
        }

        func respond(to request: HTTPRequest) -> HTTPResponse {
            .json(200, .object(["bytes": .number(Double(request.body.count))]))
        }
    }

    private func server(maxConnections: Int = 64, perAddress: Int = 16, headerTimeout: Int = 10) throws -> HTTPServer {
        let settings = HTTPSettings(address: "127.0.0.1", port: 0, connectionTimeoutSeconds: 60, maxConnections: maxConnections,
                                    maxConnectionsPerAddress: perAddress, headerTimeoutSeconds: headerTimeout)
        let server = HTTPServer(settings: settings, handler: GuardedHandler(), logger: Logger(label: "test", level: .critical, sink: StandardErrorLogSink()))
        try server.start()
        return server
    }

    func testAClientTricklingHeadersIsCutAtTheHeaderDeadline() throws {
        let server = try server(headerTimeout: 1)
        defer { server.stop() }
        let attacker = try RawConnection(from: "127.0.0.2", port: server.port)
        try attacker.send("GET /status HTTP/1.1\r\nHost: hub\r\n")
        let begin = Date()
        // A line every 0.3 s keeps libmicrohttpd's idle timeout (60 s here) from ever firing.
        var closed = false
        while Date().timeIntervalSince(begin) < 6 {
            Thread.sleep(forTimeInterval: 0.3)
            if (try? attacker.send("X-Slow: 1\r\n")) == nil || attacker.isClosedByPeer() {
                closed = true
                break
            }
        }
        XCTAssertTrue(closed, "the trickling client was still connected after 6 s")
        XCTAssertLessThan(Date().timeIntervalSince(begin), 4, "cut long after the 1 s header deadline")
    }

    /// The header deadline runs per request on a kept-alive connection: requests answered one
    /// after another for longer than the deadline are never cut (each answer starts the next
    /// deadline, each request's headers end it), and the connection is cut once it stays silent
    /// past the deadline after its last answer.
    func testAKeptAliveConnectionGetsAFreshHeaderDeadlineAfterEachAnswer() throws {
        let server = try server(headerTimeout: 2)
        defer { server.stop() }
        let client = try RawConnection(from: "127.0.0.2", port: server.port)
        let begin = Date()
        var answered = 0
        while Date().timeIntervalSince(begin) < 5 {
            let answer = try client.exchange("GET /status HTTP/1.1\r\nHost: hub\r\n\r\n")
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200"), answer)
            answered += 1
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertGreaterThan(answered, 5)
        XCTAssertFalse(client.isClosedByPeer(), "a connection sending request after request was cut")
        let idle = Date()
        while !client.isClosedByPeer(), Date().timeIntervalSince(idle) < 8 { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertTrue(client.isClosedByPeer(), "a silent kept-alive connection outlived its header deadline")
        XCTAssertLessThan(Date().timeIntervalSince(idle), 5, "cut long after the 2 s header deadline")
    }

    func testOneAddressCannotTakeEveryConnection() throws {
        let server = try server(maxConnections: 8, perAddress: 3)
        defer { server.stop() }
        var attackers: [RawConnection] = []
        for _ in 0..<8 {
            let connection = try RawConnection(from: "127.0.0.3", port: server.port)
            try? connection.send("GET /status HTTP/1.1\r\n")  // half a request, held open
            attackers.append(connection)
        }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(attackers.filter { $0.isClosedByPeer() }.count, 5, "beyond 3 per address, connections are refused")
        let operatorAnswer = try RawConnection(from: "127.0.0.1", port: server.port)
            .exchange("GET /status HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(operatorAnswer.hasPrefix("HTTP/1.1 200"), operatorAnswer)
        withExtendedLifetime(attackers) {}
    }

    func testAnUnauthenticatedUploadIsAnsweredBeforeItsBodyIsSent() throws {
        let server = try server()
        defer { server.stop() }
        // Headers announcing 8 MiB, and no body: the answer must not wait for it.
        let answer = try RawConnection(from: "127.0.0.2", port: server.port)
            .exchange("POST /ingest HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 8388608\r\n\r\n")
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 401"), answer)
        let allowed = try RawConnection(from: "127.0.0.2", port: server.port)
            .exchange("POST /ingest HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer ok\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        XCTAssertTrue(allowed.hasPrefix("HTTP/1.1 200") && allowed.hasSuffix(#"{"bytes":5}"#), allowed)
    }

    func testABodySentToAnEndpointWithoutOneIsNotKept() throws {
        let server = try server()
        defer { server.stop() }
        let body = String(repeating: "x", count: 1 << 20)
        let answer = try RawConnection(from: "127.0.0.2", port: server.port)
            .exchange("POST /status HTTP/1.1\r\nHost: hub\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200") && answer.hasSuffix(#"{"bytes":0}"#), String(answer.prefix(300)))
    }
}

/// A TCP connection to the server on 127.0.0.1 from a chosen loopback source address, speaking
/// raw bytes.
private final class RawConnection {
    private let socket: Int32

    init(from source: String, port: Int) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSupportError(.commandFailed, "socket failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = Self.address(source, port: 0)
        var remote = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &local) { localPointer in
            withUnsafePointer(to: &remote) { remotePointer in
                localPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { localAddress in
                    remotePointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { remoteAddress in
                        bind(socket, localAddress, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                            && connect(socket, remoteAddress, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                    }
                }
            }
        }
        guard connected else {
            close(socket)
            throw TestSupportError(.commandFailed, "cannot connect from \(source) to port \(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(socket) }

    private static func address(_ text: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(text)
        return address
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestSupportError(.commandFailed, "send failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Whether the server has closed (or reset) the connection: a read that ends, not one that waits.
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(socket, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Sends `request` and reads the answer until the server closes or 5 s pass without a byte.
    func exchange(_ request: String) throws -> String {
        try? send(request)
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            answer.append(contentsOf: buffer[0..<count])
            if let text = String(data: answer, encoding: .utf8), let split = text.range(of: "\r\n\r\n"),
               let length = text[..<split.lowerBound].split(separator: "\r\n")
                .first(where: { $0.lowercased().hasPrefix("content-length:") })
                .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }),
               text[split.upperBound...].utf8.count >= length {
                break
            }
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
