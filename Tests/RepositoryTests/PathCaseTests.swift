import Foundation
import XCTest

/// No two paths of the repository differ only by case: macOS's default file system does not tell
/// them apart, so such a checkout loses a file or a folder there and cannot build.
final class PathCaseTests: XCTestCase {
    func testNoTwoTrackedPathsDifferOnlyByCase() throws {
        let files = try Repository.trackedFiles()
        XCTAssertTrue(files.contains("Package.swift"), "git ls-files did not list the repository: \(files.prefix(5))")
        let collisions = Self.collisions(among: files)
        XCTAssertEqual(collisions, [], "paths that differ only by case (one file system folder on macOS): "
                       + collisions.map { $0.joined(separator: " and ") }.joined(separator: "; "))
    }

    func testCollisionsOfFoldersAndFilesAreFound() {
        XCTAssertEqual(Self.collisions(among: ["Sources/HubCore/Event.swift", "Sources/hubcore/x.swift", "README.md"]),
                       [["Sources/HubCore", "Sources/hubcore"]])
        XCTAssertEqual(Self.collisions(among: ["docs/Readme.md", "docs/README.md", "docs/readme.txt"]),
                       [["docs/README.md", "docs/Readme.md"]])
        XCTAssertEqual(Self.collisions(among: ["Plugins/Sensors/JSON/sample.json", "Plugins/Sensors/JSON/settings.json"]), [])
    }

    /// Groups of paths (the files and every folder above them) that are equal once case is ignored;
    /// a group is reported once, at the shortest path where it starts.
    static func collisions(among files: [String]) -> [[String]] {
        var paths = Set<String>()
        for file in files {
            var components = file.split(separator: "/").map(String.init)
            while !components.isEmpty {
                paths.insert(components.joined(separator: "/"))
                components.removeLast()
            }
        }
        let groups = Dictionary(grouping: paths) { $0.precomposedStringWithCanonicalMapping.lowercased() }
            .values.filter { $0.count > 1 }.map { $0.sorted() }
        // Below a colliding folder, its files collide only where their names also match; keep those
        // that do not start inside a group already reported.
        let folders = Set(groups.flatMap { $0 })
        return groups.filter { group in
            !group.contains { path in folders.contains { path.hasPrefix($0 + "/") } }
        }.sorted { $0[0] < $1[0] }
    }
}
