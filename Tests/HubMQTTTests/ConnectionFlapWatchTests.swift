@testable import HubMQTT
import XCTest

/// The pattern of a session taken over again and again, told from ordinary lost connections.
final class ConnectionFlapWatchTests: XCTestCase {
    func testThreeShortConnectionsInAWindowMakeOneEpisode() {
        var watch = ConnectionFlapWatch(window: 60, threshold: 3)
        var reports: [Int?] = []
        for start in stride(from: 0.0, to: 10, by: 2) {
            watch.connected(at: start)
            reports.append(watch.lost(at: start + 1))
        }
        XCTAssertEqual(reports, [nil, nil, 3, nil, nil], "reported once, at the third")
        // A connection that lasts ends the episode; a new one is reported again.
        watch.connected(at: 20)
        XCTAssertNil(watch.lost(at: 200))
        reports = []
        for start in stride(from: 300.0, to: 306, by: 2) {
            watch.connected(at: start)
            reports.append(watch.lost(at: start + 1))
        }
        XCTAssertEqual(reports, [nil, nil, 3])
    }

    func testLossesSpreadBeyondTheWindowOrLongConnectionsAreNotAnEpisode() {
        var watch = ConnectionFlapWatch(window: 60, threshold: 3)
        for start in stride(from: 0.0, to: 400, by: 100) {
            watch.connected(at: start)
            XCTAssertNil(watch.lost(at: start + 30), "short connections, but 100 s apart")
        }
        XCTAssertNil(watch.lost(at: 500), "a loss without a connection before it (a failed attempt)")
        for start in stride(from: 1000.0, to: 1300, by: 70) {
            watch.connected(at: start)
            XCTAssertNil(watch.lost(at: start + 65), "connections that lasted longer than the window")
        }
    }
}
