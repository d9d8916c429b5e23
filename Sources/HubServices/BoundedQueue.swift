import Foundation
import HubCore

/// A first-in first-out queue with a fixed capacity, shared between threads.
///
/// Producers block (or are refused, with `offer`) when it is full: this is how the hub pushes back
/// on its sources instead of growing memory. Closing it wakes everyone; consumers still drain what
/// was queued before the close.
///
/// Waking a thread costs a system call on each side, so the queue wakes only whom it must: a
/// consumer once as many elements as it asked to gather are queued, a producer once room is made.
public final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var buffer: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    /// The fewest elements a waiting consumer wants before it is woken (`Int.max`: none waits).
    private var consumerWants = Int.max
    /// How many consumers wait.
    private var consumersWaiting = 0
    /// How many producers wait for room.
    private var producersWaiting = 0

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
        waitForRoom()
        guard !closed else { return false }
        append(element)
        wakeConsumer()
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
            if count == capacity { wakeConsumer() }  // let the consumer take what is queued
            waitForRoom()
            guard !closed else { break }
            append(element)
            queued += 1
        }
        wakeConsumer()
        return queued
    }

    /// Appends an element only if there is room now; false when full or closed.
    public func offer(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard count < capacity, !closed else { return false }
        append(element)
        wakeConsumer()
        return true
    }

    /// Removes and returns the oldest element, waiting until one arrives or `deadline` (if any) passes.
    /// Returns nil on time-out, or when the queue is closed and empty.
    public func pop(until deadline: Date? = nil) -> Element? {
        pop(upTo: 1, until: deadline).first
    }

    /// Removes up to `limit` elements once at least `minimum` are queued (one by default), or once
    /// `deadline` (if any) passes, taking then what there is: empty on a time-out with nothing queued.
    /// A closed queue gives at once what it still holds (empty when nothing). Taking many at once,
    /// and gathering them first, spares a consumer one wake-up per element.
    public func pop(upTo limit: Int, until deadline: Date? = nil, gathering minimum: Int = 1) -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        let wanted = max(1, min(minimum, limit, capacity))
        while count < wanted, !closed {
            consumersWaiting += 1
            consumerWants = min(consumerWants, wanted)
            let signalled: Bool
            if let deadline {
                signalled = condition.wait(until: deadline)
            } else {
                // Untimed: a far deadline such as .distantFuture overflows Foundation's timed wait on Linux.
                condition.wait()
                signalled = true
            }
            consumersWaiting -= 1
            if consumersWaiting == 0 { consumerWants = Int.max }
            if !signalled { break }
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
        if !taken.isEmpty, producersWaiting > 0 { condition.broadcast() }
        return taken
    }

    // Called with the lock held: waits while the queue is full and open.
    private func waitForRoom() {
        while count == capacity, !closed {
            producersWaiting += 1
            condition.wait()
            producersWaiting -= 1
        }
    }

    // Called with the lock held, after appending: wakes the consumers once one has what it waits for.
    private func wakeConsumer() {
        if count >= consumerWants { condition.broadcast() }
    }

    private func removeFirst() -> Element {
        let element = buffer[head]!
        buffer[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return element
    }
}
