import HubServices

extension PostgresStore {
    /// How the PostgreSQL store keeps what it stores.
    public struct Options: Sendable, Hashable {
        /// Whether each batch folds its numeric attributes into the hourly roll-ups.
        public var maintainsRollups: Bool
        /// What expires, and when (`sweepExpired`).
        public var retention: RetentionPolicy
        /// How often the background sweep runs when the policy expires anything; nil runs none
        /// (the hub then sweeps from the one hub holding the retention lease).
        public var retentionPeriod: Duration?
        /// How many connections serve reads at once (the API's requests, the stages' reads); at least 1.
        public var readConnections: Int

        /// Options with the hub's defaults: roll-ups kept, nothing expires.
        public init(maintainsRollups: Bool = true, retention: RetentionPolicy = RetentionPolicy(),
                    retentionPeriod: Duration? = nil, readConnections: Int = 4) {
            self.maintainsRollups = maintainsRollups
            self.retention = retention
            self.retentionPeriod = retentionPeriod
            self.readConnections = readConnections
        }
    }
}
