import Foundation
import HubCore
@testable import HubMQTT
import HubServices
import HubTesting
import XCTest

/// The journal on real files: what is appended and not marked done is found again by the next
/// journal opened on the folder, exactly; a record cut by a kill is skipped; segments go when done.
final class ReceiptJournalTests: XCTestCase {
    private var folder: URL!
    private let logger = Logger(label: "test", level: .critical, sink: StandardErrorLogSink())

    override func setUpWithError() throws {
        folder = try TemporaryDirectory.make(prefix: "journal").appendingPathComponent("hub.sqlite.mqtt-journal")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }

    private func segments() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".journal") }.sorted()
    }

    func testWhatIsNotMarkedDoneIsFoundAgainExactly() throws {
        let at = Timestamp(microsecondsSinceEpoch: 1_795_334_400_123_456)
        do {
            let journal = try ReceiptJournal(directory: folder, logger: logger)
            XCTAssertTrue(journal.pending.isEmpty)
            let first = journal.append(topic: "city/air/aq-1/reading", payload: Data("one".utf8), receivedAt: at)
            let second = journal.append(topic: "city/air/aq-2/reading", payload: Data([0, 0xFF, 0x0A]),
                                        headers: ["content-type": "application/json", "site": "Lyon 3e"], receivedAt: at)
            let third = journal.append(topic: "city/é/x", payload: Data(), receivedAt: at.adding(microseconds: 1))
            journal.markDone(first)
            journal.markDone(third)
            journal.flush()
            XCTAssertEqual(journal.outstandingCount, 1)
            XCTAssertEqual([first, second, third], [1, 2, 3])
        }
        // As after a kill: the next run opens the folder.
        let reopened = try ReceiptJournal(directory: folder, logger: logger)
        XCTAssertEqual(reopened.pending.map(\.sequence), [2])
        XCTAssertEqual(reopened.pending.first?.topic, "city/air/aq-2/reading")
        XCTAssertEqual(reopened.pending.first?.payload, Data([0, 0xFF, 0x0A]))
        XCTAssertEqual(reopened.pending.first?.receivedAt, at)
        XCTAssertEqual(reopened.pending.first?.headers, ["content-type": "application/json", "site": "Lyon 3e"])
        // New sequences continue after the old ones, and marking the old one done lets its segment go.
        XCTAssertEqual(reopened.append(topic: "t", payload: Data("4".utf8), receivedAt: at), 4)
        XCTAssertEqual(try segments().count, 2)
        reopened.markDone(2)
        XCTAssertEqual(try segments().count, 1, "the old segment is deleted once nothing in it is left")
    }

    func testDoneMarksNotYetWrittenOnlyMeanOneMoreDelivery() throws {
        do {
            let journal = try ReceiptJournal(directory: folder, logger: logger)
            let sequence = journal.append(topic: "t", payload: Data("x".utf8), receivedAt: .now())
            journal.markDone(sequence)  // buffered, and the process "dies" without a flush
        }
        XCTAssertEqual(try ReceiptJournal(directory: folder, logger: logger).pending.map(\.sequence), [1])
    }

    func testARecordCutByAKillIsSkippedAndTheRestRead() throws {
        do {
            let journal = try ReceiptJournal(directory: folder, logger: logger)
            _ = journal.append(topic: "a", payload: Data("kept".utf8), receivedAt: .now())
            _ = journal.append(topic: "b", payload: Data("cut short".utf8), receivedAt: .now())
        }
        let segment = folder.appendingPathComponent(try XCTUnwrap(try segments().last))
        let bytes = try Data(contentsOf: segment)
        // A kill in the middle of the copy: the record's first byte, written last, is still zero.
        let second = 5 + 29 + 5  // the header, then the first record: 29 bytes of fields, then "a" and "kept"
        XCTAssertEqual(bytes[second], UInt8(ascii: "M"))
        var interrupted = bytes
        interrupted[second] = 0
        try interrupted.write(to: segment)
        XCTAssertEqual(try ReceiptJournal(directory: folder, logger: logger).pending.map(\.topic), ["a"])
        // A file cut in the middle of a record (a journal written by a release before segments were mapped).
        for segment in try segments() { try FileManager.default.removeItem(at: folder.appendingPathComponent(segment)) }
        try bytes.dropLast(4).write(to: segment)
        XCTAssertEqual(try ReceiptJournal(directory: folder, logger: logger).pending.map(\.topic), ["a"])
    }

    func testAFullSegmentIsRotatedAndDeletedOnceAllOfItIsDone() throws {
        let journal = try ReceiptJournal(directory: folder, logger: logger)
        let payload = Data(repeating: 0x41, count: 64 << 10)
        var sequences: [UInt64] = []
        while try segments().count < 2 {
            sequences.append(journal.append(topic: "big", payload: payload, receivedAt: .now()))
        }
        XCTAssertEqual(sequences.count, ReceiptJournal.segmentBytes / (payload.count + 3 + 29) + 1, "a segment holds what fits in it")
        journal.markDone(sequences.last!)
        XCTAssertEqual(try segments().count, 2, "the first segment still holds messages not done")
        for sequence in sequences.dropLast() { journal.markDone(sequence) }
        XCTAssertEqual(try segments().count, 1, "only the segment being written")
        // A message larger than a segment gets a segment of its own size.
        let huge = Data(repeating: 0x42, count: ReceiptJournal.segmentBytes + 1)
        let sequence = journal.append(topic: "huge", payload: huge, receivedAt: .now())
        journal.flush()
        let reopened = try ReceiptJournal(directory: folder, logger: logger)
        XCTAssertEqual(reopened.pending.map(\.sequence), [sequence])
        XCTAssertEqual(reopened.pending.first?.payload, huge)
    }

    func testAGracefulRunLeavesNothingToDeliverAgain() throws {
        do {
            let journal = try ReceiptJournal(directory: folder, logger: logger)
            for index in 0..<1000 {
                journal.markDone(journal.append(topic: "t/\(index)", payload: Data("\(index)".utf8), receivedAt: .now()))
            }
            journal.flush()
        }
        let reopened = try ReceiptJournal(directory: folder, logger: logger)
        XCTAssertTrue(reopened.pending.isEmpty)
        XCTAssertEqual(try segments().count, 1, "only the new run's segment")
    }
}
