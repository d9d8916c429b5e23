/// The paths the Factur-X rules start from.
enum FacturXPath {
    /// The document's root element.
    static let invoice = "/rsm:CrossIndustryInvoice"
    /// The header trade agreement (seller, buyer, references).
    static let agreement = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    /// The header trade settlement (currency, VAT breakdown, totals).
    static let settlement = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    /// The document totals.
    static let totals = "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
}
