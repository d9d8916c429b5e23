import Foundation

/// One run of `official-verdicts.py` on many files, started at once and read when needed.
struct OfficialArtefactRun {
    /// What the script prints per file.
    struct Verdict: Decodable {
        struct Failure: Decodable {
            let id: String
            let flag: String
        }

        let failed: [Failure]?
        let error: String?
    }

    let process: Process
    let output: Pipe
    let errors: URL

    init(python: URL, script: URL, syntax: InvoiceSyntax, files: [URL], scratch: URL) throws {
        process = Process()
        process.executableURL = python
        process.arguments = [script.path, syntax.rawValue] + files.map(\.path)
        output = Pipe()
        process.standardOutput = output
        errors = scratch.appendingPathComponent("\(syntax.rawValue)-artefact.log")
        try Data().write(to: errors)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    /// Waits for the script and reads its verdicts, by file path.
    func verdicts() throws -> [String: Verdict] {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw DifferentialError("official-verdicts.py exited with \(process.terminationStatus) "
                + "(run scripts/test, which installs saxonche into .venv):\n\(log.suffix(2000))")
        }
        return try JSONDecoder().decode([String: Verdict].self, from: data)
    }
}
