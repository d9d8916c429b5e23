import HubCore

/// `einvoicing.ubl`: a UBL 2.1 Invoice or CreditNote becomes one checked `InvoiceReceived` event;
/// the document itself is archived in the store by its SHA-256.
public struct UBLConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "einvoicing.ubl"
    /// What the connector reads and yields, for listings.
    public static let summary = "UBL 2.1 Invoice or CreditNote (EN 16931) -> InvoiceReceived, checked against EN 16931 and French identifiers"
    /// The original document is archived under this media type.
    public static var archivedMediaType: String? { "application/xml" }

    private var builder: InvoiceEventBuilder

    /// Reads `maxBytes`, `flagDuplicates`, `duplicateMemory`, `frenchIdentifiers`.
    public init(settings: Settings) throws {
        builder = InvoiceEventBuilder(settings: try InvoiceSettings(settings: settings))
    }

    /// One event per document, or an error saying why the document is refused.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let root = try builder.parse(envelope.payload)
        let invoice = try UBLInvoiceReader.invoice(from: root)
        let hash = SHA256.hash(envelope.payload).hexString
        return [try builder.event(for: invoice, root: root, format: "UBL", envelope: envelope, documentHash: hash)]
    }
}
