import Foundation
import HubPostgres
import HubServices
import HubTesting
import Synchronization
import XCTest

/// The fleet's leases on a real PostgreSQL (started by the test): one holder per task however many
/// ask at once, a holder that stops renewing replaced within the lease and its renewal, never two
/// holders at once, and the fleet's sessions listed.
final class PostgresLeaseTests: XCTestCase {
    private let logger = Logger(label: "test", level: .error, sink: StandardErrorLogSink())

    func testHubsAskingAtOnceGetOneHolderAndAReleaseFreesTheTaskAtOnce() throws {
        let server = try PostgresServer()
        let leases = try (0..<4).map { _ in try PostgresLease(url: server.databaseURL) }
        defer { leases.forEach { $0.close() } }
        let granted = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            let holder = "hub-\(index)"
            if (try? leases[index % leases.count].acquire("retention", holder: holder, for: .seconds(30))) == true {
                granted.withLock { $0.append(holder) }
            }
        }
        let winner = try XCTUnwrap(granted.withLock { $0 }.first)
        XCTAssertEqual(granted.withLock { $0.count }, 1, "one holder: \(granted.withLock { $0 })")
        XCTAssertTrue(try leases[1].acquire("retention", holder: winner, for: .seconds(30)), "its holder renews it")
        XCTAssertFalse(try leases[2].acquire("retention", holder: "hub-late", for: .seconds(30)))
        try leases[3].release("retention", holder: "hub-late")
        XCTAssertFalse(try leases[2].acquire("retention", holder: "hub-late", for: .seconds(30)), "only the holder releases")
        try leases[3].release("retention", holder: winner)
        XCTAssertTrue(try leases[2].acquire("retention", holder: "hub-late", for: .seconds(30)), "released: free at once")
        XCTAssertTrue(try leases[0].acquire(SingletonTask.session("territory-hub-a").name, holder: "hub-a", for: .seconds(30)))
        XCTAssertEqual(try leases[1].tasks(withPrefix: SingletonTask.sessionPrefix), ["mqtt-session/territory-hub-a"])
    }

    func testAHubThatStopsRenewingIsReplacedWithinTheLeaseAndRenewalAndNeverBothRun() throws {
        let server = try PostgresServer()
        let tasks: [SingletonTask] = [.deviceWatch, .retention, .feed("bikes"), .folder("invoices")]
        let link = SeverableLease(try PostgresLease(url: server.databaseURL))
        let other = try PostgresLease(url: server.databaseURL)
        let first = LeaseKeeper(lease: link, holder: "hub-a", tasks: tasks, duration: .seconds(2), renewal: .milliseconds(500),
                                logger: logger)
        first.start()
        defer { first.stop() }
        let second = LeaseKeeper(lease: other, holder: "hub-b", tasks: tasks, duration: .seconds(2), renewal: .milliseconds(500),
                                 logger: logger)
        second.start()
        defer { second.stop() }
        XCTAssertEqual(first.held, tasks)
        XCTAssertEqual(second.held, [])
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(second.held, [], "renewed in the database, the tasks stay")

        // hub-a loses the database (or hangs, or dies): it renews nothing more.
        let cut = ContinuousClock.now
        link.isSevered = true
        var stopped: ContinuousClock.Instant?
        var took: ContinuousClock.Instant?
        while ContinuousClock.now < cut + .seconds(6), took == nil {
            // Task by task, hub-b first: should hub-a still hold a task after hub-b took it, they overlapped.
            for task in tasks where second.holds(task) { XCTAssertFalse(first.holds(task), "two hubs ran \(task) at once") }
            if first.held.isEmpty, stopped == nil { stopped = .now }
            if second.held == tasks { took = .now }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let stoppedAfter = cut.duration(to: try XCTUnwrap(stopped, "hub-a kept its tasks without a lease"))
        let tookAfter = cut.duration(to: try XCTUnwrap(took, "hub-b did not take the tasks"))
        // Give or take this thread's 10 ms polls, on a busy machine.
        XCTAssertLessThanOrEqual(stoppedAfter, .seconds(2) + .milliseconds(500), "a hub that cannot renew stops within its lease")
        // The slack is for this thread's and the keepers' scheduling on a busy machine.
        XCTAssertLessThanOrEqual(tookAfter, .milliseconds(2500 + 1000), "taken over within lease + renewal")
        XCTAssertGreaterThanOrEqual(tookAfter, stoppedAfter)
        print("measured on PostgreSQL: hub-a stopped \(stoppedAfter) and hub-b took over \(tookAfter) after hub-a's last chance to renew (lease 2 s, renewal 0.5 s)")
    }

    func testLeasesWorkAgainAfterTheServerRestarts() throws {
        let server = try PostgresServer()
        let lease = try PostgresLease(url: server.databaseURL)
        defer { lease.close() }
        XCTAssertTrue(try lease.acquire("device-watch", holder: "hub-a", for: .seconds(30)))
        try server.restart()
        // The first call after the restart may find the connection broken; the next reconnects.
        _ = try? lease.acquire("device-watch", holder: "hub-a", for: .seconds(30))
        XCTAssertTrue(try lease.acquire("device-watch", holder: "hub-a", for: .seconds(30)), "the lease row survived the restart")
        XCTAssertFalse(try lease.acquire("device-watch", holder: "hub-b", for: .seconds(30)))
    }
}
