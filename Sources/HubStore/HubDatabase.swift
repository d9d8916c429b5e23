/// Everything the running hub asks of its store: the batch writes (`Store`) and the reads and
/// upkeep of each concern. `SQLiteStore` is one; the API and the hub's stages take `any HubDatabase`
/// so that another backend answers the same.
public typealias HubDatabase = Store & EventReading & DeviceRegistryReading & DeadLetterKeeping & DocumentReading
    & TokenKeeping & AlarmKeeping & DeliveryOutbox & StoreUpkeep

/// The bounds every store backend applies to a read, so that the API's pages are the same whatever the engine.
public enum StoreLimits {
    /// The most items one page of a listing holds.
    public static let maximumPageSize = 1000
    /// The most buckets one series read returns (a year of hours is 8,784).
    public static let maximumSeriesPoints = 10_000
}
