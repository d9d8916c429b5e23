/// The rules of Factur-X 1.07.2 / ZUGFeRD 2.3.2 MINIMUM, after the profile's Schematron
/// (`FACTUR-X_MINIMUM.sch`, see README.md): the EN 16931 rules that hold for a MINIMUM invoice, then
/// the profile's own structure (cardinalities, terms the profile does not use) and code lists, in
/// the Schematron's order. Each Schematron pattern holds one rule context, so each group here is a
/// pattern of its own.
enum FacturXMinimumRules {
    /// The rule groups, one per Schematron pattern.
    static let groups: [ContextRules] = businessRules + structure

    /// The EN 16931 rules the profile keeps (ids as the Schematron's messages name them).
    static let businessRules: [ContextRules] = [
        FacturXSharedRules.sellerIdentification,
        FacturXSharedRules.vatIdentifierPrefix,
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementHeaderMonetarySummation"), [
            FacturXSharedRules.totalWithoutVATPresent,
            FacturXSharedRules.totalWithVATPresent,
            FacturXSharedRules.amountDuePresent,
            FacturXSharedRules.decimals("BR-DEC-12", "ram:TaxBasisTotalAmount", term: "BT-109", name: "Invoice total amount without VAT"),
            FacturXSharedRules.totalVATDecimals,
            FacturXSharedRules.decimals("BR-DEC-14", "ram:GrandTotalAmount", term: "BT-112", name: "Invoice total amount with VAT"),
            FacturXSharedRules.decimals("BR-DEC-18", "ram:DuePayableAmount", term: "BT-115", name: "Amount due for payment"),
        ]),
        ContextRules(RuleContext(FacturXPath.invoice), FacturXSharedRules.documentPresence),
    ]

    /// The profile's structure: what must occur once, what the profile does not use, and code lists.
    static let structure: [ContextRules] = [
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-1"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000020", "ram:TypeCode", terms: "BT-3"),
        ]),
        FacturXSharedRules.notUsed("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:ID", attribute: "schemeID"),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000021", "format", terms: "BT-2"),
        ]),
        FacturXSharedRules.codeList("FX-SCH-A-000022", "\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString",
                                    attribute: "format", FacturXCodeLists.dateFormats, terms: "BT-2"),
        FacturXSharedRules.codeList("FX-SCH-A-000023", "\(FacturXPath.invoice)/rsm:ExchangedDocument/ram:TypeCode",
                                    FacturXCodeLists.documentTypes, terms: "BT-3"),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext"), [
            BusinessRule("FX-SCH-A-000024", terms: "BT-23", "Element 'ram:BusinessProcessSpecifiedDocumentContextParameter' may occur at maximum 1 times.") {
                $0.count("ram:BusinessProcessSpecifiedDocumentContextParameter") <= 1
            },
            FacturXSharedRules.exactlyOne("FX-SCH-A-000025", "ram:GuidelineSpecifiedDocumentContextParameter", terms: "BT-24"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-23"),
        ]),
        FacturXSharedRules.notUsed("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", attribute: "schemeID"),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-24"),
        ]),
        FacturXSharedRules.codeList("FX-SCH-A-000026", "\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
                                    ["urn:factur-x.eu:1p0:minimum", "urn:zugferd.de:2p0:minimum"], terms: "BT-24"),
        FacturXSharedRules.notUsed("\(FacturXPath.invoice)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", attribute: "schemeID"),
        ContextRules(RuleContext(FacturXPath.agreement), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000027", "ram:SellerTradeParty", terms: "BG-4"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000028", "ram:BuyerTradeParty", terms: "BG-7"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerOrderReferencedDocument"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000029", "ram:IssuerAssignedID", terms: "BT-13"),
        ]),
        FacturXSharedRules.notUsed("\(FacturXPath.agreement)/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", attribute: "schemeID"),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: "BT-44"),
        ]),
        FacturXSharedRules.notUsed("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:PostalTradeAddress", element: "ram:PostalTradeAddress"),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-47"),
        ]),
        FacturXSharedRules.codeList("FX-SCH-A-000031", "\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                                    attribute: "schemeID", FacturXCodeLists.legalSchemes, terms: "BT-47-1"),
        FacturXSharedRules.notUsed("\(FacturXPath.agreement)/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration", element: "ram:SpecifiedTaxRegistration"),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000030", "ram:Name", terms: "BT-27"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000032", "ram:PostalTradeAddress", terms: "BG-5"),
            BusinessRule("FX-SCH-A-000033", terms: "BT-31", #"Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="VA"]' may occur at maximum 1 times."#) {
                $0.all("ram:SpecifiedTaxRegistration").filter { $0.hasID(scheme: "VA") }.count <= 1
            },
            BusinessRule("FX-SCH-A-000034", terms: "BT-32", #"Element variant 'ram:SpecifiedTaxRegistration[ram:ID/@schemeID="FC"]' may occur at maximum 1 times."#) {
                $0.all("ram:SpecifiedTaxRegistration").filter { $0.hasID(scheme: "FC") }.count <= 1
            },
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:PostalTradeAddress"), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000035", "ram:CountryID", terms: "BT-40"),
        ]),
        FacturXSharedRules.codeList("FX-SCH-A-000036", "\(FacturXPath.agreement)/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID",
                                    FacturXCodeLists.countries, terms: "BT-40"),
        FacturXSharedRules.codeList("FX-SCH-A-000031", "\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                                    attribute: "schemeID", FacturXCodeLists.legalSchemes, terms: "BT-30-1"),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { !$0.hasID(scheme: "VA") && !$0.hasID(scheme: "FC") }), [
            FacturXSharedRules.notUsedRule(#"Element variant 'ram:SpecifiedTaxRegistration[ not(ram:ID/@schemeID="VA") and  not(ram:ID/@schemeID="FC")]' is marked as not used in the given context."#),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { $0.hasID(scheme: "FC") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-32"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { $0.parent?.hasID(scheme: "FC") ?? false }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: "BT-32"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration", where: { $0.hasID(scheme: "VA") }), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000019", "ram:ID", terms: "BT-31"),
        ]),
        ContextRules(RuleContext("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", where: { $0.parent?.hasID(scheme: "VA") ?? false }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000037", "schemeID", terms: "BT-31"),
        ]),
        ContextRules(RuleContext(FacturXPath.settlement), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000038", "ram:InvoiceCurrencyCode", terms: "BT-5"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000039", "ram:SpecifiedTradeSettlementHeaderMonetarySummation", terms: "BG-22"),
        ]),
        FacturXSharedRules.codeList("FX-SCH-A-000040", "\(FacturXPath.settlement)/ram:InvoiceCurrencyCode", FacturXCodeLists.currencies, terms: "BT-5"),
        ContextRules(RuleContext(FacturXPath.totals), [
            FacturXSharedRules.exactlyOne("FX-SCH-A-000041", "ram:TaxBasisTotalAmount", terms: "BT-109"),
            BusinessRule("FX-SCH-A-000042", terms: "BT-110", "Element variant 'ram:TaxTotalAmount[@currencyID=../../ram:InvoiceCurrencyCode]' may occur at maximum 1 times.") { totals in
                let currencies = totals.strings("../ram:InvoiceCurrencyCode")
                return totals.all("ram:TaxTotalAmount").filter { $0.attribute("currencyID").map(currencies.contains) ?? false }.count <= 1
            },
            FacturXSharedRules.exactlyOne("FX-SCH-A-000043", "ram:GrandTotalAmount", terms: "BT-112"),
            FacturXSharedRules.exactlyOne("FX-SCH-A-000044", "ram:DuePayableAmount", terms: "BT-115"),
        ]),
        FacturXSharedRules.notUsed("\(FacturXPath.totals)/ram:DuePayableAmount", attribute: "currencyID"),
        FacturXSharedRules.notUsed("\(FacturXPath.totals)/ram:GrandTotalAmount", attribute: "currencyID"),
        FacturXSharedRules.notUsed("\(FacturXPath.totals)/ram:TaxBasisTotalAmount", attribute: "currencyID"),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { amount in
            let currency = amount.attribute("currencyID")
            return !amount.anyText("../../ram:InvoiceCurrencyCode") { $0 == currency }
                && !amount.anyText("../../ram:TaxCurrencyCode") { $0 == currency }
        }), [
            FacturXSharedRules.notUsedRule("Element variant 'ram:TaxTotalAmount[ not(@currencyID=../../ram:InvoiceCurrencyCode) and  not(@currencyID=../../ram:TaxCurrencyCode)]' is marked as not used in the given context."),
        ]),
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { amount in
            amount.attribute("currencyID").map(amount.strings("../../ram:InvoiceCurrencyCode").contains) ?? false
        }), [
            BusinessRule("FX-SCH-A-000045", terms: "BT-110", "Value of '@currencyID' is not allowed.") {
                FacturXCodeLists.currencies.contains($0.attribute("currencyID") ?? "")
            },
        ]),
        // The Schematron's last pattern: its context needs @currencyID to equal the invoice
        // currency, so the attribute it requires is always there; kept for completeness.
        ContextRules(RuleContext("\(FacturXPath.totals)/ram:TaxTotalAmount", where: { amount in
            amount.attribute("currencyID").map(amount.strings("../../ram:InvoiceCurrencyCode").contains) ?? false
        }), [
            FacturXSharedRules.attributeRequired("FX-SCH-A-000046", "currencyID", terms: "BT-110"),
        ]),
    ]
}
