import Foundation
import HubCore
import HubServices
import Synchronization

/// Polls one feed on a thread of its own, so that two fetches of one feed never overlap: fetch
/// (conditional, with a timeout and a size limit), deliver a new body to the route, wait for the
/// period (or the feed's own `ttl`, or the backoff after a failure), again.
///
/// A 304 is "nothing new". When the route's queue is full the body is not delivered and the
/// turn is skipped; the validators are then forgotten so the next fetch brings the body again.
/// Stopping cancels a fetch in flight and waits for the thread; a body already delivered to the
/// route is the route's, and the route drains it.
public final class FeedPoller: Sendable {
    /// The route this poller feeds.
    public let route: String
    /// The feed it polls.
    public let source: FeedSource
    private let inbox: any Inbox
    private let gate: (any SingletonGate)?
    private let logger: Logger
    private let fetcher: FeedFetcher
    private let backoff: FeedBackoff
    private let state: Mutex<FeedStatus>
    private let validators = Mutex<[URL: FeedValidators]>([:])
    /// The files the discovery document listed when it last came with a body.
    private let listed = Mutex<[URL]>([])
    private let stopping = Mutex(false)
    private let started = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let random = Mutex(SystemRandomNumberGenerator())

    /// Creates a poller for `source` that delivers new bodies to `route` through `inbox`; nothing
    /// runs until `start()`. With a `gate`, it fetches only while the gate says this hub holds the
    /// feed's lease (`SingletonTask.feed(route)`), and asks again every second otherwise.
    public init(route: String, source: FeedSource, inbox: any Inbox, gate: (any SingletonGate)? = nil, logger: Logger) {
        self.route = route
        self.source = source
        self.inbox = inbox
        self.gate = gate
        self.logger = logger
        backoff = FeedBackoff(base: source.period, cap: source.maxBackoff)
        fetcher = FeedFetcher(source: source)
        state = Mutex(FeedStatus(route: route, url: SecretRedaction.url(source.url)))
    }

    /// The feed's status now.
    public var status: FeedStatus { state.withLock { $0 } }

    /// Starts polling: the first fetch happens at once.
    public func start() {
        guard started.withLock({ let was = $0; $0 = true; return !was }) else { return }
        let thread = Thread { [self] in
            Thread.nameCurrentThread("feed \(route)")
            while !stopping.withLock({ $0 }) {
                let delay = turn()
                let next = Timestamp.now().adding(microseconds: Int64(delay.timeInterval * 1_000_000))
                state.withLock { $0.nextFetchAt = next }
                if stopping.withLock({ $0 }) { break }
                _ = wake.wait(timeout: .now() + delay.timeInterval)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops polling: cancels a fetch in flight and returns when the thread has ended.
    public func stop() {
        let wasStarted = started.withLock { $0 }
        guard stopping.withLock({ let was = $0; $0 = true; return !was }) else { return }
        fetcher.cancel()
        wake.signal()
        if wasStarted { finished.wait() }
    }

    /// One turn: the feed's URL, then any files it lists. Returns how long to wait before the next.
    private func turn() -> Duration {
        // While the store cannot commit, the feed is not fetched: the next turn comes after the period.
        guard inbox.intakeGate.isOpen else { return source.period }
        // Another hub of the fleet polls this feed: ask again soon, to take over quickly.
        if let gate, !gate.holds(.feed(route)) { return min(source.period, .seconds(1)) }
        var ttl: Duration?
        do {
            let first = try fetchAndDeliver(source.url)
            ttl = first.ttl
            if source.discovery == .gbfs, first.outcome != .skipped {
                // A 304 on the discovery file: the files it listed last time are still the ones.
                let urls = first.body.map { body in
                    let urls = GBFSDiscovery.urls(in: body)
                    listed.withLock { $0 = urls }
                    return urls
                } ?? listed.withLock { $0 }
                for url in urls where !stopping.withLock({ $0 }) {
                    // A discovery file may list any URL: only the feed's origin and its allowed hosts are fetched.
                    try fetcher.policy.check(url, after: source.url)
                    let result = try fetchAndDeliver(url)
                    if let fileTTL = result.ttl { ttl = min(ttl ?? fileTTL, fileTTL) }
                    if result.outcome == .skipped { break }
                }
            }
        } catch {
            if error.code == .cancelled || stopping.withLock({ $0 }) { return .zero }
            let failures = state.withLock { status in
                status.failures += 1
                status.consecutiveFailures += 1
                status.lastErrorAt = .now()
                status.lastError = error.message
                return status.consecutiveFailures
            }
            let delay = backoff.delay(afterFailures: failures, unitRandom: random.withLock { Double.random(in: 0..<1, using: &$0) })
            logger.warning("feed fetch failed", ["route": route, "error": error.message, "failures": String(failures),
                                                 "retry_in_s": String(format: "%.1f", delay.timeInterval)])
            return delay
        }
        state.withLock { $0.consecutiveFailures = 0 }
        if let ttl, ttl > source.period { return ttl }
        return source.period
    }

    private enum FetchOutcome { case delivered, notModified, skipped }

    /// Fetches one URL; delivers a new body to the route. The body is also returned (for discovery).
    private func fetchAndDeliver(_ url: URL) throws(FeedFetchError) -> (outcome: FetchOutcome, body: Data?, ttl: Duration?) {
        let known = validators.withLock { $0[url] ?? FeedValidators() }
        let begin = DispatchTime.now()
        state.withLock { $0.lastAttemptAt = .now(); $0.fetches += 1 }
        let response: FeedResponse
        do {
            response = try fetcher.fetch(url, validators: known)
        } catch {
            state.withLock { status in
                status.lastDuration = Self.elapsed(since: begin)
                if let code = error.httpStatus { status.lastHTTPStatus = code }
            }
            throw error
        }
        let receivedAt = Timestamp.now()
        state.withLock { status in
            status.lastDuration = Self.elapsed(since: begin)
            status.lastHTTPStatus = response.status
            status.lastSuccessAt = receivedAt
            status.lastBytes = response.body.count
        }
        if response.status == 304 {
            state.withLock { $0.notModified += 1 }
            return (.notModified, nil, nil)
        }
        let envelope = Envelope(route: route, source: .feed, origin: SecretRedaction.url(url), payload: response.body,
                                headers: response.headers, receivedAt: receivedAt)
        let delivery = Delivery(envelope) { [self] disposition in
            self.state.withLock { status in
                switch disposition {
                case .stored(let events): status.eventsProduced += events
                case .deadLettered: status.deadLetters += 1
                case .failed: break
                }
            }
        }
        guard inbox.deliver(delivery, waitForRoom: false) == .accepted else {
            state.withLock { $0.skippedTurns += 1 }
            validators.withLock { $0[url] = nil }
            return (.skipped, nil, nil)
        }
        state.withLock { $0.delivered += 1 }
        validators.withLock { $0[url] = FeedValidators(etag: response.headers["etag"], lastModified: response.headers["last-modified"]) }
        return (.delivered, response.body, Self.ttl(of: response.body))
    }

    /// The `ttl` (seconds) a JSON feed such as GBFS gives for its own freshness, when it has one.
    static func ttl(of body: Data) -> Duration? {
        guard body.first == UInt8(ascii: "{"), let document = try? JSONValue(parsing: body),
              let seconds = document["ttl"]?.numberValue, seconds > 0, seconds <= 86_400 else { return nil }
        return .seconds(seconds)
    }

    private static func elapsed(since start: DispatchTime) -> Duration {
        .nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds))
    }
}
