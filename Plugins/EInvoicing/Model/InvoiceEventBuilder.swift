import Foundation
import HubCore
import HubXML

/// Turns a read invoice into its checked `InvoiceReceived` event; shared by the UBL, CII and
/// Factur-X connectors, and the holder of their state (the duplicate register).
struct InvoiceEventBuilder: Sendable {
    let settings: InvoiceSettings
    let reader: SafeXMLReader
    private var duplicates: DuplicateRegister

    init(settings: InvoiceSettings) {
        self.settings = settings
        reader = SafeXMLReader(maxBytes: settings.maxBytes)
        duplicates = DuplicateRegister(capacity: settings.duplicateMemory)
    }

    /// Every failure of the document under `root`, read as `invoice`: the rules of the reference it
    /// is judged against, French identifiers, and the duplicate check.
    mutating func failures(of invoice: Invoice, in root: XMLElementNode, by ruleSet: RuleSet, document: String) -> [RuleFailure] {
        var failures = ruleSet.failures(in: root)
        if settings.checkFrenchIdentifiers {
            failures += FrenchIdentifiers.failures(of: invoice.seller, role: "seller")
            failures += FrenchIdentifiers.failures(of: invoice.buyer, role: "buyer")
        }
        if settings.flagDuplicates, let number = invoice.number {
            let seller = sellerKey(of: invoice)
            let year = invoice.issueDate.map { String($0.prefix(4)) } ?? "?"
            if let first = duplicates.record(key: "\(seller)|\(number)|\(year)", document: document) {
                failures.append(RuleFailure("DUPLICATE", "invoice \(number) of \(invoice.seller.name ?? seller) for \(year) was already received as document sha256:\(first); check before paying twice"))
            }
        }
        return failures
    }

    /// The event for `invoice`, read from the document under `root` that `envelope` brought (its
    /// payload is the archived document); throws when no reference judges that document.
    mutating func event(for invoice: Invoice, root: XMLElementNode, format: String, envelope: Envelope, documentHash: String) throws -> Event {
        guard let ruleSet = InvoiceReferences.ruleSet(for: root) else {
            throw ConnectorError(.malformedPayload, "the root element <\(root.name)> is no invoice syntax the hub has rules for")
        }
        let failures = failures(of: invoice, in: root, by: ruleSet, document: documentHash)
        var attributes: [String: Value] = [
            "format": .text(format),
            "syntax": .text(invoice.syntax.rawValue),
            "profile": .text(InvoiceProfile(specificationID: invoice.specificationID).rawValue),
            "reference": .text(ruleSet.reference),
            "document": .text("sha256:\(documentHash)"),
            "isCreditNote": .boolean(invoice.isCreditNote),
            "lineCount": .number(Double(invoice.lineCount), unit: nil),
            "valid": .boolean(!failures.contains { $0.flag == .fatal }),
            "failures": .json(.array(failures.map(Self.json))),
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

    /// A failure as the `failures` attribute lists it: rule, flag and message, then terms, value and
    /// location when known.
    private static func json(_ failure: RuleFailure) -> JSONValue {
        var object: [String: JSONValue] = [
            "rule": .string(failure.rule), "flag": .string(failure.flag.rawValue), "message": .string(failure.message),
        ]
        if let terms = failure.terms, !terms.isEmpty { object["terms"] = .string(terms) }
        if let value = failure.value { object["value"] = .string(value) }
        if let location = failure.location { object["location"] = .string(location) }
        return .object(object)
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
