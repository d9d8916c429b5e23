import Foundation
import HubCore
import HubXML

/// Reads the EN 16931 business terms of a UBL 2.1 `Invoice` or `CreditNote` (the syntax binding
/// of EN 16931-3-2) from a parsed document.
enum UBLInvoiceReader {
    static let invoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    static let creditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

    /// The invoice held by `root`, or an error when the root is not a UBL Invoice or CreditNote.
    static func invoice(from root: XMLElementNode) throws -> Invoice {
        let isCreditNote: Bool
        switch (root.name, root.namespace) {
        case ("Invoice", invoiceNamespace): isCreditNote = false
        case ("CreditNote", creditNoteNamespace): isCreditNote = true
        default:
            throw ConnectorError(.malformedPayload, "the root element is <\(root.name)> in namespace \"\(root.namespace)\"; a UBL 2.1 Invoice or CreditNote was expected")
        }
        var invoice = Invoice(syntax: .ubl)
        invoice.specificationID = root.text(["CustomizationID"])
        invoice.number = root.text(["ID"])
        invoice.issueDate = root.text(["IssueDate"])
        invoice.typeCode = root.text([isCreditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode"])
        invoice.currency = root.text(["DocumentCurrencyCode"])
        invoice.dueDate = root.text(["DueDate"]) ?? root.text(["PaymentMeans", "PaymentDueDate"])
        invoice.buyerReference = root.text(["BuyerReference"])
        invoice.orderReference = root.text(["OrderReference", "ID"])
        invoice.contractReference = root.text(["ContractDocumentReference", "ID"])
        invoice.seller = party(root.first(["AccountingSupplierParty", "Party"]))
        invoice.buyer = party(root.first(["AccountingCustomerParty", "Party"]))

        let totals = root.child("LegalMonetaryTotal")
        invoice.lineTotal = amount(totals?.child("LineExtensionAmount"))
        invoice.taxExclusiveTotal = amount(totals?.child("TaxExclusiveAmount"))
        invoice.taxInclusiveTotal = amount(totals?.child("TaxInclusiveAmount"))
        invoice.prepaidAmount = amount(totals?.child("PrepaidAmount"))
        invoice.amountDue = amount(totals?.child("PayableAmount"))

        for taxTotal in root.children("TaxTotal") {
            if let node = taxTotal.child("TaxAmount"), let value = amount(node) {
                invoice.taxTotals.append(Amount(value: value, currency: node.attributes["currencyID"]))
            }
        }
        invoice.lineCount = root.children(isCreditNote ? "CreditNoteLine" : "InvoiceLine").count
        return invoice
    }

    private static func amount(_ node: XMLElementNode?) -> Decimal? { DecimalText.parse(node?.text) }

    private static func party(_ node: XMLElementNode?) -> Party {
        var party = Party()
        guard let node else { return party }
        party.name = node.text(["PartyLegalEntity", "RegistrationName"]) ?? node.text(["PartyName", "Name"])
        if let legal = node.first(["PartyLegalEntity", "CompanyID"]), !legal.text.isEmpty {
            party.legalID = legal.text
            party.legalIDScheme = legal.attributes["schemeID"]
        }
        for identification in node.all(["PartyIdentification", "ID"]) where !identification.text.isEmpty {
            party.identifiers.append((identification.text, identification.attributes["schemeID"]))
        }
        for taxScheme in node.children("PartyTaxScheme") where taxScheme.text(["TaxScheme", "ID"]) == "VAT" {
            party.vatID = taxScheme.text(["CompanyID"])
        }
        party.countryCode = node.text(["PostalAddress", "Country", "IdentificationCode"])
        return party
    }
}
