import Foundation
@testable import HubRuntime
import Synchronization
import XCTest

final class PeriodicTimerTests: XCTestCase {
    func testStopReturnsOnlyOnceARunInProgressHasFinished() {
        let timer = PeriodicTimer(label: "test.timer", period: .milliseconds(10))
        let started = DispatchSemaphore(value: 0)
        let runs = Atomic(0), finished = Atomic(false)
        timer.start {
            guard runs.add(1, ordering: .sequentiallyConsistent).newValue == 1 else { return }
            started.signal()
            Thread.sleep(forTimeInterval: 0.3)
            finished.store(true, ordering: .sequentiallyConsistent)
        }
        XCTAssertEqual(started.wait(timeout: .now() + 5), .success)
        timer.stop()
        XCTAssertTrue(finished.load(ordering: .sequentiallyConsistent), "stop returned while the task was still running")
        let runsAtStop = runs.load(ordering: .sequentiallyConsistent)
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertEqual(runs.load(ordering: .sequentiallyConsistent), runsAtStop, "the task ran after stop")
    }

    func testTheTaskCanStopItsOwnTimer() {
        let timer = PeriodicTimer(label: "test.timer.self", period: .milliseconds(10))
        let stopped = DispatchSemaphore(value: 0)
        timer.start {
            timer.stop()
            stopped.signal()
        }
        XCTAssertEqual(stopped.wait(timeout: .now() + 5), .success, "stopping from the task itself must not wait for itself")
        timer.stop()
    }
}
