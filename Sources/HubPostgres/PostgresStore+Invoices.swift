import HubCore
import HubStore

// Reads of the invoice register, for the operations API's invoice view.
extension PostgresStore {
    /// The Chorus Pro status changes (`InvoiceStatusChanged` events) of every Chorus Pro invoice
    /// whose status records gave the invoice number `number`, oldest observation first, leaving out
    /// the routes in `hiddenRoutes`, at most `limit` (capped at `StoreLimits.maximumPageSize`).
    ///
    /// Found through the register's `invoice_status_numbers` and the events' entity index, never by
    /// reading every status event.
    public func invoiceStatuses(number: String, hiddenRoutes: [String] = [], limit: Int) throws -> [StoredEvent] {
        var clause = PostgresWhereClause()
        clause.add("""
            e.entity_id IN (SELECT names.id FROM invoice_status_numbers JOIN names ON names.name = invoice_status_numbers.entity \
            WHERE invoice_status_numbers.number = \(clause.parameter(.text(number))))
            """)
        clause.add("e.type_id = (SELECT id FROM names WHERE name = \(clause.parameter(.text(InvoiceRegister.statusType))))")
        if !hiddenRoutes.isEmpty { clause.add("NOT (route.name = ANY(\(clause.parameter(.textArray(hiddenRoutes)))))") }
        let sql = """
            SELECT \(Self.eventColumns) FROM \(Self.eventSource)\(clause.text) \
            ORDER BY e.observed_at, e.seq LIMIT \(clause.parameter(.bigint(PostgresWhereClause.pageSize(limit))))
            """
        return try withReadConnection { connection in
            try connection.query(sql, clause.values, row: Self.storedEvent(from:))
        }
    }
}
