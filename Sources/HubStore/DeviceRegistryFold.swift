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
package struct DeviceRegistryFold {
    /// One registry row.
    package struct Row: Sendable {
        package var route: String
        package var firstSeen: Int64
        package var lastSeen: Int64
        package var messageCount: Int64
        package var lastRSSI: Double?
        package var inactiveSince: Int64?

        /// A row as read from a store.
        package init(route: String, firstSeen: Int64, lastSeen: Int64, messageCount: Int64, lastRSSI: Double?,
                     inactiveSince: Int64? = nil) {
            self.route = route
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.messageCount = messageCount
            self.lastRSSI = lastRSSI
            self.inactiveSince = inactiveSince
        }
    }

    /// The devices the batch touched, in the order first touched (so the writes are
    /// deterministic), each with its row: nil for a device not registered.
    private var touched: [(device: String, row: Row?)] = []
    /// The devices of `touched` whose row the store held before the batch.
    private var existed: Set<String> = []
    /// Where each touched device is in `touched`: one lookup per event.
    private var indexByDevice: [String: Int] = [:]

    /// An empty fold.
    package init() {}

    /// Applies one stored event, reading a device's row from the connection the first time it is touched.
    mutating func apply(_ event: Event, on connection: SQLiteConnection) throws {
        try apply(event) { device in try Self.row(of: device, on: connection) }
    }

    /// Applies one stored event; `lookUp` gives a device's stored row (nil: not registered) the
    /// first time the batch touches it.
    package mutating func apply(_ event: Event, lookUp: (String) throws -> Row?) throws {
        if event.type == "DeviceInactive" || event.type == "DeviceActive" {
            // Only a registered device's row (non-nil) changes.
            let index = try self.index(of: event.entity, lookUp: lookUp)
            touched[index].row?.inactiveSince = event.type == "DeviceInactive" ? event.observedAt.microsecondsSinceEpoch : nil
        }
        guard let device = Self.device(of: event) else { return }
        let received = event.receivedAt.microsecondsSinceEpoch
        let rssi = Self.number(event.attributes["rssi"])
        let index = try self.index(of: device, lookUp: lookUp)
        guard var row = touched[index].row else {
            touched[index].row = Row(route: event.route, firstSeen: received, lastSeen: received, messageCount: 1, lastRSSI: rssi)
            return
        }
        if received != row.lastSeen { row.messageCount += 1 }
        if received >= row.lastSeen {
            row.route = event.route
            row.lastRSSI = rssi ?? row.lastRSSI
        }
        row.firstSeen = min(row.firstSeen, received)
        row.lastSeen = max(row.lastSeen, received)
        touched[index].row = row
    }

    /// Every touched row that exists, in the order first touched, and whether the store held it
    /// before the batch (false: the batch registered it).
    package var changedRows: [(device: String, row: Row, existed: Bool)] {
        touched.compactMap { entry in entry.row.map { (entry.device, $0, existed.contains(entry.device)) } }
    }

    /// The devices an event may touch (`device(of:)`, and its own entity for a status event), to
    /// read their rows in one go.
    package static func devices(touchedBy event: Event) -> [String] {
        var devices: [String] = []
        if event.type == "DeviceInactive" || event.type == "DeviceActive" { devices.append(event.entity) }
        if let device = device(of: event) { devices.append(device) }
        return devices
    }

    /// Writes every touched row that exists.
    func write(on connection: SQLiteConnection) throws {
        let upsert = try connection.statement(StoreSQL.upsertDevice)
        for (device, row) in touched {
            guard let row else { continue }
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
        for (device, row) in touched {
            if let row { connection.knownDevices[device] = row }
        }
    }

    /// A device's row as the connection remembers it, or read from the table.
    private static func row(of device: String, on connection: SQLiteConnection) throws -> Row? {
        if let remembered = connection.knownDevices[device] { return remembered }
        return try connection.query(StoreSQL.deviceByURN, [.text(device)]) { row in
            Row(route: row.text(0), firstSeen: row.int64(1), lastSeen: row.int64(2), messageCount: row.int64(3),
                lastRSSI: row.double(4), inactiveSince: row.isNull(5) ? nil : row.int64(5))
        }.first
    }

    /// Where `device` is in `touched`, adding it with its row (`lookUp`) the first time.
    private mutating func index(of device: String, lookUp: (String) throws -> Row?) throws -> Int {
        if let index = indexByDevice[device] { return index }
        let row = try lookUp(device)
        if row != nil { existed.insert(device) }
        touched.append((device, row))
        indexByDevice[device] = touched.count - 1
        return touched.count - 1
    }

    /// The device an event names: its `refDevice` value as text (what `json_extract` gave the
    /// trigger, stored in a TEXT column), or its own entity when it is a `Device`.
    package static func device(of event: Event) -> String? {
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
