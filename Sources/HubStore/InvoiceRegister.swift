import HubCore

/// The store's register of received invoices, kept in the write transaction of every batch that
/// holds an `InvoiceReceived` event, so that it survives restarts and is shared by every hub writing
/// to the same database (their transactions are serialized by SQLite's write lock).
///
/// EN 16931 makes an invoice number unique per seller. The register records, for each seller,
/// number, issue date and invoice type code, the document (SHA-256) that first carried that
/// invoice. A second, different document under the same key is a duplicate: the event is stored
/// with a `DUPLICATE` failure naming the first document, and `valid` false, so that accounts payable
/// checks it before paying twice. The same document delivered again (same SHA-256) is not one.
///
/// It also records which Chorus Pro invoices (`InvoiceStatusChanged` entities) carry an invoice
/// number, so that an invoice's status history is found by its number without reading every status.
///
/// It reads the attributes the invoice connectors write (`Plugins/EInvoicing`): `number`,
/// `issueDate`, `typeCode`, `document` ("sha256:<hex>"), the seller's `sellerSIREN`, `sellerVATID`,
/// `sellerLegalID` or `sellerName` (the first present identifies the seller), and `invoiceNumber`
/// on status events. Schema version 6 creates its tables and fills them from events stored before.
package struct InvoiceRegister {
    /// The event type whose invoices the register keeps.
    package static let receivedType = "InvoiceReceived"
    /// The event type of Chorus Pro status changes, found by invoice number.
    package static let statusType = "InvoiceStatusChanged"
    /// The failure a duplicate is marked with.
    static let duplicateRule = "DUPLICATE"

    /// What makes an invoice the same invoice.
    package struct Key: Hashable {
        /// The seller's identifier with its kind: `SIREN 123456789`, `VAT FR...`, `legal ID ...`, `name ...`.
        package var seller: String
        /// BT-1.
        package var number: String
        /// BT-2, as written (`2026-11-20`); empty when missing.
        package var issueDate: String
        /// BT-3 (`380` invoice, `381` credit note); empty when missing.
        package var typeCode: String
    }

    /// The first document recorded under a key.
    package struct Entry: Equatable {
        /// The document's SHA-256, 64 hex digits.
        package var document: String
        /// The event that first carried it.
        package var eventID: String
        /// The route it came through.
        package var route: String
        /// When the hub received it.
        package var receivedAt: Timestamp

        /// An entry as read from a store.
        package init(document: String, eventID: String, route: String, receivedAt: Timestamp) {
            self.document = document
            self.eventID = eventID
            self.route = route
            self.receivedAt = receivedAt
        }
    }

    private let select: PreparedStatement
    private let insert: PreparedStatement
    private let linkStatus: PreparedStatement

    /// The register on `connection`, whose transaction the caller holds.
    init(on connection: SQLiteConnection) throws {
        select = try connection.statement("""
            SELECT document, event_id, route, received_at FROM invoice_register
            WHERE seller = ?1 AND number = ?2 AND issue_date = ?3 AND type_code = ?4
            """)
        insert = try connection.statement("""
            INSERT INTO invoice_register (seller, number, issue_date, type_code, document, event_id, route, received_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """)
        linkStatus = try connection.statement("INSERT OR IGNORE INTO invoice_status_numbers (number, entity) VALUES (?1, ?2)")
    }

    /// Records `event` if it is a received invoice or a status change, and returns it as it must be
    /// stored: marked as a duplicate when a different document was registered under its key first.
    func record(_ event: Event) throws -> Event {
        if event.type == Self.statusType, let number = event.attributes["invoiceNumber"]?.text, !number.isEmpty {
            try linkStatus.execute([.text(number), .text(event.entity)])
            return event
        }
        guard event.type == Self.receivedType, let key = Self.key(of: event), let document = Self.document(of: event) else {
            return event
        }
        let keyValues: [SQLiteValue] = [.text(key.seller), .text(key.number), .text(key.issueDate), .text(key.typeCode)]
        let first = try select.rows(keyValues) { row in
            Entry(document: row.text(0), eventID: row.text(1), route: row.text(2),
                  receivedAt: Timestamp(microsecondsSinceEpoch: row.int64(3)))
        }.first
        guard let first else {
            try insert.execute(keyValues + [.text(document), .text(event.id.rawValue), .text(event.route),
                                            .integer(event.receivedAt.microsecondsSinceEpoch)])
            return event
        }
        return first.document == document ? event : Self.markedDuplicate(event, key: key, first: first)
    }

    /// The register's key of a received invoice; nil when it has no number or nothing names its seller.
    package static func key(of event: Event) -> Key? {
        func text(_ name: String) -> String? {
            guard let value = event.attributes[name]?.text, !value.isEmpty else { return nil }
            return value
        }
        guard let number = text("number") else { return nil }
        let seller = text("sellerSIREN").map { "SIREN \($0)" } ?? text("sellerVATID").map { "VAT \($0)" }
            ?? text("sellerLegalID").map { "legal ID \($0)" } ?? text("sellerName").map { "name \($0)" }
        guard let seller else { return nil }
        return Key(seller: seller, number: number, issueDate: text("issueDate") ?? "", typeCode: text("typeCode") ?? "")
    }

    /// The SHA-256 of the document an event was read from (its `document` attribute, "sha256:<hex>").
    package static func document(of event: Event) -> String? {
        guard let reference = event.attributes["document"]?.text, reference.hasPrefix("sha256:"), reference.count > 7 else {
            return nil
        }
        return String(reference.dropFirst(7))
    }

    /// `event` with a `DUPLICATE` failure added and `valid` false.
    package static func markedDuplicate(_ event: Event, key: Key, first: Entry) -> Event {
        var marked = event
        let sellerName = event.attributes["sellerName"]?.text.map { ", \($0)" } ?? ""
        let date = key.issueDate.isEmpty ? "no issue date" : "issue date \(key.issueDate)"
        let type = key.typeCode.isEmpty ? "no type code" : "type code \(key.typeCode)"
        let message = "invoice \(key.number) of seller \(key.seller)\(sellerName), \(date), \(type), was already received "
            + "in another document: sha256:\(first.document), through route \(first.route) at \(first.receivedAt.iso8601) "
            + "(event \(first.eventID)). Compare the two documents before paying: if this is the same invoice sent again, "
            + "pay it once; if it is a corrected copy, ask the seller for a credit note or a new invoice number"
        var failures: [JSONValue] = []
        if case .json(.array(let existing))? = event.attributes["failures"] { failures = existing }
        // As the connectors list a failure: fatal, so the invoice is not conformant.
        failures.append(.object(["rule": .string(duplicateRule), "flag": .string("fatal"), "message": .string(message)]))
        var attributes = event.attributes
        attributes["failures"] = .json(.array(failures))
        attributes["valid"] = .boolean(false)
        marked.attributes = attributes  // rendered once
        return marked
    }
}
