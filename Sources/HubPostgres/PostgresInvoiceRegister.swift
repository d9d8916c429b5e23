import HubCore
import HubStore

/// `InvoiceRegister` on PostgreSQL: the same keys and the same duplicate marking, kept in the
/// batch's transaction. The first document of a key is recorded with `ON CONFLICT DO NOTHING`, so
/// that of two hubs receiving the same invoice number at once, the second waits for the first's
/// commit and then finds its document.
enum PostgresInvoiceRegister {
    /// Records `event` if it is a received invoice or a status change, and returns it as it must be
    /// stored: marked as a duplicate when a different document was registered under its key first.
    static func record(_ event: Event, on connection: PostgresConnection) throws -> Event {
        if event.type == InvoiceRegister.statusType, let number = event.attributes["invoiceNumber"]?.text, !number.isEmpty {
            try connection.execute("INSERT INTO invoice_status_numbers (number, entity) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                   [.text(number), .text(event.entity)])
            return event
        }
        guard event.type == InvoiceRegister.receivedType, let key = InvoiceRegister.key(of: event),
              let document = InvoiceRegister.document(of: event) else {
            return event
        }
        let keyValues: [PostgresValue] = [.text(key.seller), .text(key.number), .text(key.issueDate), .text(key.typeCode)]
        let added = try connection.execute("""
            INSERT INTO invoice_register (seller, number, issue_date, type_code, document, event_id, route, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
            """, keyValues + [.text(document), .text(event.id.rawValue), .text(event.route), .bigint(event.receivedAt.microsecondsSinceEpoch)])
        guard added == 0 else { return event }
        let first = try connection.query("""
            SELECT document, event_id, route, received_at FROM invoice_register
            WHERE seller = $1 AND number = $2 AND issue_date = $3 AND type_code = $4
            """, keyValues) { row in
            InvoiceRegister.Entry(document: row.text(0), eventID: row.text(1), route: row.text(2),
                                  receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(3)))
        }.first
        guard let first, first.document != document else { return event }
        return InvoiceRegister.markedDuplicate(event, key: key, first: first)
    }
}
