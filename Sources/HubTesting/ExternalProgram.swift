import Foundation

/// Programs a test runs as child processes: the tools the helpers need (`mosquitto`, `openssl`),
/// and the project's own executables (`hub`, `hub-bench`) built beside the test bundle.
public enum ExternalProgram {
    /// What a finished program printed and how it ended.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything it wrote to standard output.
        public var output: String
        /// Everything it wrote to standard error.
        public var errors: String
    }

    /// Finds a program on `PATH`, then in the system folders that `PATH` often lacks.
    public static func locate(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestSupportError(.toolNotFound, "\(name) is not installed (looked in \(folders.joined(separator: ":")))")
    }

    /// One of the package's executables (`hub`), built beside the test bundle by `swift build --build-tests`.
    public static func built(_ name: String) throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestSupportError(.toolNotFound, "\(name) executable not found in \(candidates.map(\.path))")
        }
        return found
    }

    /// Runs `executable` with `arguments` to completion and returns what it printed. Its output goes
    /// through files, so a program that writes a lot to both streams cannot block on a full pipe.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> Result {
        let folder = try TemporaryDirectory.make(prefix: "program")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("stdout")
        let errorFile = folder.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil),
              FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw TestSupportError(.commandFailed, "cannot create the output files in \(folder.path)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      output: String(decoding: try Data(contentsOf: outputFile), as: UTF8.self),
                      errors: String(decoding: try Data(contentsOf: errorFile), as: UTF8.self))
    }

    /// Runs the program `name` found on `PATH`; throws with what it printed when it fails.
    static func runTool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws {
        let result = try run(try locate(name), arguments, in: directory)
        guard result.status == 0 else {
            throw TestSupportError(.commandFailed,
                                   "\(name) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)\(result.errors)")
        }
    }
}
