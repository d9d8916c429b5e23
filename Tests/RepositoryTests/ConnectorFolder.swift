import Foundation

/// A connector's folder, `Plugins/<Family>/<Connector>/`: a README whose first heading begins with the
/// connector's id in backticks (``# `sensors.json`: ...``), a `sample.<ext>` and a `settings.json`.
/// Other folders of a family (shared helpers such as `Sensors/Codecs`) have no such heading and no sample.
struct ConnectorFolder {
    /// The folder, e.g. `Plugins/Sensors/JSON`, relative to the repository's root.
    var path: String
    /// The id its README's first heading names, or nil when the heading does not begin with one.
    var id: String?
    /// The README's text, when there is one.
    var readme: String?
    /// The names of its files that begin with `sample.`.
    var samples: [String]
    /// Whether it holds `settings.json`.
    var hasSettings: Bool

    /// Every folder directly under a family's folder, `Plugins/*/*/`, sorted by path.
    static func all(in root: URL = Repository.root) throws -> [ConnectorFolder] {
        let files = FileManager.default
        let plugins = root.appendingPathComponent("Plugins")
        var folders: [ConnectorFolder] = []
        for family in try subfolders(of: plugins, files) {
            for folder in try subfolders(of: family, files) {
                let names = try files.contentsOfDirectory(atPath: folder.path)
                let readme = try? String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
                folders.append(ConnectorFolder(
                    path: Repository.relativePath(folder), id: readme.flatMap(connectorID(inReadme:)), readme: readme,
                    samples: names.filter { $0.hasPrefix("sample.") }.sorted(), hasSettings: names.contains("settings.json")))
            }
        }
        return folders.sorted { $0.path < $1.path }
    }

    /// The id in backticks at the start of the README's first heading: ``# `mobility.gbfs`: ...`` gives
    /// `mobility.gbfs`; nil when the first heading does not begin with a backticked word.
    static func connectorID(inReadme text: String) -> String? {
        guard let heading = text.split(separator: "\n", omittingEmptySubsequences: true).first(where: { $0.hasPrefix("#") }),
              heading.hasPrefix("# `") else { return nil }
        let rest = heading.dropFirst(3)
        guard let end = rest.firstIndex(of: "`"), end > rest.startIndex else { return nil }
        return String(rest[..<end])
    }

    private static func subfolders(of url: URL, _ files: FileManager) throws -> [URL] {
        try files.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.path < $1.path }
    }
}
