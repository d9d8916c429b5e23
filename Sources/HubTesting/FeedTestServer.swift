import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real HTTP server on a free loopback port for the feed tests: `feed_server.py` (Python 3's
/// standard library) run as a child process, told what to serve over its control endpoint.
public final class FeedTestServer: @unchecked Sendable {
    // @unchecked Sendable: `process` and `input` are set once in init and only used to stop it.
    /// One answer the server gives to a fetch.
    public struct Response: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body.
        public var body: Data
        /// Seconds to wait before answering.
        public var delay: Double
        /// Whether a 200 carries an ETag (and answers a matching If-None-Match with 304).
        public var etag: Bool
        /// Further response headers (e.g. `Location` for a redirect).
        public var headers: [String: String]
        /// A chunked body that never ends, until the client hangs up.
        public var endless: Bool
        /// When set, the body is this many zero bytes gzip-compressed, sent as
        /// `Content-Encoding: gzip` whatever the request asked for.
        public var gzipZeros: Int?

        /// Creates a response.
        public init(status: Int = 200, body: Data = Data(), delay: Double = 0, etag: Bool = true,
                    headers: [String: String] = [:], endless: Bool = false, gzipZeros: Int? = nil) {
            self.status = status
            self.body = body
            self.delay = delay
            self.etag = etag
            self.headers = headers
            self.endless = endless
            self.gzipZeros = gzipZeros
        }
    }

    /// A request the server received: its headers (lowercase names) and the status it answered.
    public struct Request: Sendable {
        /// Request headers, lowercase names.
        public var headers: [String: String]
        /// The status answered.
        public var status: Int
        /// How many requests to the same path were being answered when it arrived, itself included.
        public var concurrent: Int
    }

    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts `script` (feed_server.py) with python3 and waits for it to say its port.
    public init(script: URL) throws {
        process = Process()
        process.executableURL = try ExternalProgram.locate("python3")
        process.arguments = [script.path]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw TestSupportError(.commandFailed, "feed_server.py did not report its port: \(text)")
        }
        self.port = port
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Serves `responses` in turn at `path` (the last one repeats), from the next request on.
    public func serve(_ path: String, _ responses: [Response]) throws {
        let list: [[String: Any]] = responses.map {
            ["status": $0.status, "body_b64": $0.body.base64EncodedString(), "delay": $0.delay, "etag": $0.etag,
             "headers": $0.headers, "endless": $0.endless, "gzip_zeros": $0.gzipZeros ?? 0]
        }
        let body = try JSONSerialization.data(withJSONObject: list)
        _ = try call(method: "POST", "/_control/set?path=\(path)", body: body)
    }

    /// The requests made to `path` so far.
    public func requests(_ path: String) throws -> [Request] {
        let data = try call(method: "GET", "/_control/log?path=\(path)", body: nil)
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { Request(headers: $0["headers"] as? [String: String] ?? [:], status: $0["status"] as? Int ?? 0,
                                 concurrent: $0["concurrent"] as? Int ?? 0) }
    }

    private func call(method: String, _ path: String, body: Data?) throws -> Data {
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        request.httpBody = body
        let result = ControlResult()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, error in
            result.set(data: data, error: error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 10) == .success else {
            throw TestSupportError(.commandFailed, "feed_server.py did not answer \(method) \(path)")
        }
        return try result.get()
    }

    /// Stops the server.
    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// The answer to a control request, handed from URLSession's queue to the waiting test.
private final class ControlResult: @unchecked Sendable {
    // @unchecked Sendable: written once before the semaphore is signalled, read after it.
    private var data: Data?
    private var error: (any Error)?

    func set(data: Data?, error: (any Error)?) {
        self.data = data
        self.error = error
    }

    func get() throws -> Data {
        if let error { throw error }
        return data ?? Data()
    }
}
