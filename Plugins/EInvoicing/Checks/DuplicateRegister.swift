/// The invoices a route has seen, by seller, number and year, to flag a second, different document
/// carrying the same invoice (EN 16931 requires the number to be unique per seller).
///
/// Connectors do no I/O, so this lives in the connector's state on its route's worker: it is
/// bounded (the oldest keys are forgotten first) and does not survive a restart of the hub.
struct DuplicateRegister: Sendable {
    private var documentByKey: [String: String] = [:]
    private var order: [String] = []
    private var head = 0
    /// The most invoices remembered.
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Records `document` under `key`; returns the document first seen under that key when it is a
    /// different one (the same document delivered again is not a duplicate).
    mutating func record(key: String, document: String) -> String? {
        if let first = documentByKey[key] { return first == document ? nil : first }
        documentByKey[key] = document
        order.append(key)
        if order.count - head > capacity {
            documentByKey[order[head]] = nil
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
        return nil
    }
}
