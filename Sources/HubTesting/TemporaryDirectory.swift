import Foundation

/// Fresh folders for tests, under the system's temporary directory.
public enum TemporaryDirectory {
    /// Creates a new empty folder named `<prefix>-<random>` and returns its URL. The caller removes it.
    ///
    /// - Throws: the file system's error when the folder cannot be created.
    public static func make(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
