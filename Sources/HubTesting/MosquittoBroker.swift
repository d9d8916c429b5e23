import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real Mosquitto broker for tests, on a free loopback port, with persistence in its own
/// temporary folder so that `stop()` / `start()` behave like a broker restart in production.
///
/// The broker queues without limit for offline persistent sessions (`max_queued_messages 0`;
/// Mosquitto's default of 1000 drops the rest). `deinit` kills it and removes its folder.
public final class MosquittoBroker: @unchecked Sendable {
    // @unchecked Sendable: `process` is read and written only while `lock` is held; everything
    // else is immutable.

    /// The address the broker listens on.
    public let host = "127.0.0.1"
    /// The port it listens on: chosen free at creation, kept across `stop()` / `start()`.
    public let port: Int
    /// The broker's folder: configuration, persistence file, log.
    public let directory: URL
    /// The configuration file written at creation.
    public let configurationFile: URL
    /// The broker's log (`log_dest file`).
    public let logFile: URL
    /// What the broker printed before its log was open (configuration errors).
    private let outputFile: URL
    private let executable: URL
    private let lock = NSLock()
    private var process: Process?

    /// Writes a configuration and starts the broker.
    ///
    /// - Parameters:
    ///   - users: user names and passwords; when not empty, anonymous clients are refused and these
    ///     go to a password file made with `mosquitto_passwd`.
    ///   - tls: when set, the listener speaks TLS with this broker certificate.
    ///   - extraConfiguration: more `mosquitto.conf` lines, appended as they are.
    /// - Throws: `TestSupportError` when a tool is missing or the broker does not start.
    public init(users: [String: String] = [:], tls: TestCertificates? = nil, extraConfiguration: [String] = []) throws {
        executable = try ExternalProgram.locate("mosquitto")
        port = try Self.freeLoopbackPort()
        directory = try TemporaryDirectory.make(prefix: "mosquitto")
        configurationFile = directory.appendingPathComponent("mosquitto.conf")
        logFile = directory.appendingPathComponent("mosquitto.log")
        outputFile = directory.appendingPathComponent("mosquitto.out")

        var lines = [
            "listener \(port) \(host)",
            "persistence true",
            "persistence_location \(directory.path)/",
            "autosave_interval 1",
            "max_queued_messages 0",
            "max_inflight_messages 100",
            "log_dest file \(logFile.path)",
            "log_type error", "log_type warning", "log_type notice", "log_type information", "log_type subscribe",
            "log_timestamp_format %Y-%m-%dT%H:%M:%S",
            // Run as whoever runs the tests: as root, Mosquitto would switch to user `mosquitto`,
            // who cannot write to this folder.
            "user \(Self.currentUserName())",
        ]
        if users.isEmpty {
            lines.append("allow_anonymous true")
        } else {
            let passwordFile = directory.appendingPathComponent("passwords").path
            for (index, (user, password)) in users.sorted(by: { $0.key < $1.key }).enumerated() {
                try ExternalProgram.runTool("mosquitto_passwd", (index == 0 ? ["-c"] : []) + ["-b", passwordFile, user, password])
            }
            lines += ["allow_anonymous false", "password_file \(passwordFile)"]
        }
        if let tls {
            lines += ["cafile \(tls.caFile)", "certfile \(tls.serverCertFile)", "keyfile \(tls.serverKeyFile)"]
        }
        lines += extraConfiguration
        do {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: configurationFile)
        } catch {
            throw TestSupportError(.commandFailed, "cannot write \(configurationFile.path): \(error)")
        }
        try start()
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// True while the broker process runs.
    public var isRunning: Bool {
        lock.withLock { process?.isRunning ?? false }
    }

    /// Starts the broker (again) on the same port with the same persistence folder, and waits until
    /// it accepts TCP connections. Does nothing when it is running.
    ///
    /// - Throws: `TestSupportError.brokerDidNotStart` with the broker's log when it exits or does not
    ///   listen within 10 seconds.
    public func start() throws {
        // The port was free when chosen, but another program may take it meanwhile, or hold it for
        // a moment: a broker that exits at once is retried.
        var attempt = 1
        while true {
            do {
                return try startOnce()
            } catch let error as TestSupportError where error.message.hasPrefix("mosquitto exited at start") && attempt < 5 {
                attempt += 1
                usleep(300_000)
            }
        }
    }

    private func startOnce() throws {
        try lock.withLock {
            if let process, process.isRunning { return }
            if !FileManager.default.fileExists(atPath: outputFile.path) {
                guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
                    throw TestSupportError(.commandFailed, "cannot create \(outputFile.path)")
                }
            }
            let output = try FileHandle(forWritingTo: outputFile)
            output.seekToEndOfFile()
            let process = Process()
            process.executableURL = executable
            process.arguments = ["-c", configurationFile.path]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            do {
                try process.run()
            } catch {
                throw TestSupportError(.brokerDidNotStart, "cannot run \(executable.path): \(error)")
            }
            try? output.close()  // the broker has its own copy of the descriptor
            self.process = process
        }
        let deadline = Date(timeIntervalSinceNow: 10)
        while !Self.acceptsConnections(port: port) {
            guard isRunning else {
                throw TestSupportError(.brokerDidNotStart, "mosquitto exited at start:\n\(logText)")
            }
            guard Date() < deadline else {
                throw TestSupportError(.brokerDidNotStart, "mosquitto does not listen on port \(port) after 10 s:\n\(logText)")
            }
            usleep(20_000)
        }
    }

    /// Stops the broker with SIGTERM and waits until it has exited, so it has saved its persistence
    /// file (SIGKILL after 10 seconds). Does nothing when it is not running.
    public func stop() {
        lock.withLock {
            guard let process, process.isRunning else { return }
            process.terminate()
            let deadline = Date(timeIntervalSinceNow: 10)
            while process.isRunning, Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Stops and starts the broker: its clients lose their connections, persistent sessions and
    /// queued messages survive.
    public func restart() throws {
        stop()
        try start()
    }

    /// The broker's log so far and anything it printed before opening it, for failure messages.
    public var logText: String {
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return read(outputFile) + read(logFile)
    }

    // MARK: - Sockets

    /// A loopback port nothing listens on now, outside the range client sockets are given.
    public static func freeLoopbackPort() throws -> Int {
        // Ports below Linux's ephemeral range (32768-60999) are never handed to client sockets, so
        // a broker restarted on the same port cannot find it taken by a connection the tests made.
        for _ in 0..<100 {
            let candidate = Int.random(in: 20_000..<32_768)
            if try canBind(port: candidate) { return candidate }
        }
        throw TestSupportError(.brokerDidNotStart, "no free loopback port found in 20000-32767")
    }

    private static func canBind(port: Int) throws -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw socketError("socket") }
        defer { close(socketFD) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port` now.
    private static func acceptsConnections(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func socketError(_ what: String) -> TestSupportError {
        TestSupportError(.commandFailed, "\(what) failed: \(String(cString: strerror(errno)))")
    }

    /// Who runs the tests, for a broker's `user` line (as root, Mosquitto would switch to `mosquitto`).
    public static func currentUserName() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "root" }
        return String(cString: name)
    }
}
