import HubServices

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

        /// The write-ahead log's cap: past it, the next commit folds the log into the file and
        /// truncates it (`wal_checkpoint(TRUNCATE)`), and after any checkpoint that resets the log
        /// SQLite truncates it to this size (`journal_size_limit`).
        public var walLimitBytes: Int
        /// The largest string or blob to store, below SQLite's own limit; nil keeps SQLite's
        /// (1,000,000,000 bytes). Tests lower it to make "too big" cheap.
        public var largestValueBytes: Int?

        /// Whether commits keep the roll-ups (`RollupFold`); false only to measure what they cost
        /// (`hub bench rollups`): a store written without them serves incomplete series.
        public var maintainsRollups = true
        /// How many read-only connections serve reads at once (`ReadConnectionPool`).
        public var readConnections: Int
        /// What expires, and when (`sweepExpired`).
        public var retention: RetentionPolicy
        /// How often the background task sweeps expired records, when the policy expires anything
        /// (the first sweep runs a minute after opening).
        public var retentionPeriod: Duration

        /// Options with `synchronous` NORMAL, a 5 s busy timeout, a checkpoint every 500 ms, a
        /// 64 MiB log cap, four read connections and nothing expiring unless told otherwise.
        public init(synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(5),
                    checkpointPeriod: Duration = .milliseconds(500), walLimitBytes: Int = 64 << 20,
                    largestValueBytes: Int? = nil, retention: RetentionPolicy = RetentionPolicy(),
                    retentionPeriod: Duration = .seconds(600), readConnections: Int = 4) {
            self.readConnections = readConnections
            self.retention = retention
            self.retentionPeriod = retentionPeriod
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.checkpointPeriod = checkpointPeriod
            self.walLimitBytes = walLimitBytes
            self.largestValueBytes = largestValueBytes
        }
    }
}
