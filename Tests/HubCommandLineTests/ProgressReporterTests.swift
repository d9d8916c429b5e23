import HubCommandLine
import Synchronization
import XCTest

/// The progress line of long commands: what is done of the total, the rate, the time left; nothing
/// at all when standard error is not a terminal.
final class ProgressReporterTests: XCTestCase {
    func testTheLineSaysDoneTotalRateAndTimeLeft() {
        XCTAssertEqual(ProgressReporter.line(label: "simulate", done: 1_200, total: 6_000, unit: "messages", elapsed: 3),
                       "simulate  1,200/6,000 messages (20%)  400/s  0:12 left")
        XCTAssertEqual(ProgressReporter.line(label: "bench", done: 2_500_000, total: 5_000_000, unit: "events", elapsed: 100),
                       "bench  2,500,000/5,000,000 events (50%)  25,000/s  1:40 left")
        XCTAssertEqual(ProgressReporter.line(label: "fill", done: 10, total: 36_010, unit: "events", elapsed: 1),
                       "fill  10/36,010 events (0%)  10/s  1:00:00 left")
        XCTAssertEqual(ProgressReporter.line(label: "validate", done: 3, total: nil, unit: "files", elapsed: 1),
                       "validate  3 files  3/s")
        XCTAssertEqual(ProgressReporter.line(label: "done", done: 5, total: 5, unit: "files", elapsed: 0),
                       "done  5/5 files (100%)  0/s")
    }

    func testItDrawsOnOneLineAtMostFourTimesASecondAndClearsIt() {
        let written = Mutex<[String]>([])
        let progress = ProgressReporter(label: "work", total: 1_000, unit: "items", isEnabled: true) { text in
            written.withLock { $0.append(text) }
        }
        for done in 1...1_000 { progress.update(done: done) }
        progress.finish()
        let output = written.withLock { $0 }
        XCTAssertEqual(output.count, 2, "the first update drawn, the others within 250 ms skipped, then the clearing: \(output)")
        XCTAssertTrue(output[0].hasPrefix("\rwork  1/1,000 items (0%)"), output[0])
        XCTAssertEqual(output[1], "\r" + String(repeating: " ", count: output[0].count - 1) + "\r", "the line is blanked")
    }

    func testItIsSilentWhenDisabled() {
        let written = Mutex(0)
        let progress = ProgressReporter(label: "work", total: 10, unit: "items", isEnabled: false) { _ in written.withLock { $0 += 1 } }
        for done in 1...10 { progress.update(done: done) }
        progress.finish()
        XCTAssertEqual(written.withLock { $0 }, 0)
    }
}
