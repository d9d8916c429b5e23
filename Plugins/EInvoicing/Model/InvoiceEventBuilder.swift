import Foundation
import HubCore
import HubXML

/// Turns a read invoice into its checked `InvoiceReceived` event; shared by the UBL, CII and
/// Factur-X connectors. Duplicates are the store's to find (its invoice register sees every route,
/// across restarts), so the event carries what the register reads: seller, number, date, type, document.
struct InvoiceEventBuilder: Sendable {
    let settings: InvoiceSettings
    let reader: SafeXMLReader

    init(settings: InvoiceSettings) {
        self.settings = settings
        reader = SafeXMLReader(maxBytes: settings.maxBytes)
    }

    /// Every failure of `invoice`: EN 16931 and French identifiers.
    func failures(of invoice: Invoice) -> [RuleFailure] {
        var failures = EN16931Checks.failures(of: invoice)
        if settings.checkFrenchIdentifiers {
            failures += FrenchIdentifiers.failures(of: invoice.seller, role: "seller")
            failures += FrenchIdentifiers.failures(of: invoice.buyer, role: "buyer")
        }
        return failures
    }

    /// The event for `invoice`, read from `envelope` (whose payload is the archived document).
    func event(for invoice: Invoice, format: String, envelope: Envelope, documentHash: String) -> Event {
        let failures = failures(of: invoice)
        var attributes: [String: Value] = [
            "format": .text(format),
            "syntax": .text(invoice.syntax.rawValue),
            "profile": .text(InvoiceProfile(specificationID: invoice.specificationID).rawValue),
            "document": .text("sha256:\(documentHash)"),
            "isCreditNote": .boolean(invoice.isCreditNote),
            "lineCount": .number(Double(invoice.lines.count), unit: nil),
            "valid": .boolean(failures.isEmpty),
            "failures": .json(.array(failures.map { .object(["rule": .string($0.rule), "message": .string($0.message)]) })),
        ]
        let texts: [(String, String?)] = [
            ("specificationID", invoice.specificationID), ("number", invoice.number), ("issueDate", invoice.issueDate),
            ("typeCode", invoice.typeCode), ("currency", invoice.currency), ("dueDate", invoice.dueDate),
            ("buyerReference", invoice.buyerReference), ("serviceCode", invoice.buyerReference),
            ("orderReference", invoice.orderReference), ("engagementNumber", invoice.orderReference),
            ("contractReference", invoice.contractReference),
            ("sellerName", invoice.seller.name), ("sellerSIRET", invoice.seller.siret), ("sellerSIREN", invoice.seller.siren),
            ("sellerVATID", invoice.seller.vatID), ("sellerLegalID", invoice.seller.legalID),
            ("buyerName", invoice.buyer.name), ("buyerSIRET", invoice.buyer.siret), ("buyerSIREN", invoice.buyer.siren),
            ("buyerVATID", invoice.buyer.vatID), ("buyerLegalID", invoice.buyer.legalID),
        ]
        for (name, value) in texts { if let value { attributes[name] = .text(value) } }
        // Amounts as decimal text ("1234.50"), never binary floating point.
        let amounts: [(String, Decimal?)] = [
            ("lineTotal", invoice.lineTotal), ("taxExclusiveTotal", invoice.taxExclusiveTotal),
            ("taxTotal", invoice.taxTotalsInInvoiceCurrency.first), ("taxInclusiveTotal", invoice.taxInclusiveTotal),
            ("prepaidAmount", invoice.prepaidAmount), ("amountDue", invoice.amountDue),
        ]
        for (name, value) in amounts { if let value { attributes[name] = .text(DecimalText.text(value)) } }

        let observedAt = invoice.issueDate.flatMap { Timestamp(iso8601: "\($0)T00:00:00Z") } ?? envelope.receivedAt
        let entity = "urn:ngsi-ld:Invoice:\(Self.urnSafe(sellerKey(of: invoice))):\(Self.urnSafe(invoice.number ?? "unnumbered"))"
        return Event(
            type: "InvoiceReceived", entity: entity, observedAt: observedAt, receivedAt: envelope.receivedAt,
            route: envelope.route, attributes: attributes, key: documentHash)
    }

    /// Reads XML and hands it to the reader for its root element.
    func parse(_ data: Data) throws -> XMLElementNode { try reader.read(data) }

    private func sellerKey(of invoice: Invoice) -> String {
        invoice.seller.siren ?? invoice.seller.vatID ?? invoice.seller.legalID ?? invoice.seller.name ?? "unknown-seller"
    }

    private static func urnSafe(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "-._".contains($0) ? $0 : "_" })
    }
}
