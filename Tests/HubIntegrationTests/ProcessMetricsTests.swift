import Foundation
@testable import HubRuntime
import HubServices
import XCTest

/// The `process_*` metrics, read from /proc, against what the kernel says by other means.
final class ProcessMetricsTests: XCTestCase {
    private func values() -> [String: Double] {
        Dictionary(uniqueKeysWithValues: ProcessMetrics().metricFamilies().compactMap { family in
            family.samples.first.map { (family.name, $0.value) }
        })
    }

    func testTheValuesAreTheProcesssOwn() throws {
        let before = values()
        XCTAssertEqual(Set(before.keys), ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                                          "process_open_fds", "process_max_fds", "process_start_time_seconds"])
        // Resident memory: /proc/self/status says it in kB.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let rssLine = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let rss = try XCTUnwrap(Double(rssLine.split(separator: " ").dropFirst().first ?? "")) * 1024
        XCTAssertEqual(try XCTUnwrap(before["process_resident_memory_bytes"]), rss, accuracy: 16 * 1024 * 1024)
        XCTAssertGreaterThan(try XCTUnwrap(before["process_virtual_memory_bytes"]), rss)

        // Open files: twenty more while they are open.
        let handles = try (0..<20).map { _ in try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/stat")) }
        let opened = values()
        handles.forEach { try? $0.close() }
        XCTAssertEqual(try XCTUnwrap(opened["process_open_fds"]) - (try XCTUnwrap(before["process_open_fds"])), 20, accuracy: 2)

        // CPU: half a second of this thread's own CPU time shows, however loaded the machine (the
        // loop runs until the thread has had its half second, not for half a second of clock).
        let wallStart = Date()
        let threadStart = Self.threadCPUSeconds()
        var spin = 0.0
        while Self.threadCPUSeconds() - threadStart < 0.5 { spin += sin(spin) + 1 }
        XCTAssertGreaterThan(spin, 0)
        let cpu = try XCTUnwrap(values()["process_cpu_seconds_total"]) - (try XCTUnwrap(before["process_cpu_seconds_total"]))
        let wall = Date().timeIntervalSince(wallStart)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        XCTAssertGreaterThanOrEqual(cpu, 0.5 - 0.02, "\(cpu) s of process CPU around a 0.5 s busy loop (ticks are 10 ms)")
        XCTAssertLessThanOrEqual(cpu, wall * cores + 0.5, "\(cpu) s of process CPU in \(wall) s on \(Int(cores)) cores")

        // Start time: in the past, after the machine booted, within the hours a test run takes.
        let start = try XCTUnwrap(before["process_start_time_seconds"])
        let now = Date().timeIntervalSince1970
        XCTAssertTrue((now - 6 * 3600...now).contains(start), "started at \(start), now \(now)")

        // The open-files limit: what the shell a child inherits reports.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "ulimit -n"]
        let pipe = Pipe()
        shell.standardOutput = pipe
        try shell.run()
        shell.waitUntilExit()
        let limit = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(before["process_max_fds"].map { String(Int($0)) }, limit)
    }

    func testACommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        let stat = "4242 (hub (worker) 1) S 1 4242 4242 0 -1 4194560 500 0 0 0 250 120 0 0 20 0 9 0 123456 987654321 2048 18446744073709551615"
        let fields = ProcessMetrics.fields(ofStat: stat) ?? []
        XCTAssertEqual(ProcessMetrics.field(3, of: fields), nil, "the state is a letter")
        XCTAssertEqual(ProcessMetrics.field(14, of: fields), 250)
        XCTAssertEqual(ProcessMetrics.field(15, of: fields), 120)
        XCTAssertEqual(ProcessMetrics.field(22, of: fields), 123456)
        XCTAssertEqual(ProcessMetrics.field(23, of: fields), 987654321)
        XCTAssertEqual(ProcessMetrics.field(24, of: fields), 2048)
        XCTAssertEqual(ProcessMetrics.bootTime(inSystemStat: "cpu  1 2 3\nbtime 1795300000\nprocesses 9\n"), 1_795_300_000)
        XCTAssertEqual(ProcessMetrics.openFilesLimit(inLimits: "Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 524288               files\n"), 1024)
    }

    /// The CPU time this thread has used, in seconds.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
