import Foundation

/// The paths and predicates the Factur-X profile rules share, written after the XPath of the
/// profiles' Schematron.
extension RuleNode {
    /// XPath `path != ''`: whether any node `path` selects has a non-empty string value.
    func hasText(_ path: String) -> Bool { anyText(path) { !$0.isEmpty } }


    /// XPath `string-length(substring-after(path, '.')) <= 2` on the first node selected.
    func atMostTwoDecimals(_ path: String) -> Bool { XPathDecimal.decimalPlaces(string(path)) <= 2 }

    /// Whether the element's value is in `list`, as the profiles' code list checks compare it.
    func isListed(in list: Set<String>) -> Bool { list.contains(text) }

    /// The invoice currency (BT-5) of the document.
    var invoiceCurrency: [String] {
        root.strings("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode")
    }

    /// XPath `@currencyID = <invoice currency>`: the attribute equals one of the invoice currency codes.
    var isInInvoiceCurrency: Bool { attribute("currencyID").map(invoiceCurrency.contains) ?? false }

    /// XPath `@currencyID = path`: the element's currency is one of the codes `path` selects.
    func hasCurrency(of path: String) -> Bool { attribute("currencyID").map(strings(path).contains) ?? false }

    /// The element `levels` steps up (0: this one), nil past the root.
    func ancestor(_ levels: Int) -> RuleNode? { levels == 0 ? self : parent?.ancestor(levels - 1) }

    /// XPath `ram:ID/@schemeID = scheme`: one of the `ram:ID` children carries that scheme.
    func hasID(scheme: String) -> Bool { any("ram:ID") { $0.attribute("schemeID") == scheme } }

    /// XPath `. = round(. * 100) div 100` on a decimal amount: it has at most two significant decimals
    /// (false when it is no number).
    var isWholeCents: Bool {
        guard let value = XPathDecimal.parse(text) else { return false }
        return XPathDecimal.cents(value) == value
    }

    /// XPath `path op value` against a number: true when any node selected holds a decimal that
    /// compares so (a value that is no number compares false).
    func compares(_ path: String, _ comparison: (Decimal, Decimal) -> Bool, _ value: Decimal) -> Bool {
        decimals(path).contains { comparison($0, value) }
    }

    /// Whether any identifier at `path` carries one of `schemes` as its `schemeID`.
    func hasID(_ path: String, schemes: Set<String>) -> Bool {
        any(path) { schemes.contains($0.attribute("schemeID") ?? "") }
    }
}
