import Foundation

/// Runs the command-line tools the test helpers need (`mosquitto_passwd`, `openssl`).
enum ExternalCommand {
    /// Finds a program on `PATH`, then in the system folders that `PATH` often lacks.
    static func locate(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestSupportError(code: .toolNotFound, message: "\(name) is not installed (looked in \(folders.joined(separator: ":")))")
    }

    /// Runs `name` with `arguments` to completion; throws with its output when it fails.
    static func run(_ name: String, _ arguments: [String], in directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = try locate(name)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError(code: .commandFailed, message: "\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)")
        }
    }
}
