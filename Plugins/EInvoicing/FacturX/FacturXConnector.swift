import HubCore

/// `einvoicing.facturx`: a Factur-X / ZUGFeRD PDF; its embedded CII XML is found with qpdf and read
/// as `einvoicing.cii` reads it. The PDF itself is the archived document.
public struct FacturXConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "einvoicing.facturx"
    /// What the connector reads and yields, for listings.
    public static let summary = "Factur-X / ZUGFeRD PDF (embedded factur-x.xml found with qpdf) -> InvoiceReceived, checked against EN 16931"
    /// The original document is archived under this media type.
    public static var archivedMediaType: String? { "application/pdf" }

    private var builder: InvoiceEventBuilder

    /// Reads `maxBytes` (for the PDF and for its embedded XML), `flagDuplicates`, `duplicateMemory`, `frenchIdentifiers`.
    public init(settings: Settings) throws {
        builder = InvoiceEventBuilder(settings: try InvoiceSettings(settings: settings))
    }

    /// One event per PDF, or an error saying why it is refused (not a PDF, no embedded invoice, bad XML).
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let limit = builder.settings.maxBytes
        guard envelope.payload.count <= limit else {
            throw ConnectorError(.unsupported, "the PDF is \(envelope.payload.count) bytes, larger than the configured limit of \(limit) bytes (setting maxBytes)")
        }
        guard envelope.payload.starts(with: Array("%PDF-".utf8)) else {
            throw ConnectorError(.malformedPayload, "the document does not start with %PDF-: it is not a PDF")
        }
        let attachment = try PDFAttachmentExtractor.invoiceXML(in: envelope.payload, maxBytes: limit)
        let root = try builder.parse(attachment.bytes)
        let invoice = try CIIInvoiceReader.invoice(from: root)
        let hash = SHA256.hash(envelope.payload).hexString
        return [try builder.event(for: invoice, root: root, format: "Factur-X", envelope: envelope, documentHash: hash)]
    }
}
