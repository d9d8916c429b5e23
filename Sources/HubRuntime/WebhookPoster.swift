import CCurl
import Foundation
import HubCore
import HubServices
import HubStore
import Synchronization

/// Posts batches of events to one subscription's webhook through libcurl: one easy handle kept for
/// the subscription's life (its connection reused between deliveries), the target's timeout for
/// the whole request, the answer's body read and thrown away.
///
/// A batch is POSTed as `{"subscription": name, "events": [...]}` (each event as `hub decode`
/// prints it, its `id` included) with an `Idempotency-Key` made of the batch's seqs (so the same
/// on every retry of the batch, and after a restart: the store holds the batch in flight) and,
/// when the subscription has a secret,
/// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
final class WebhookPoster: DeliveryTransport, @unchecked Sendable {
    // @unchecked Sendable: `handle` is used only by `post`, which the subscription's one delivery
    // thread calls (never two at once); `cancel()` from another thread only sets the atomic flag,
    // which the transfer's progress callback reads.
    private let handle: UnsafeMutableRawPointer?
    fileprivate let cancelled = Atomic<Bool>(false)
    private let subscription: String
    private let settings: Subscription.HTTPTarget

    /// A poster for `subscription`'s webhook `target`.
    init(subscription: String, target: Subscription.HTTPTarget) {
        self.subscription = subscription
        self.settings = target
        _ = Self.globalSetUp
        handle = curl_easy_init()
    }

    deinit { curl_easy_cleanup(handle) }

    private static let globalSetUp: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    var kind: String { "http" }

    var target: String { SecretRedaction.url(settings.url) }

    func close() {}

    func send(_ events: [StoredEvent]) throws(DeliveryFailure) {
        var text = "{\"subscription\":" + JSONValue.string(subscription).jsonText + ",\"events\":["
        for (index, stored) in events.enumerated() {
            if index > 0 { text += "," }
            text += stored.event.jsonLine
        }
        text += "]}"
        let body = Data(text.utf8)
        let first = events.first?.seq ?? 0, last = events.last?.seq ?? 0
        var headers = ["Idempotency-Key": "\(subscription)-\(first)-\(last)-\(events.count)", "X-Hub-Subscription": subscription]
        if let secret = settings.secret {
            headers["X-Hub-Signature-256"] = "sha256=" + HMACSHA256.authenticationCode(for: body, key: Array(secret.utf8)).hexString
        }
        try post(body, headers: headers)
    }

    /// POSTs `body` with `headers` and returns once the target answered 2xx; throws for any other
    /// status, a timeout or a network error.
    private func post(_ body: Data, headers: [String: String]) throws(DeliveryFailure) {
        guard !cancelled.load(ordering: .relaxed) else { throw DeliveryFailure(description: "cancelled: the hub is stopping") }
        guard let handle else { throw DeliveryFailure(description: "libcurl could not make a transfer handle") }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(name): \(value)") }
        list = curl_slist_append(list, "Content-Type: application/json")
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        defer { curl_slist_free_all(list) }
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = max(1, Int(settings.timeout.timeInterval * 1000))
        let context = Unmanaged.passUnretained(self).toOpaque()
        curl_easy_reset(handle)
        let code: CURLcode = body.withUnsafeBytes { bytes in
            errorText.withUnsafeMutableBufferPointer { errorBuffer in
                hub_curl_set_string(handle, CURLOPT_URL, settings.url.absoluteString)
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
            throw DeliveryFailure(description: "no answer within \(settings.timeout.timeInterval) s")
        case CURLE_ABORTED_BY_CALLBACK where cancelled.load(ordering: .relaxed):
            throw DeliveryFailure(description: "cancelled: the hub is stopping")
        default:
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary = String(cString: curl_easy_strerror(code))
            throw DeliveryFailure(description: detail.isEmpty ? summary : "\(summary): \(detail)")
        }
        var status = 0
        hub_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard (200..<300).contains(status) else { throw DeliveryFailure(description: "HTTP \(status)") }
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
