import HubPostgres
import HubServices

extension Hub {
    /// Where the configuration's hub keeps its leases on the tasks that run once in a fleet: the
    /// PostgreSQL database of `store.postgres` (the hubs sharing it share their leases), in this
    /// process's memory otherwise (a lone hub holds them all).
    ///
    /// - Throws: `PostgresError` when the database cannot be reached or its lease table created.
    public static func openLease(_ configuration: HubConfiguration) throws -> any SingletonLease {
        guard let postgres = configuration.store.postgres else { return LocalLease() }
        return try PostgresLease(url: postgres.url)
    }
}
