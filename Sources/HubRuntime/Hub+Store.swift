import HubCore
import HubServices
import HubStore

extension Hub {
    /// The store the configuration names: the embedded SQLite file unless `store.postgres` is set.
    public static func openStore(_ settings: HubConfiguration.Store, logger: Logger) throws -> any HubDatabase {
        guard settings.postgres == nil else {
            throw SettingsError(path: "store.postgres", message: "this build has no PostgreSQL store")
        }
        return try SQLiteStore(
            path: settings.path,
            options: SQLiteStore.Options(synchronous: settings.synchronousFull ? .full : .normal,
                                         walLimitBytes: settings.walLimitBytes,
                                         retention: settings.retention,
                                         readConnections: settings.readConnections),
            logger: logger)
    }
}
