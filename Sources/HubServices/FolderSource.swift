import HubCore
/// A folder a route watches for dropped files.
public struct FolderSource: Sendable {
    /// The watched folder; outcomes move files to its `done/` and `failed/` sub-folders.
    public var path: String
    /// How often the folder is scanned.
    public var scanInterval: Duration
    /// The largest file accepted; a larger one becomes a dead letter without being read whole.
    public var maxBytes: Int

    /// Creates a folder source.
    public init(path: String, scanInterval: Duration = .seconds(2), maxBytes: Int = 32 << 20) {
        self.path = path
        self.scanInterval = scanInterval
        self.maxBytes = maxBytes
    }

    /// Reads a route's `folder` object: `path`, `scanIntervalSeconds` (or `scanIntervalMs`), `maxBytes`.
    ///
    /// A file is taken once two scans in a row saw the same size and modification time, so a
    /// slow writer is never read half-way; the scan interval is therefore also the settle time.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["path", "scanIntervalSeconds", "scanIntervalMs", "maxBytes"])
        let path = try settings.string("path")
        guard !path.isEmpty else { throw SettingsError(path: settings.path(of: "path"), message: "must not be empty") }
        self.init(
            path: path,
            scanInterval: try settings.optionalInteger("scanIntervalMs", in: 20...3_600_000).map { .milliseconds($0) }
                ?? .seconds(try settings.optionalInteger("scanIntervalSeconds", in: 1...3600) ?? 2),
            maxBytes: try settings.optionalInteger("maxBytes", in: 1...(1 << 30)) ?? 32 << 20)
    }
}
