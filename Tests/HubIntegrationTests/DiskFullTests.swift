import Foundation
import HubCore
import HubStore
import HubTesting
import XCTest

/// The `hub` executable on a "disk" that fills up, with a real Mosquitto broker.
///
/// A test cannot count on mounting a small filesystem (CI runners often forbid it), so the disk is
/// a file-size limit: the hub runs under `prlimit --fsize` with SIGXFSZ ignored (`trap '' XFSZ`,
/// which `exec` keeps), so a write past the limit fails with EFBIG, as a write on a full disk fails
/// with ENOSPC: SQLite reports both as a failed commit. Raising the limit of the running process
/// (`prlimit --pid`) is the space being freed.
final class DiskFullTests: XCTestCase {
    /// Starts `hub run` limited to `bytes` per file.
    private func startLimitedHub(_ fixture: HubFixture, _ configuration: URL, bytes: Int, log: String) throws -> RunningProgram {
        let hub = try ExternalProgram.built("hub").path
        let prlimit = try ExternalProgram.locate("prlimit").path
        let script = "trap '' XFSZ; exec \(prlimit) --fsize=\(bytes):unlimited \(hub) run --config \(configuration.path) --log-level info"
        return try RunningProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", script],
                                  logFile: fixture.directory.appendingPathComponent(log))
    }

    /// Sets the soft limit (the hard one stays unlimited, so no privilege is needed to raise it again).
    private func setFileSizeLimit(_ program: RunningProgram, _ limit: String) throws {
        let result = try ExternalProgram.run(try ExternalProgram.locate("prlimit"),
                                             ["--pid", String(program.processIdentifier), "--fsize=\(limit):unlimited"])
        XCTAssertEqual(result.status, 0, result.errors)
    }

    /// Sent and acknowledged 12,000 (by the broker): 4,000 while there is room, 4,000 while the
    /// disk is full, then space is freed; 4,000 more while it is full again, and SIGTERM. Stored
    /// 12,000, lost 0, duplicated 0: the first outage is committed when space comes back, the second
    /// is spilled by the bounded stop and committed by the next start, with what the broker kept.
    func testDiskFullThenSpaceFreedAndAStopWhileFullLoseNothing() throws {
        let broker = try MosquittoBroker()
        let fixture = try HubFixture()
        let configuration = try fixture.writeConfiguration(port: broker.port, clientID: "hub-disk-full")
        let publisher = try makePublisher(broker, clientID: "gateway-disk-full")
        defer { publisher.stop() }

        let first = try startLimitedHub(fixture, configuration, bytes: 4 << 20, log: "first.log")
        let subscribed = try waitUntil(timeout: 30) {
            try publishReadings(0..<1, via: publisher)
            return try waitUntil(timeout: 1) { try fixture.eventCount() == 1 }
        }
        XCTAssertTrue(subscribed, first.log)
        try publishReadings(1..<4000, via: publisher)
        XCTAssertTrue(try waitUntil(timeout: 60) { try fixture.eventCount() == 4000 }, first.log)

        // The database cannot grow past what it holds now.
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: fixture.databasePath)[.size] as? Int)
        try setFileSizeLimit(first, String(size))
        try publishReadings(4000..<8000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { first.log.contains("intake paused") }, first.log)
        XCTAssertTrue(waitUntil(timeout: 30) { first.log.contains("pausing: disconnecting") }, first.log)
        XCTAssertLessThan(try fixture.eventCount(), 8000)

        try setFileSizeLimit(first, "unlimited")
        XCTAssertTrue(try waitUntil(timeout: 60) { try fixture.eventCount() == 8000 },
                      "stored \((try? fixture.eventCount()) ?? -1)\n\(first.log)")

        // Full again, and the operator stops the hub: the stop is bounded by stopTimeoutSeconds.
        let grown = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: fixture.databasePath)[.size] as? Int)
        try setFileSizeLimit(first, String(grown))
        try publishReadings(8000..<12000, via: publisher)
        XCTAssertTrue(waitUntil(timeout: 30) { first.log.components(separatedBy: "intake paused").count > 2 }, first.log)
        XCTAssertEqual(try first.terminate(timeout: 45), 0, first.log)

        let second = try RunningProgram(ExternalProgram.built("hub"), ["run", "--config", configuration.path, "--log-level", "info"],
                                        logFile: fixture.directory.appendingPathComponent("second.log"))
        XCTAssertTrue(try waitUntil(timeout: 60) { try fixture.eventCount() == 12000 },
                      "stored \((try? fixture.eventCount()) ?? -1)\n\(first.log)\n\(second.log)")
        XCTAssertEqual(try second.terminate(), 0, second.log)
        XCTAssertTrue(SpillFile.pending(besideDatabase: fixture.databasePath).isEmpty, second.log)
        try assertStoreHoldsExactly(0..<12000, databasePath: fixture.databasePath)
    }
}
