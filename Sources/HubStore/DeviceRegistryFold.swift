import HubCore

/// The device registry's changes for one batch, folded in memory from the events the batch stored
/// and written once per device (`SchemaMigration` 2 did this per event in triggers).
///
/// The rules are the triggers' own, in their order for each event (SQLite fired the newer
/// `devices_status` trigger first, then `devices_heard`):
/// - an inactive/active event of a device's own entity sets or clears `inactive_since`, when the
///   device is registered;
/// - an event naming a device (`refDevice`'s value, or the entity of a `Device` event) registers it
///   or counts one more message, unless it shares the last message's `received_at` (one message
///   yielding several events counts once); the latest message's route and RSSI win, an event
///   without RSSI keeps the last one known.
struct DeviceRegistryFold {
    /// One registry row.
    struct Row {
        var route: String
        var firstSeen: Int64
        var lastSeen: Int64
        var messageCount: Int64
        var lastRSSI: Double?
        var inactiveSince: Int64?
    }

    /// The rows the batch touched, by device: nil for a device not registered.
    private var rows: [String: Row?] = [:]
    /// The order devices were first touched in, so the writes are deterministic.
    private var touched: [String] = []

    /// Applies one stored event, reading a device's row from the connection the first time it is touched.
    mutating func apply(_ event: Event, on connection: SQLiteConnection) throws {
        if event.type == "DeviceInactive" || event.type == "DeviceActive" {
            if var row = try self.row(event.entity, on: connection) {
                row.inactiveSince = event.type == "DeviceInactive" ? event.observedAt.microsecondsSinceEpoch : nil
                rows[event.entity] = row
            }
        }
        guard let device = Self.device(of: event) else { return }
        let received = event.receivedAt.microsecondsSinceEpoch
        let rssi = Self.number(event.attributes["rssi"])
        guard var row = try self.row(device, on: connection) else {
            rows[device] = Row(route: event.route, firstSeen: received, lastSeen: received, messageCount: 1, lastRSSI: rssi)
            return
        }
        if received != row.lastSeen { row.messageCount += 1 }
        if received >= row.lastSeen {
            row.route = event.route
            row.lastRSSI = rssi ?? row.lastRSSI
        }
        row.firstSeen = min(row.firstSeen, received)
        row.lastSeen = max(row.lastSeen, received)
        rows[device] = row
    }

    /// Writes every touched row that exists.
    func write(on connection: SQLiteConnection) throws {
        let upsert = try connection.statement(StoreSQL.upsertDevice)
        for device in touched {
            guard let row = rows[device] ?? nil else { continue }
            try upsert.execute([
                .text(device), .text(row.route), .integer(row.firstSeen), .integer(row.lastSeen), .integer(row.messageCount),
                .real(row.lastRSSI), row.inactiveSince.map(SQLiteValue.integer) ?? .null,
            ])
        }
    }

    /// Keeps the committed rows in the connection's memory (`SQLiteConnection.knownDevices`), so the
    /// next batches do not read them again; call it only once the batch's transaction committed.
    func remember(on connection: SQLiteConnection) {
        if connection.knownDevices.count > 100_000 { connection.knownDevices.removeAll() }
        for device in touched {
            if let row = rows[device] ?? nil { connection.knownDevices[device] = row }
        }
    }

    private mutating func row(_ device: String, on connection: SQLiteConnection) throws -> Row? {
        if let known = rows[device] { return known }
        if let remembered = connection.knownDevices[device] {
            rows[device] = remembered
            touched.append(device)
            return remembered
        }
        let stored = try connection.query(StoreSQL.deviceByURN, [.text(device)]) { row in
            Row(route: row.text(0), firstSeen: row.int64(1), lastSeen: row.int64(2), messageCount: row.int64(3),
                lastRSSI: row.double(4), inactiveSince: row.isNull(5) ? nil : row.int64(5))
        }.first
        rows[device] = .some(stored)
        touched.append(device)
        return stored
    }

    /// The device an event names: its `refDevice` value as text (what `json_extract` gave the
    /// trigger, stored in a TEXT column), or its own entity when it is a `Device`.
    static func device(of event: Event) -> String? {
        switch event.attributes["refDevice"] {
        case .text(let text)?: return text
        case .number(let number, _)? where number.isFinite:
            var text = ""
            JSONText.appendNumber(number, to: &text)
            return text
        case .boolean(let flag)?: return flag ? "1" : "0"
        case .number?, .json?, nil: return event.type == "Device" ? event.entity : nil
        }
    }

    /// An attribute's value as the REAL column keeps it: numbers, booleans as 1 and 0, numeric text.
    static func number(_ value: Value?) -> Double? {
        switch value {
        case .number(let number, _)?: return number.isFinite ? number : nil
        case .boolean(let flag)?: return flag ? 1 : 0
        case .text(let text)?: return Double(text).flatMap { $0.isFinite ? $0 : nil }
        case .json?, nil: return nil
        }
    }
}
