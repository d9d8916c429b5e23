import HubCore

// Reads of the invoice register (`InvoiceRegister`), for the operations API's invoice view.
extension SQLiteStore {
    /// The Chorus Pro status changes (`InvoiceStatusChanged` events) of every Chorus Pro invoice
    /// whose status records gave the invoice number `number`, oldest observation first, leaving out
    /// the routes in `hiddenRoutes`, at most `limit` (capped at `maximumPageSize`).
    ///
    /// Found through the register's `invoice_status_numbers` and the events' entity index, never by
    /// reading every status event.
    public func invoiceStatuses(number: String, hiddenRoutes: [String] = [], limit: Int) throws -> [StoredEvent] {
        let (sql, values) = Self.invoiceStatusesQuery(number: number, hiddenRoutes: hiddenRoutes, limit: limit)
        return try withReadConnection { connection in
            try connection.query(sql, values) { row in
                StoredEvent(seq: row.int64(9), event: try Self.event(from: row))
            }
        }
    }

    /// The statement of `invoiceStatuses` and its parameters.
    static func invoiceStatusesQuery(number: String, hiddenRoutes: [String], limit: Int) -> (sql: String, values: [SQLiteValue]) {
        var clause = WhereClause()
        clause.add("entity IN (SELECT entity FROM invoice_status_numbers WHERE number = ?)", .text(number))
        // `+type` is not an index term, so SQLite finds the rows by entity, never by type (every status).
        clause.add("+type = ?", .text(InvoiceRegister.statusType))
        clause.addIn("route", hiddenRoutes, negated: true)
        let sql = "SELECT \(StoreSQL.eventColumns), seq FROM events\(clause.text) ORDER BY observed_at, seq LIMIT ?"
        return (sql, clause.values + [.integer(Int64(pageSize(limit)))])
    }
}
