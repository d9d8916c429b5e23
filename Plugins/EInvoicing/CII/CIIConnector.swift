import HubCore

/// `einvoicing.cii`: a UN/CEFACT Cross Industry Invoice (D16B), including every Factur-X profile,
/// becomes one checked `InvoiceReceived` event; the document is archived by its SHA-256.
public struct CIIConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "einvoicing.cii"
    /// What the connector reads and yields, for listings.
    public static let summary = "UN/CEFACT CII D16B invoice (Factur-X MINIMUM to EXTENDED) -> InvoiceReceived, checked against EN 16931"
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
        let invoice = try CIIInvoiceReader.invoice(from: root)
        let hash = SHA256.hash(envelope.payload).hexString
        return [try builder.event(for: invoice, root: root, format: "CII", envelope: envelope, documentHash: hash)]
    }
}
