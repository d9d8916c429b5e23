/// The VAT category rules on document-level allowances and charges both Factur-X profiles with a VAT
/// breakdown state (BR-xx-03/04 and BR-xx-06/07), and the identifier predicates they test.
enum FacturXVAT {
    /// The VAT categories (`ram:CategoryTradeTax`) of document-level allowances with category `code`.
    static func allowanceCategory(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(category(code, indicator: "false"), rules)
    }

    /// The VAT categories (`ram:CategoryTradeTax`) of document-level charges with category `code`.
    static func chargeCategory(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(category(code, indicator: "true"), rules)
    }

    private static func category(_ code: String, indicator: String) -> RuleContext {
        RuleContext("//ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", where: { tax in
            tax.anyText("ram:CategoryCode", is: code) && (tax.parent?.anyText("ram:ChargeIndicator/udt:Indicator", is: indicator) ?? false)
        })
    }

    /// BR-32 / BR-37: the allowance or charge (parent of the indicator) states a VAT category code.
    static func statesVATCategory(_ indicator: RuleNode) -> Bool {
        indicator.any("../ram:CategoryTradeTax") { $0.string("ram:TypeCode").uppercased() == "VAT" && $0.exists("ram:CategoryCode") }
    }

    /// The seller's VAT identifier or tax registration (schemes VA, FC), or its tax representative's
    /// VAT identifier (the E, IGIC, IPSI, S and Z rules).
    static func sellerVATOrTaxRegistration(_ node: RuleNode) -> Bool {
        node.hasID("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA", "FC"])
            || node.hasID("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
    }

    /// The seller's VAT identifier, or its tax representative's (the G rules).
    static func sellerVATIdentified(_ node: RuleNode) -> Bool {
        node.hasID("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
            || node.hasID("//ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
    }

    /// The seller (or its representative) and the buyer are VAT identified (the IC rules).
    static func sellerAndBuyerVATIdentified(_ node: RuleNode) -> Bool {
        sellerVATIdentified(node) && node.hasID("//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
    }

    /// The seller is identified for VAT, and the buyer by VAT identifier or legal registration (the AE rules).
    static func sellerAndBuyerIdentifiedForReverseCharge(_ node: RuleNode) -> Bool {
        (node.hasID("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA", "FC"])
            || node.hasID("//ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"]))
            && (node.hasID("//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
                || node.exists("//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"))
    }

    /// Neither the seller nor its representative has a VAT identifier (the O rules; their third
    /// clause, `not(/ram:BuyerTradeParty/...)`, is anchored at a root that is never a buyer, so it
    /// always holds).
    static func noVATIdentifier(_ node: RuleNode) -> Bool {
        !node.hasID("\(FacturXPath.agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
            && !node.hasID("\(FacturXPath.agreement)/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID", schemes: ["VA"])
    }
}
