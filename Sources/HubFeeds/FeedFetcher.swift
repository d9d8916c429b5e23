import CCurl
import Foundation
import HubServices
import Synchronization

/// Fetches one feed's URLs one at a time through libcurl: conditional requests, a timeout for
/// the whole fetch, a size limit enforced as bytes arrive (the transfer stops there, nothing is
/// buffered past it), no compression unless the route asks for it (then with a ratio limit),
/// redirects followed by hand within the feed's `FeedTargetPolicy`, its headers sent to its own
/// origin only, and no connection to a private address unless the route allows it.
final class FeedFetcher: @unchecked Sendable {
    // @unchecked Sendable: `handle` is used only by `fetch`, which the feed's one poller thread
    // calls (never two at once); `cancel()` from another thread touches only the atomic flag,
    // which the transfer's progress callback reads.
    private let handle: UnsafeMutableRawPointer?
    fileprivate let cancelled = Atomic<Bool>(false)
    /// The feed whose URLs it fetches.
    let source: FeedSource
    /// Where the feed's requests may go (its poller checks discovered files with it too).
    let policy: FeedTargetPolicy

    /// The most redirects one fetch follows.
    static let maxRedirects = 5

    init(source: FeedSource) {
        self.source = source
        policy = FeedTargetPolicy(source: source)
        _ = Self.globalSetUp
        // One easy handle for the feed's life: libcurl keeps its connections, DNS and TLS
        // sessions between fetches.
        handle = curl_easy_init()
    }

    deinit { curl_easy_cleanup(handle) }

    private static let globalSetUp: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Fetches `url` (the feed's or one its discovery file lists) and waits for the answer; throws
    /// `FeedFetchError` for anything but 200 or 304 (after the redirects the policy allows).
    func fetch(_ url: URL, validators: FeedValidators) throws(FeedFetchError) -> FeedResponse {
        let deadline = DispatchTime.now() + source.timeout.timeInterval
        var target = url
        for hop in 0...Self.maxRedirects {
            let headers = policy.isOwnOrigin(target) ? source.headers : [:]
            let remaining = Double(Int64(deadline.uptimeNanoseconds) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9
            guard remaining > 0 else {
                throw FeedFetchError(.timeout, "no complete answer within \(source.timeout.timeInterval) s")
            }
            let answer = try transfer(target, headers: headers, validators: validators, seconds: remaining)
            switch answer.status {
            case 200:
                return FeedResponse(status: 200, headers: answer.headers, body: answer.body)
            case 304:
                return FeedResponse(status: 304, headers: answer.headers, body: Data())
            case 301, 302, 303, 307, 308:
                guard let location = answer.redirect, let next = URL(string: location) else {
                    throw FeedFetchError(.httpStatus, "HTTP \(answer.status) without a usable Location", httpStatus: answer.status)
                }
                guard hop < Self.maxRedirects else {
                    throw FeedFetchError(.redirects, "more than \(Self.maxRedirects) redirects, the last to \(SecretRedaction.url(next))")
                }
                try policy.check(next, after: target)
                target = next
            default:
                throw FeedFetchError(.httpStatus, "HTTP \(answer.status) from \(target.host ?? "the server")", httpStatus: answer.status)
            }
        }
        throw FeedFetchError(.redirects, "more than \(Self.maxRedirects) redirects")
    }

    /// Cancels the fetch in progress, if any, and every later one: the hub is stopping.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    private struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var redirect: String?
    }

    /// One HTTP GET, redirects not followed.
    private func transfer(_ url: URL, headers: [String: String], validators: FeedValidators,
                          seconds: Double) throws(FeedFetchError) -> Answer {
        guard !cancelled.load(ordering: .relaxed) else { throw FeedFetchError(.cancelled, "cancelled: the hub is stopping") }
        guard let handle else { throw FeedFetchError(.network, "libcurl could not make a transfer handle") }
        let state = FeedTransfer(fetcher: self, maxBytes: source.maxBytes,
                                 maxRatio: source.acceptsCompression ? source.maxCompressionRatio : nil)
        var lines = headers.map { "\($0.key): \($0.value)" }
        if let etag = validators.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = validators.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        defer { curl_slist_free_all(list) }
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        curl_easy_reset(handle)
        let context = Unmanaged.passUnretained(state).toOpaque()
        let code: CURLcode = errorText.withUnsafeMutableBufferPointer { errorBuffer in
            hub_curl_set_string(handle, CURLOPT_URL, url.absoluteString)
            hub_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            hub_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            hub_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            hub_curl_set_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(seconds * 1000)))
            hub_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(seconds, 15) * 1000)))
            hub_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(source.maxBytes))
            hub_curl_set_string(handle, CURLOPT_USERAGENT, "territory-hub")
            if source.acceptsCompression {
                hub_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
            }
            hub_curl_set_list(handle, CURLOPT_HTTPHEADER, list)
            hub_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress)
            hub_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, feedBodyArrived)
            hub_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
            hub_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, feedHeaderArrived)
            hub_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
            hub_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
            hub_curl_set_progress_callback(handle, feedTransferProgressed)
            hub_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
            hub_curl_set_prereq_callback(handle, feedConnectionMade)
            hub_curl_set_pointer(handle, CURLOPT_PREREQDATA, context)
            let code = curl_easy_perform(handle)
            hub_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            return code
        }
        withExtendedLifetime(state) {}
        if let failure = state.failure { throw failure }
        switch code {
        case CURLE_OK:
            break
        case CURLE_OPERATION_TIMEDOUT:
            throw FeedFetchError(.timeout, "no complete answer within \(source.timeout.timeInterval) s")
        case CURLE_FILESIZE_EXCEEDED:
            throw FeedFetchError(.tooLarge, "the body announces more than the limit of \(source.maxBytes) bytes")
        case CURLE_ABORTED_BY_CALLBACK where cancelled.load(ordering: .relaxed):
            throw FeedFetchError(.cancelled, "cancelled: the hub is stopping")
        default:
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary = String(cString: curl_easy_strerror(code))
            throw FeedFetchError(.network, detail.isEmpty ? summary : "\(summary): \(detail)")
        }
        var status = 0
        hub_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        hub_curl_get_string(handle, CURLINFO_REDIRECT_URL, &location)
        return Answer(status: status, headers: state.headers, body: state.body, redirect: location.map { String(cString: $0) })
    }
}

