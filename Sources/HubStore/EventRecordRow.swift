import HubCore

/// A listed event as its row is read, before anything of it is copied out: its names (from the read
/// connection's `ReadDictionary`), times and location, and its id and attributes still in the row,
/// written straight into a page (`writeID(to:)`, `writeAttributes(to:)`) or copied out as an
/// `EventRecord` (`record()`), the same text either way.
///
/// `EventReading.forEachEventRecord(matching:before:limit:_:)` hands one over per row; it is valid
/// only inside that call (a SQLite row's bytes are SQLite's until the next step). A backend that
/// reads its rows into records first hands over each record (`init(_:)`).
public struct EventRecordRow {
    /// Its place in the order events were stored (as `StoredEvent.seq`).
    public let seq: Int64
    /// The kind of observation.
    public let type: String
    /// The entity it is about.
    public let entity: String
    /// When the observation was made.
    public let observedAt: Timestamp
    /// When the hub received it.
    public let receivedAt: Timestamp
    /// The route it came through.
    public let route: String
    /// Where it was observed, when known.
    public let location: GeoPoint?

    /// Where the id and attributes are read from.
    private let source: Source

    /// A SQLite row still being read, or a record already copied out.
    private enum Source {
        /// A row of `SQLiteStore.listingColumns`, with the attribute template of a row stored as a
        /// template and numbers (nil for a whole JSON).
        case row(PreparedStatement.Row, template: ReadDictionary.Template?)
        /// A record read whole.
        case record(EventRecord)
    }

    /// The row `row` stands on, a row of `SQLiteStore.listingColumns` read on `connection`.
    init(_ row: PreparedStatement.Row, on connection: SQLiteConnection) throws {
        seq = row.int64(10)
        type = try connection.readDictionary.name(row.int64(1), on: connection)
        entity = try connection.readDictionary.name(row.int64(2), on: connection)
        route = try connection.readDictionary.name(row.int64(5), on: connection)
        observedAt = Timestamp(microsecondsSinceEpoch: row.int64(3))
        receivedAt = Timestamp(microsecondsSinceEpoch: row.int64(4))
        location = SQLiteStore.location(from: row)
        let template = row.isNull(9) ? nil : try connection.readDictionary.template(row.int64(9), on: connection)
        source = .row(row, template: template)
    }

    /// The row of a record a backend read whole.
    public init(_ record: EventRecord) {
        seq = record.seq
        type = record.type
        entity = record.entity
        observedAt = record.observedAt
        receivedAt = record.receivedAt
        route = record.route
        location = record.location
        source = .record(record)
    }

    /// The event's id, spelled from its stored form (`EventKey.id(in:column:observedAt:)`).
    public var id: EventID {
        switch source {
        case .row(let row, _): EventKey.id(in: row, column: 0, observedAt: observedAt.microsecondsSinceEpoch)
        case .record(let record): record.id
        }
    }

    /// Appends the id to `out` as a JSON string (as `out.appendString(id.rawValue)` would).
    public func writeID(to out: inout JSONOutput) {
        guard case .row(let row, _) = source else { return out.appendString(id.rawValue) }
        let written: Void? = EventKey.withDigits(in: row, column: 0, observedAt: observedAt.microsecondsSinceEpoch) { digits in
            out.append("\"")
            out.append(verbatim: digits)
            out.append("\"")
        }
        if written == nil { out.appendString(row.text(0)) }
    }

    /// The attributes as `Event.attributesJSON` gives them for the event read whole: as stored when
    /// reading them into values would give the same text (`StoredAttributes`), else through the values.
    ///
    /// - Throws: `StoreError.invalidRow` when the stored text is not a JSON object, or its values do
    ///   not fit their template.
    public var attributesJSON: String {
        get throws {
            guard case .row(let row, let template) = source else { return try attributesThroughValues() }
            if let template, template.isCanonical,
               let text = row.withBytes(8, { StoredAttributes.canonicalText(template: template.text, values: $0) }) {
                return text
            }
            return try attributesThroughValues()
        }
    }

    /// Appends `attributesJSON` to `out`: the template and numbers copied straight into it when
    /// they are given as stored.
    public func writeAttributes(to out: inout JSONOutput) throws {
        guard case .row(let row, let template) = source else { return out.append(verbatim: try attributesThroughValues()) }
        if let template, template.isCanonical,
           row.withBytes(8, { StoredAttributes.writeCanonicalText(template: template.text, values: $0, to: &out) }) {
            return
        }
        out.append(verbatim: try attributesThroughValues())
    }

    /// The attribute text read into values and rendered again (what `SQLiteStore.event(from:)` does);
    /// a record's text as it is.
    private func attributesThroughValues() throws -> String {
        switch source {
        case .record(let record):
            return record.attributesJSON
        case .row(let row, let template):
            let id = self.id.rawValue
            var text = row.text(8)
            if let template { text = try StoredAttributes.joined(template: template.text, values: text, event: id) }
            return Event.render(try StoredAttributes.values(of: text, event: id))
        }
    }

    /// The record, copied out of the row.
    public func record() throws -> EventRecord {
        EventRecord(seq: seq, id: id, type: type, entity: entity, observedAt: observedAt, receivedAt: receivedAt,
                    route: route, location: location, attributesJSON: try attributesJSON)
    }
}
