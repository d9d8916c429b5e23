import CCurl
import Foundation
import HubServices
import Synchronization

/// Posts delivery bodies to one subscription's webhook through libcurl: one easy handle kept for
/// the subscription's life (its connection reused between deliveries), the target's timeout for
/// the whole request, the answer's body read and thrown away.
final class WebhookPoster: @unchecked Sendable {
    // @unchecked Sendable: `handle` is used only by `post`, which the subscription's one delivery
    // thread calls (never two at once); `cancel()` from another thread only sets the atomic flag,
    // which the transfer's progress callback reads.
    private let handle: UnsafeMutableRawPointer?
    fileprivate let cancelled = Atomic<Bool>(false)
    private let target: Subscription.HTTPTarget

    /// A poster for `target`.
    init(target: Subscription.HTTPTarget) {
        self.target = target
        _ = Self.globalSetUp
        handle = curl_easy_init()
    }

    deinit { curl_easy_cleanup(handle) }

    private static let globalSetUp: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Why a delivery was not acknowledged, in words for `/api/v1/subscriptions` and the log.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// POSTs `body` with `headers` and returns once the target answered 2xx; throws `Failure`
    /// for any other status, a timeout or a network error.
    func post(_ body: Data, headers: [String: String]) throws(Failure) {
        guard !cancelled.load(ordering: .relaxed) else { throw Failure(description: "cancelled: the hub is stopping") }
        guard let handle else { throw Failure(description: "libcurl could not make a transfer handle") }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(name): \(value)") }
        list = curl_slist_append(list, "Content-Type: application/json")
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        defer { curl_slist_free_all(list) }
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = max(1, Int(target.timeout.timeInterval * 1000))
        let context = Unmanaged.passUnretained(self).toOpaque()
        curl_easy_reset(handle)
        let code: CURLcode = body.withUnsafeBytes { bytes in
            errorText.withUnsafeMutableBufferPointer { errorBuffer in
                hub_curl_set_string(handle, CURLOPT_URL, target.url.absoluteString)
                hub_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                hub_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
                hub_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
                hub_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
                hub_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
                hub_curl_set_string(handle, CURLOPT_USERAGENT, "territory-hub")
                hub_curl_set_long(handle, CURLOPT_POST, 1)
                hub_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                hub_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                hub_curl_set_list(handle, CURLOPT_HTTPHEADER, list)
                hub_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress)
                hub_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, webhookAnswerArrived)
                hub_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
                hub_curl_set_progress_callback(handle, webhookTransferProgressed)
                hub_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
                let code = curl_easy_perform(handle)
                hub_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
                hub_curl_set_pointer(handle, CURLOPT_POSTFIELDS, nil)
                return code
            }
        }
        switch code {
        case CURLE_OK:
            break
        case CURLE_OPERATION_TIMEDOUT:
            throw Failure(description: "no answer within \(target.timeout.timeInterval) s")
        case CURLE_ABORTED_BY_CALLBACK where cancelled.load(ordering: .relaxed):
            throw Failure(description: "cancelled: the hub is stopping")
        default:
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary = String(cString: curl_easy_strerror(code))
            throw Failure(description: detail.isEmpty ? summary : "\(summary): \(detail)")
        }
        var status = 0
        hub_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard (200..<300).contains(status) else { throw Failure(description: "HTTP \(status)") }
    }

    /// Stops the request in progress, if any, and every later one: the hub is stopping.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}

/// The answer's body is not kept: only its status counts.
private let webhookAnswerArrived: hub_curl_data_callback = { _, size, count, _ in size * count }

private let webhookTransferProgressed: hub_curl_progress_callback = { context, _, _, _, _ in
    Unmanaged<WebhookPoster>.fromOpaque(context!).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
}
