import Foundation
import HubCore
import HubServices
import HubStore
import HubTesting
import XCTest

/// Original documents kept by SHA-256 beside the events that reference them (schema version 3).
final class DocumentArchiveTests: XCTestCase {
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
