import HubCore

// The device registry: folded per batch as events are written (`DeviceRegistryFold`), read here.
extension SQLiteStore {
    private static let deviceColumns = "device, route, first_seen, last_seen, message_count, last_rssi, inactive_since"

    /// Every device the hub has heard from, by URN.
    public func devices() throws -> [DeviceRecord] {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.deviceColumns) FROM devices ORDER BY device", row: Self.device(from:))
        }
    }

    /// One device of the registry, if heard from.
    public func device(_ urn: String) throws -> DeviceRecord? {
        try withReadConnection { connection in
            try connection.query("SELECT \(Self.deviceColumns) FROM devices WHERE device = ?1", [.text(urn)], row: Self.device(from:)).first
        }
    }

    private static func device(from row: PreparedStatement.Row) -> DeviceRecord {
        DeviceRecord(
            device: row.text(0), route: row.text(1),
            firstSeen: Timestamp(microsecondsSinceEpoch: row.int64(2)), lastSeen: Timestamp(microsecondsSinceEpoch: row.int64(3)),
            messageCount: Int(row.int64(4)), lastRSSI: row.double(5),
            inactiveSince: row.isNull(6) ? nil : Timestamp(microsecondsSinceEpoch: row.int64(6)))
    }
}
