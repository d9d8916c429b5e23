extension SQLiteStore {
    /// How the SQLite store trades durability for speed, and how long it waits for a locked database.
    public struct Options: Sendable, Hashable {
        /// SQLite's `PRAGMA synchronous` level in WAL mode.
        public enum Synchronous: String, Sendable, Hashable, CaseIterable {
            /// Commits survive a crash of the hub; the last commits before a power loss may be lost
            /// (the database stays consistent). The default.
            case normal = "NORMAL"
            /// Every commit is on disk before `write` returns, at the cost of an fsync per commit.
            case full = "FULL"
        }

        /// When commits reach the disk.
        public var synchronous: Synchronous
        /// How long a statement waits for another connection's lock before failing with `busy`.
        public var busyTimeout: Duration
        /// How often the write-ahead log is folded into the database file, in the background.
        public var checkpointPeriod: Duration

        /// Options with `synchronous` NORMAL, a 5 s busy timeout and a checkpoint every 500 ms unless told otherwise.
        public init(synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(5),
                    checkpointPeriod: Duration = .milliseconds(500)) {
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.checkpointPeriod = checkpointPeriod
        }
    }
}
