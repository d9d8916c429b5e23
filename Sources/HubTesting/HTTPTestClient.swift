import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HubCore
import Synchronization

/// A response as a test sees it.
public struct HTTPTestResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Headers by lowercase name.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
    /// The body parsed as JSON, nil when it is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: body) }
}

/// A blocking HTTP client over URLSession for tests against a running hub.
public final class HTTPTestClient: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    private let session: URLSession

    /// A client for the server at `baseURL`.
    public init(baseURL: String) {
        self.baseURL = baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.httpMaximumConnectionsPerHost = 64
        session = URLSession(configuration: configuration)
    }

    /// Sends a request and waits for the whole response.
    public func send(_ method: String, _ path: String, token: String? = nil, body: Data? = nil,
                     headers: [String: String] = [:]) throws -> HTTPTestResponse {
        guard let url = URL(string: baseURL + path) else {
            throw TestSupportError(.commandFailed, "bad URL \(baseURL + path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<HTTPTestResponse, any Error>?>(nil)
        session.dataTask(with: request) { data, response, error in
            if let error {
                result.withLock { $0 = .failure(error) }
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields {
                    headers[String(describing: name).lowercased()] = String(describing: value)
                }
                result.withLock { $0 = .success(HTTPTestResponse(status: http.statusCode, headers: headers, body: data ?? Data())) }
            }
            done.signal()
        }.resume()
        done.wait()
        guard let outcome = result.withLock({ $0 }) else {
            throw TestSupportError(.commandFailed, "\(method) \(path): no response")
        }
        return try outcome.get()
    }

    /// Opens a Server-Sent Events stream, sending `headers` too (`Last-Event-ID` to resume); read
    /// what arrived with `EventStreamClient.text`.
    public func openStream(_ path: String, token: String? = nil, headers: [String: String] = [:]) -> EventStreamClient {
        EventStreamClient(url: URL(string: baseURL + path)!, token: token, headers: headers)
    }
}

/// A Server-Sent Events client that keeps everything it received.
public final class EventStreamClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked Sendable: `received` and `status` sit in Mutexes; `session` and `task` are set in init only.
    private let received = Mutex(Data())
    private let statusCode = Mutex<Int?>(nil)
    private let ended = Mutex(false)
    private var session: URLSession!
    private var task: URLSessionDataTask!

    init(url: URL, token: String?, headers: [String: String]) {
        super.init()
        session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil)
        var request = URLRequest(url: url)
        request.timeoutInterval = 600
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        task = session.dataTask(with: request)
        task.resume()
    }

    /// What arrived so far, as text.
    public var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }
    /// The status code once the headers arrived.
    public var status: Int? { statusCode.withLock { $0 } }
    /// The `id:` of every complete event received so far, in order.
    public var eventIDs: [Int64] {
        let text = self.text
        guard let end = text.range(of: "\n\n", options: .backwards) else { return [] }
        return text[..<end.upperBound].split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
    }

    /// Whether the server ended the stream (or the connection failed).
    public var hasEnded: Bool { ended.withLock { $0 } }

    /// Closes the stream.
    public func cancel() {
        task.cancel()
        session.invalidateAndCancel()
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                           completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        statusCode.withLock { $0 = (response as? HTTPURLResponse)?.statusCode }
        completionHandler(.allow)
    }

    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        received.withLock { $0.append(data) }
    }

    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        ended.withLock { $0 = true }
    }
}
