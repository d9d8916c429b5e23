import Foundation
import HubTesting

/// The repository these tests check: its root (found from this file's path) and what git tracks in it.
enum Repository {
    /// The folder holding Package.swift: Tests/RepositoryTests/Repository.swift, three levels up.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The path of `url` relative to the root, as it is written from the root (`Plugins/Sensors/JSON`).
    static func relativePath(_ url: URL) -> String {
        let base = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    /// Every file git tracks (`git ls-files`), relative to the root.
    static func trackedFiles() throws -> [String] {
        let git = try ExternalProgram.run(ExternalProgram.locate("git"), ["ls-files", "-z"], in: root)
        guard git.status == 0 else {
            throw RepositoryError("git ls-files in \(root.path) exited with \(git.status): \(git.errors)")
        }
        return git.output.split(separator: "\0").map(String.init)
    }
}

/// Something about the repository that a check could not read.
struct RepositoryError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
