import Foundation
import Synchronization

/// A response body read from the store page by page while it is sent, so that an export has no
/// row limit and holds one page in memory at a time: `prefix`, then each page `page` renders
/// (given the cursor the previous page ended at, nil for the first), then `suffix`.
///
/// A store failure halfway cuts the connection (`.abort`), so that a client never takes a
/// truncated export for a whole one.
final class PagedExport: ResponseStream {
    /// One page: its bytes, and the cursor to continue from (nil when it was the last).
    typealias Page = (bytes: Data, next: String?)

    private enum Phase { case prefix, pages(after: String?, first: Bool), suffix, done }

    private let prefix: Data
    private let suffix: Data
    private let page: @Sendable (_ after: String?, _ first: Bool) throws -> Page
    private let phase = Mutex(Phase.prefix)

    init(prefix: Data, suffix: Data = Data(), page: @escaping @Sendable (_ after: String?, _ first: Bool) throws -> Page) {
        self.prefix = prefix
        self.suffix = suffix
        self.page = page
    }

    func next(timeout: Duration) -> StreamChunk {
        // Only the connection's thread calls this, one call at a time; the lock keeps the type Sendable.
        let current = phase.withLock { $0 }
        switch current {
        case .prefix:
            phase.withLock { $0 = .pages(after: nil, first: true) }
            return prefix.isEmpty ? next(timeout: timeout) : .data(prefix)
        case .pages(let after, let first):
            let result: Page
            do {
                result = try page(after, first)
            } catch {
                phase.withLock { $0 = .done }
                return .abort
            }
            phase.withLock { $0 = result.next.map { .pages(after: $0, first: false) } ?? .suffix }
            return result.bytes.isEmpty ? next(timeout: timeout) : .data(result.bytes)
        case .suffix:
            phase.withLock { $0 = .done }
            return suffix.isEmpty ? .end : .data(suffix)
        case .done:
            return .end
        }
    }

    func close() {
        phase.withLock { $0 = .done }
    }
}
