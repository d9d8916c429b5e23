import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HubServices
import Synchronization

/// Fetches feed URLs one at a time over a URLSession of its own: conditional requests, a timeout
/// for the whole fetch, and a size limit enforced while the body arrives (a larger body is
/// abandoned, never held whole).
final class FeedFetcher: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked Sendable: NSObject subclasses cannot be checked; every mutable field is behind
    // the `current` Mutex, and `session` is set once in init.
    private struct Fetch {
        var task: URLSessionDataTask
        var maxBytes: Int
        var response: HTTPURLResponse?
        var body = Data()
        var failure: FeedFetchError?
        let done = DispatchSemaphore(value: 0)
    }

    private let current = Mutex<Fetch?>(nil)
    private let cancelled = Mutex(false)
    private var session: URLSession!

    override init() {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    /// Fetches `url` and waits for the answer; throws `FeedFetchError` for anything but 200 or 304.
    func fetch(_ url: URL, headers: [String: String], validators: FeedValidators, timeout: Duration,
               maxBytes: Int) throws(FeedFetchError) -> FeedResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout.timeInterval)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let etag = validators.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified = validators.lastModified { request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since") }
        // Checked and registered under the `cancelled` lock, so that `cancel()` either refuses this
        // fetch or finds its task: no task is ever made on a session already invalidated.
        let registered: (task: URLSessionDataTask, done: DispatchSemaphore)? = cancelled.withLock { isCancelled in
            guard !isCancelled else { return nil }
            let fetch = Fetch(task: session.dataTask(with: request), maxBytes: maxBytes)
            current.withLock { $0 = fetch }
            return (fetch.task, fetch.done)
        }
        guard let (task, done) = registered else { throw FeedFetchError(.cancelled, "cancelled: the hub is stopping") }
        task.resume()
        if done.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            current.withLock { current in
                if current?.failure == nil {
                    current?.failure = FeedFetchError(.timeout, "no complete answer within \(timeout.timeInterval) s")
                }
            }
            task.cancel()
            _ = done.wait(timeout: .now() + 10)
        }
        let fetch = current.withLock { current in defer { current = nil }; return current }
        guard let fetch else { throw FeedFetchError(.network, "the fetch vanished") }
        if let failure = fetch.failure { throw failure }
        guard let response = fetch.response else { throw FeedFetchError(.network, "no HTTP response from \(url.host ?? "the server")") }
        var responseHeaders: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { responseHeaders[name.lowercased()] = value }
        }
        switch response.statusCode {
        case 200: return FeedResponse(status: 200, headers: responseHeaders, body: fetch.body)
        case 304: return FeedResponse(status: 304, headers: responseHeaders, body: Data())
        default:
            throw FeedFetchError(.httpStatus, "HTTP \(response.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: response.statusCode))",
                                 httpStatus: response.statusCode)
        }
    }

    /// Cancels the fetch in progress, if any, and every later one: the hub is stopping.
    func cancel() {
        let wasCancelled = cancelled.withLock { isCancelled in
            defer { isCancelled = true }
            return isCancelled
        }
        guard !wasCancelled else { return }
        current.withLock { current in
            current?.failure = FeedFetchError(.cancelled, "cancelled: the hub is stopping")
            current?.task.cancel()
        }
        session.invalidateAndCancel()
    }

    // MARK: URLSessionDataDelegate

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let allow: Bool = current.withLock { current in
            guard current != nil else { return false }
            current!.response = response as? HTTPURLResponse
            if response.expectedContentLength > Int64(current!.maxBytes) {
                current!.failure = FeedFetchError(.tooLarge, "the body announces \(response.expectedContentLength) bytes; the limit is \(current!.maxBytes)")
                return false
            }
            return true
        }
        completionHandler(allow ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge: Bool = current.withLock { current in
            guard current != nil, current!.failure == nil else { return false }
            current!.body.append(data)
            if current!.body.count > current!.maxBytes {
                current!.failure = FeedFetchError(.tooLarge, "the body passed the limit of \(current!.maxBytes) bytes")
                current!.body = Data()
                return true
            }
            return false
        }
        if tooLarge { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        current.withLock { current in
            guard current != nil else { return }
            if let error, current!.failure == nil {
                let nsError = error as NSError
                current!.failure = nsError.code == NSURLErrorTimedOut
                    ? FeedFetchError(.timeout, "no complete answer in time: \(nsError.localizedDescription)")
                    : FeedFetchError(.network, nsError.localizedDescription)
            }
            current!.done.signal()
        }
    }
}
