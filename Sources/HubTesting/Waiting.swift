import Foundation

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; true when it held.
/// Tests use it instead of sleeping for a fixed time.
public func waitUntil(timeout: TimeInterval = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.002)
    }
    return try condition()
}
