import Foundation
import HubCore
import HubServices
import HubStore
import HubTesting
import XCTest

/// Original documents kept by SHA-256 beside the events that reference them (schema version 3).
final class DocumentArchiveTests: XCTestCase {
    func testDocumentsAreStoredOnceByHashAndReadBackExactly() throws {
        let directory = try TemporaryDirectory.make(prefix: "hub-documents")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: Logger(label: "test"))
        defer { try? store.close() }
        let bytes = Data("<Invoice>42</Invoice>".utf8)
        let first = ArchivedDocument(bytes: bytes, mediaType: "application/xml", route: "invoices", receivedAt: SampleData.observed)
        XCTAssertEqual(first.sha256, SHA256.hash(bytes).hexString)
        try store.write(events: [SampleData.parking(spot: 1)], deadLetters: [], documents: [first])
        // The same bytes again, from another route later: ignored, the first receipt is kept.
        var again = first
        again.route = "other"
        again.receivedAt = SampleData.observed.adding(microseconds: 5)
        try store.write(events: [], deadLetters: [], documents: [again])

        XCTAssertEqual(try store.documentCount(), 1)
        XCTAssertEqual(try store.document(sha256: "sha256:" + first.sha256), first)
        XCTAssertEqual(try store.document(sha256: first.sha256.uppercased()), first)
        XCTAssertNil(try store.document(sha256: String(repeating: "0", count: 64)))
    }

    func testTheBatchWriterCommitsTheOutcomesDocuments() throws {
        let store = RecordingStore()
        let bus = Bus(capacity: 16)
        let writer = BatchWriter(bus: bus, store: store, maxBatchSize: 10, maxDelay: .milliseconds(5),
                                 metrics: HubMetrics(), logger: Logger(label: "test"))
        let document = ArchivedDocument(bytes: Data("%PDF-1.7".utf8), mediaType: "application/pdf", route: "invoices",
                                        receivedAt: SampleData.observed)
        writer.start()
        bus.push(Outcome(events: [SampleData.parking(spot: 2)], documents: [document]))
        writer.stop()
        XCTAssertEqual(store.writes.flatMap(\.documents), [document])
    }
}
