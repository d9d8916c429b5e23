import HubCore
import HubPostgres
import HubServices
import HubStore

extension Hub {
    /// The store the configuration names: the embedded SQLite file, or the PostgreSQL server of
    /// `store.postgres`. SQLite sweeps expired rows by itself; on PostgreSQL, which several hubs may
    /// share, the hub holding the `retention` lease does (`retentionSweep`).
    public static func openStore(_ settings: HubConfiguration.Store, logger: Logger) throws -> any HubDatabase {
        if let postgres = settings.postgres {
            return try PostgresStore(url: postgres.url,
                                     options: PostgresStore.Options(retention: settings.retention, retentionPeriod: nil,
                                                                    readConnections: settings.readConnections),
                                     logger: logger)
        }
        return try SQLiteStore(
            path: settings.path,
            options: SQLiteStore.Options(synchronous: settings.synchronousFull ? .full : .normal,
                                         walLimitBytes: settings.walLimitBytes,
                                         retention: settings.retention,
                                         readConnections: settings.readConnections),
            logger: logger)
    }

    /// How often the hub holding the `retention` lease sweeps a shared store.
    static let retentionPeriod = Duration.seconds(600)

    /// Whether the hub, rather than the store, runs the retention sweep: on PostgreSQL when
    /// anything expires (one hub of the fleet at a time, by lease).
    static func sweepsRetention(_ settings: HubConfiguration.Store) -> Bool {
        settings.postgres != nil && settings.retention.expiresAnything
    }
}
