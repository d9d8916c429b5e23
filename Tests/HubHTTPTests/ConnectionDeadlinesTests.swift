import Foundation
@testable import HubHTTP
import HubServices
import XCTest

/// The watchdog's judgement of one connection, on a real socket pair, with the clock given.
final class ConnectionDeadlinesTests: XCTestCase {
    private var sockets: [Int32] = [-1, -1]

    override func setUpWithError() throws {
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &sockets) == 0 else {
            throw SocketPairFailed(reason: String(cString: strerror(errno)))
        }
    }

    override func tearDown() {
        for socket in sockets where socket >= 0 { close(socket) }
    }

    private func deadlines() -> ConnectionDeadlines {
        ConnectionDeadlines(settings: HTTPSettings(address: "127.0.0.1", port: 0, headerTimeoutSeconds: 1),
                            logger: Logger(label: "test", level: .critical, sink: StandardErrorLogSink()))
    }

    private struct SocketPairFailed: Error {
        let reason: String
    }

    /// Whether the peer sees the socket shut down (a read that ends at once).
    private var peerSeesShutdown: Bool {
        var byte: UInt8 = 0
        return recv(sockets[1], &byte, 1, Int32(MSG_DONTWAIT)) == 0
    }

    /// A connection that entered its phase after the watchdog read the clock (its thread ran between
    /// the watchdog's clock and its look at the connection) is not overdue: the time since is not a
    /// negative number wrapped into a huge one. The build before this check cut live keep-alive
    /// connections under load that way.
    func testAPhaseEnteredAfterTheWatchdogReadTheClockIsNotOverdue() {
        let deadlines = deadlines()
        let watch = deadlines.opened(socket: sockets[0])
        let before = DispatchTime.now()
        Thread.sleep(forTimeInterval: 0.01)
        deadlines.enter(.awaitingHeaders, watch)
        XCTAssertEqual(deadlines.cutOverdue(now: before), 0)
        XCTAssertFalse(peerSeesShutdown)
    }

    /// Awaiting headers past the deadline is cut (its socket shut down, once); responding never is;
    /// a closed connection is no longer watched.
    func testOnlyAPhaseWithADeadlineIsCutOnceItIsPast() {
        let deadlines = deadlines()
        let watch = deadlines.opened(socket: sockets[0])
        let later = DispatchTime.now() + 5
        deadlines.enter(.responding, watch)
        XCTAssertEqual(deadlines.cutOverdue(now: later), 0, "a response has no deadline")
        deadlines.enter(.awaitingHeaders, watch)
        XCTAssertEqual(deadlines.cutOverdue(now: .now()), 0, "within the 1 s header deadline")
        XCTAssertEqual(deadlines.cutOverdue(now: later), 1)
        XCTAssertTrue(peerSeesShutdown)
        XCTAssertEqual(deadlines.cutOverdue(now: later), 0, "cut once")
        deadlines.closed(watch)
        let other = deadlines.opened(socket: sockets[0])
        deadlines.closed(other)
        XCTAssertEqual(deadlines.cutOverdue(now: later), 0, "a closed connection is not watched")
    }
}