/// What one transfer collects, reached from libcurl's callbacks through their context pointer.
/// Used only on the thread running `curl_easy_perform`.
private final class FeedTransfer {
    unowned let fetcher: FeedFetcher
    let maxBytes: Int
    let maxRatio: Int?
    var body = Data()
    var headers: [String: String] = [:]
    /// Bytes received from the network (before any decoding), from the progress callback.
    var received: Int64 = 0
    var failure: FeedFetchError?

    init(fetcher: FeedFetcher, maxBytes: Int, maxRatio: Int?) {
        self.fetcher = fetcher
        self.maxBytes = maxBytes
        self.maxRatio = maxRatio
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> FeedTransfer {
        Unmanaged<FeedTransfer>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Keeps `count` more body bytes, or records why not (returning false stops the transfer).
    func keep(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= maxBytes else {
            failure = FeedFetchError(.tooLarge, "the body passed the limit of \(maxBytes) bytes")
            return false
        }
        if let maxRatio {
            // A compressed body is measured against what came over the network (at least 16 KiB,
            // as the progress count lags behind the first bytes).
            let allowed = Int64(maxRatio) * max(received, 16 << 10)
            guard Int64(body.count + bytes.count) <= allowed else {
                failure = FeedFetchError(.tooLarge, "the compressed body expands more than \(maxRatio) times; refused as a compression bomb")
                return false
            }
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Records one header line; a status line (a new response, after 1xx) starts the set again.
    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if !name.isEmpty { headers[name] = value }
    }
}

// libcurl's callbacks: C function pointers, so no captures; each finds its transfer through the
// context pointer.

private let feedBodyArrived: hub_curl_data_callback = { data, size, count, context in
    let transfer = FeedTransfer.from(context)
    let length = size * count
    guard let data, length > 0 else { return 0 }
    return transfer.keep(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let feedHeaderArrived: hub_curl_data_callback = { data, size, count, context in
    let length = size * count
    guard let data else { return length }
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    FeedTransfer.from(context).header(String(decoding: bytes, as: UTF8.self))
    return length
}

private let feedTransferProgressed: hub_curl_progress_callback = { context, _, downloaded, _, _ in
    let transfer = FeedTransfer.from(context)
    transfer.received = Int64(downloaded)
    return transfer.fetcher.cancelled.load(ordering: .relaxed) ? 1 : 0
}

private let feedConnectionMade: hub_curl_prereq_callback = { context, remoteAddress, _, _, _ in
    let transfer = FeedTransfer.from(context)
    guard let remoteAddress else { return Int32(CURL_PREREQFUNC_OK) }
    if let refusal = transfer.fetcher.policy.refusal(ofAddress: String(cString: remoteAddress)) {
        transfer.failure = FeedFetchError(.refused, refusal)
        return Int32(CURL_PREREQFUNC_ABORT)
    }
    return Int32(CURL_PREREQFUNC_OK)
}
