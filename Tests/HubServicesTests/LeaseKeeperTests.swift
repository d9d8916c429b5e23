import Foundation
import HubServices
import HubTesting
import XCTest

/// Two keepers competing for the same tasks in one `LocalLease`, as two hubs on one database do:
/// one runs each task, a dead holder's tasks move within `duration + renewal`, never to two at once.
final class LeaseKeeperTests: XCTestCase {
    private let logger = Logger(label: "test", level: .error, sink: StandardErrorLogSink())
    private let tasks: [SingletonTask] = [.deviceWatch, .feed("bikes"), .folder("invoices")]

    private func keeper(_ name: String, _ lease: any SingletonLease, duration: Duration = .seconds(2),
                        renewal: Duration = .milliseconds(400)) -> LeaseKeeper {
        LeaseKeeper(lease: lease, holder: name, tasks: tasks, duration: duration, renewal: renewal, logger: logger)
    }

    func testALoneHubHoldsEveryTaskFromItsStartAndKeepsThem() throws {
        let alone = keeper("hub-a", LocalLease(), duration: .seconds(1), renewal: .milliseconds(200))
        XCTAssertEqual(alone.held, [], "nothing is held before start")
        alone.start()
        defer { alone.stop() }
        XCTAssertEqual(alone.held, tasks, "held before start() returns, so the doors' first turn runs")
        // Past several lease durations, the renewals keep every task.
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(alone.held, tasks)
        let metric = try XCTUnwrap(alone.metricFamilies().first)
        XCTAssertEqual(metric.name, "hub_lease_held")
        XCTAssertEqual(metric.samples.map(\.value), [1, 1, 1])
    }

    func testADeadHoldersTasksMoveWithinTheLeaseAndRenewalAndNeverRunTwice() throws {
        let shared = LocalLease()
        let link = SeverableLease(shared)
        let first = keeper("hub-a", link)
        first.start()
        defer { first.stop() }
        let second = keeper("hub-b", shared)
        second.start()
        defer { second.stop() }
        XCTAssertEqual(first.held, tasks)
        XCTAssertEqual(second.held, [], "a task runs on one hub")
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(second.held, [], "renewals keep the tasks with their holder")

        // hub-a loses the database (or dies): it renews nothing more.
        let cut = ContinuousClock.now
        link.isSevered = true
        var firstStopped: ContinuousClock.Instant?
        var secondTook: ContinuousClock.Instant?
        let bound = first.duration + second.renewal
        while ContinuousClock.now < cut + bound + .seconds(2), secondTook == nil {
            let firstHolds = !first.held.isEmpty
            let secondHolds = second.held == tasks
            XCTAssertFalse(firstHolds && !second.held.isEmpty, "two hubs ran a task at once")
            if !firstHolds, firstStopped == nil { firstStopped = .now }
            if secondHolds { secondTook = .now }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let stopped = try XCTUnwrap(firstStopped, "hub-a kept running its tasks without a lease")
        let took = try XCTUnwrap(secondTook, "hub-b did not take the tasks")
        XCTAssertLessThanOrEqual(cut.duration(to: stopped), first.duration, "hub-a stops within a lease of its last renewal")
        XCTAssertGreaterThanOrEqual(took, stopped)
        XCTAssertLessThanOrEqual(cut.duration(to: took), bound + .milliseconds(300),
                                 "taken within duration + renewal of the holder's death")

        // hub-a comes back: hub-b keeps what it holds.
        link.isSevered = false
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(first.held, [])
        XCTAssertEqual(second.held, tasks)
    }

    func testAGracefulStopHandsTheTasksOverAtTheNextRenewal() throws {
        let shared = LocalLease()
        let first = keeper("hub-a", shared, duration: .seconds(30), renewal: .milliseconds(200))
        first.start()
        let second = keeper("hub-b", shared, duration: .seconds(30), renewal: .milliseconds(200))
        second.start()
        defer { second.stop() }
        XCTAssertEqual(second.held, [])
        first.stop()
        XCTAssertEqual(first.held, [], "a stopped hub runs nothing")
        // Released, not left to expire: well before the 30 s lease runs out.
        XCTAssertTrue(waitUntil(timeout: 5) { second.held == self.tasks }, "\(second.held)")
    }
}
