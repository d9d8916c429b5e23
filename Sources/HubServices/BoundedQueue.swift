import Foundation
import HubCore

/// A first-in first-out queue with a fixed capacity, shared between threads.
///
/// Producers block (or are refused, with `offer`) when it is full: this is how the hub pushes back
/// on its sources instead of growing memory. Closing it wakes everyone; consumers still drain what
/// was queued before the close.
public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var buffer: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false

    /// The most elements the queue holds.
    public let capacity: Int

    /// Creates an empty queue that holds at most `capacity` elements.
    public init(capacity: Int) {
        precondition(capacity > 0, "a bounded queue needs a positive capacity")
        self.capacity = capacity
        self.buffer = Array(repeating: nil, count: capacity)
    }

    /// How many elements wait in the queue now.
    public var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Appends an element, waiting while the queue is full. Returns false (and drops nothing
    /// already queued) when the queue is closed: the caller still owns `element`.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == capacity, !closed { condition.wait() }
        guard !closed else { return false }
        append(element)
        condition.broadcast()
        return true
    }

    /// Appends elements in order, waiting for room as needed. Returns how many were queued: fewer
    /// than given only when the queue was closed meanwhile (the caller still owns the rest).
    @discardableResult
    public func push<Elements: Sequence>(contentsOf elements: Elements) -> Int where Elements.Element == Element {
        condition.lock()
        defer { condition.unlock() }
        var queued = 0
        for element in elements {
            while count == capacity, !closed {
                condition.broadcast()  // let consumers take what is already queued
                condition.wait()
            }
            guard !closed else { break }
            append(element)
            queued += 1
        }
        condition.broadcast()
        return queued
    }

    /// Appends an element only if there is room now; false when full or closed.
    public func offer(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard count < capacity, !closed else { return false }
        append(element)
        condition.broadcast()
        return true
    }

    /// Removes and returns the oldest element, waiting until one arrives or `deadline` (if any) passes.
    /// Returns nil on time-out, or when the queue is closed and empty.
    public func pop(until deadline: Date? = nil) -> Element? {
        pop(upTo: 1, until: deadline).first
    }

    /// Removes up to `limit` elements, waiting until at least one is queued or `deadline` (if any)
    /// passes. Empty on time-out, or when the queue is closed and empty. Taking many at once spares
    /// a consumer one wake-up per element.
    public func pop(upTo limit: Int, until deadline: Date? = nil) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 {
            if closed { return [] }
            if let deadline {
                // A far deadline such as .distantFuture overflows Foundation's timed wait on Linux.
                if !condition.wait(until: deadline), count == 0 { return [] }
            } else {
                condition.wait()
            }
        }
        return takeUpTo(limit)
    }

    /// Removes up to `limit` elements that are already queued, without waiting.
    public func drain(limit: Int) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        return takeUpTo(limit)
    }

    /// Refuses further pushes and wakes every waiting thread. Queued elements stay poppable.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func append(_ element: Element) {
        buffer[(head + count) % capacity] = element
        count += 1
    }

    // Called with the lock held.
    private func takeUpTo(_ limit: Int) -> [Element] {
        var taken: [Element] = []
        taken.reserveCapacity(min(limit, count))
        while count > 0, taken.count < limit { taken.append(removeFirst()) }
        if !taken.isEmpty { condition.broadcast() }
        return taken
    }

    private func removeFirst() -> Element {
        let element = buffer[head]!
        buffer[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return element
    }
}
