import HubCore

// Reads of the invoice register (`InvoiceRegister`), for the operations API's invoice view.
extension SQLiteStore {
    /// The Chorus Pro status changes (`InvoiceStatusChanged` events) of every Chorus Pro invoice
    /// whose status records gave the invoice number `number`, oldest observation first, leaving out
    /// the routes in `hiddenRoutes`, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    ///
    /// Found through the register's `invoice_status_numbers` and the events' entity index, never by
    /// reading every status event.
    public func invoiceStatuses(number: String, hiddenRoutes: [String] = [], limit: Int) throws -> [StoredEvent] {
        let (sql, values) = Self.invoiceStatusesQuery(number: number, hiddenRoutes: hiddenRoutes, limit: limit)
        return try withReadConnection { connection in
            try connection.query(sql, values) { row in
                StoredEvent(seq: row.int64(10), event: try Self.event(from: row))
            }
        }
    }

    /// The statement of `invoiceStatuses` and its parameters.
    static func invoiceStatusesQuery(number: String, hiddenRoutes: [String], limit: Int) -> (sql: String, values: [SQLiteValue]) {
        var clause = WhereClause()
        clause.add("""
            e.entity_id IN (SELECT names.id FROM invoice_status_numbers JOIN names ON names.name = invoice_status_numbers.entity \
            WHERE invoice_status_numbers.number = ?)
            """, .text(number))
        // `+e.type_id` is not an index term, so SQLite finds the rows by entity, never by type (every status).
        clause.add("+e.type_id = (SELECT id FROM names WHERE name = ?)", .text(InvoiceRegister.statusType))
        clause.addIn("route.name", hiddenRoutes, negated: true)
        let sql = "SELECT \(StoreSQL.eventColumns), e.seq FROM \(StoreSQL.eventSource)\(clause.text) ORDER BY e.observed_at, e.seq LIMIT ?"
        return (sql, clause.values + [.integer(Int64(pageSize(limit)))])
    }
}
