import Foundation
import HubCore
import HubXML

/// Reads the EN 16931 business terms of a UN/CEFACT Cross Industry Invoice (D16B, the syntax of
/// EN 16931-3-3 and of every Factur-X / ZUGFeRD 2 profile) from a parsed document.
enum CIIInvoiceReader {
    static let namespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

    /// The invoice held by `root`, or an error when the root is not a CrossIndustryInvoice.
    static func invoice(from root: XMLElementNode) throws -> Invoice {
        if root.namespace == "urn:ferd:CrossIndustryDocument:invoice:1p0" {
            throw ConnectorError(.unsupported, "the document is a ZUGFeRD 1.0 CrossIndustryDocument, which predates EN 16931 and is not supported; ask the supplier for Factur-X / ZUGFeRD 2 (CII D16B)")
        }
        guard root.name == "CrossIndustryInvoice", root.namespace == namespace else {
            throw ConnectorError(.malformedPayload, "the root element is <\(root.name)> in namespace \"\(root.namespace)\"; a UN/CEFACT CrossIndustryInvoice (D16B) was expected")
        }
        var invoice = Invoice(syntax: .cii)
        invoice.specificationID = root.text(["ExchangedDocumentContext", "GuidelineSpecifiedDocumentContextParameter", "ID"])
        invoice.number = root.text(["ExchangedDocument", "ID"])
        invoice.typeCode = root.text(["ExchangedDocument", "TypeCode"])
        invoice.issueDate = date(root.first(["ExchangedDocument", "IssueDateTime", "DateTimeString"]))

        let transaction = root.child("SupplyChainTradeTransaction")
        let agreement = transaction?.child("ApplicableHeaderTradeAgreement")
        invoice.buyerReference = agreement?.text(["BuyerReference"])
        invoice.orderReference = agreement?.text(["BuyerOrderReferencedDocument", "IssuerAssignedID"])
        invoice.contractReference = agreement?.text(["ContractReferencedDocument", "IssuerAssignedID"])
        invoice.seller = party(agreement?.child("SellerTradeParty"))
        invoice.buyer = party(agreement?.child("BuyerTradeParty"))

        let settlement = transaction?.child("ApplicableHeaderTradeSettlement")
        invoice.currency = settlement?.text(["InvoiceCurrencyCode"])
        invoice.dueDate = date(settlement?.first(["SpecifiedTradePaymentTerms", "DueDateDateTime", "DateTimeString"]))
        let sums = settlement?.child("SpecifiedTradeSettlementHeaderMonetarySummation")
        invoice.lineTotal = amount(sums?.child("LineTotalAmount"))
        invoice.taxExclusiveTotal = amount(sums?.child("TaxBasisTotalAmount"))
        for node in sums?.children("TaxTotalAmount") ?? [] {
            if let value = amount(node) { invoice.taxTotals.append(Amount(value: value, currency: node.attributes["currencyID"])) }
        }
        invoice.taxInclusiveTotal = amount(sums?.child("GrandTotalAmount"))
        invoice.prepaidAmount = amount(sums?.child("TotalPrepaidAmount"))
        invoice.amountDue = amount(sums?.child("DuePayableAmount"))

        invoice.lineCount = transaction?.children("IncludedSupplyChainTradeLineItem").count ?? 0
        return invoice
    }

    private static func amount(_ node: XMLElementNode?) -> Decimal? { DecimalText.parse(node?.text) }

    /// A CII date (format 102, `20171113`) as ISO 8601 (`2017-11-13`); other formats are kept as written.
    private static func date(_ node: XMLElementNode?) -> String? {
        guard let text = node?.text, !text.isEmpty else { return nil }
        guard node?.attributes["format"] ?? "102" == "102", text.count == 8, text.allSatisfy(\.isASCIIDigit) else { return text }
        let year = text.prefix(4), month = text.dropFirst(4).prefix(2), day = text.suffix(2)
        return "\(year)-\(month)-\(day)"
    }

    private static func party(_ node: XMLElementNode?) -> Party {
        var party = Party()
        guard let node else { return party }
        party.name = node.text(["Name"])
        if let legal = node.first(["SpecifiedLegalOrganization", "ID"]), !legal.text.isEmpty {
            party.legalID = legal.text
            party.legalIDScheme = legal.attributes["schemeID"]
        }
        for identifier in node.children("ID") + node.children("GlobalID") where !identifier.text.isEmpty {
            party.identifiers.append((identifier.text, identifier.attributes["schemeID"]))
        }
        for registration in node.children("SpecifiedTaxRegistration") {
            if let id = registration.child("ID"), id.attributes["schemeID"] == "VA" { party.vatID = id.text }
        }
        party.countryCode = node.text(["PostalTradeAddress", "CountryID"])
        return party
    }
}
