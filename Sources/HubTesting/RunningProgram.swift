import Foundation

/// A program running in the background while a test goes on (`hub run`), everything it prints in
/// a log file; killed if the test forgets to stop it.
public final class RunningProgram {
    private let process = Process()
    private let logFile: URL

    /// Starts `executable` with `arguments`, its standard output and error going to `logFile`.
    public init(_ executable: URL, _ arguments: [String], logFile: URL) throws {
        self.logFile = logFile
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw TestSupportError(.commandFailed, "cannot create \(logFile.path)")
        }
        process.executableURL = executable
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The program's process id (to change its limits with `prlimit --pid`, say).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Its resident memory now (VmRSS of /proc/<pid>/status), 0 once it has ended.
    public var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return kilobytes * 1024
    }

    /// What the program has printed so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits up to `timeout` seconds for the program to end; returns its exit status.
    public func terminate(timeout: TimeInterval = 30) throws -> Int32 {
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw TestSupportError(.commandFailed, "\(process.executableURL?.lastPathComponent ?? "the program") did not stop within \(Int(timeout)) s after SIGTERM")
        }
        return process.terminationStatus
    }

    /// Kills the program at once (SIGKILL, as the OOM killer or a power-cycled container would
    /// end it) and waits for it to be gone.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
