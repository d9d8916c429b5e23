import Foundation

/// The rules of Factur-X 1.07.2 / ZUGFeRD 2.3.2 BASIC WL ("BASIC without lines"), after the
/// profile's Schematron (`FACTUR-X_BASIC-WL.sch`, see README.md): the EN 16931 business rules as the
/// profile states them for an invoice without lines (BR-CO-13 starts from the stated line total,
/// BR-12 requires that total, no line rule applies), in the Schematron's order. Each Schematron
/// pattern holds one rule context, so each group here is a pattern of its own.
enum FacturXBasicWLRules {
    /// The rule groups, one per Schematron pattern.
    static let groups: [ContextRules] = [
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"), [
            BusinessRule("BR-45", terms: "BG-23 BT-116", "Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).") { $0.exists("ram:BasisAmount") },
            BusinessRule("BR-46", terms: "BG-23 BT-117", "Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).") { $0.exists("ram:CalculatedAmount") },
            BusinessRule("BR-47", terms: "BG-23 BT-118", "Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).") { $0.exists("ram:CategoryCode") },
            BusinessRule("BR-48", terms: "BG-23 BT-119", "Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.") {
                $0.exists("ram:RateApplicablePercent") || $0.anyText("ram:CategoryCode", is: "O")
            },
            BusinessRule("BR-CO-03", terms: "BT-7 BT-8", "Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.") {
                !($0.exists("ram:TaxPointDate") && $0.exists("ram:DueDateTypeCode"))
            },
            BusinessRule("BR-CO-17", terms: "BT-117 BT-116 BT-119", "VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.", subject: "ram:CalculatedAmount") { taxAmountMatchesRate($0) },
            BusinessRule("BR-DEC-19", terms: "BT-116", "The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.", subject: "ram:BasisAmount") { $0.atMostTwoDecimals("ram:BasisAmount") },
            BusinessRule("BR-DEC-20", terms: "BT-117", "The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.", subject: "ram:CalculatedAmount") { $0.atMostTwoDecimals("ram:CalculatedAmount") },
        ]),
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", where: { $0.text == "Z" }), [
            BusinessRule("BR-Z-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Zero rated\" shall equal 0 (zero).", subject: "../ram:CalculatedAmount") { $0.compares("../ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-Z-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Zero rated\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("../ram:ExemptionReason") && !$0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", where: { $0.text == "S" }), [
            BusinessRule("BR-S-09", terms: "BT-117 BG-23 BT-118 BT-116 BT-119", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Standard rated\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "../ram:CalculatedAmount") { standardRateAmountMatches($0) },
            BusinessRule("BR-S-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Standard rate\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("../ram:ExemptionReason") && !$0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod"), [
            BusinessRule("BR-29", terms: "BT-73 BT-74", "If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).") { periodIsOrdered($0) },
            BusinessRule("BR-CO-19", terms: "BG-14 BT-73 BT-74", "If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.") {
                $0.exists("ram:StartDateTime") || $0.exists("ram:EndDateTime")
            },
        ]),
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.anyText("udt:Indicator", is: "false") }), [
            BusinessRule("BR-31", terms: "BG-20 BT-92", "Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).") { $0.exists("../ram:ActualAmount") },
            BusinessRule("BR-32", terms: "BG-20 BT-95", "Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).") { FacturXVAT.statesVATCategory($0) },
            BusinessRule("BR-33", terms: "BG-20 BT-97 BT-98", "Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-05", terms: "BT-98 BT-97", "Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) shall indicate the same type of allowance.") { _ in true },
            BusinessRule("BR-CO-21", terms: "BG-20 BT-97 BT-98", "Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-01", terms: "BT-92", "The allowed maximum number of decimals for the Document level allowance amount (BT-92) is 2.", subject: "../ram:ActualAmount") { $0.atMostTwoDecimals("../ram:ActualAmount") },
            BusinessRule("BR-DEC-02", terms: "BT-93", "The allowed maximum number of decimals for the Document level allowance base amount (BT-93) is 2.", subject: "../ram:BasisAmount") { $0.atMostTwoDecimals("../ram:BasisAmount") },
        ]),
        ContextRules(RuleContext("//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.anyText("udt:Indicator", is: "true") }), [
            BusinessRule("BR-36", terms: "BG-21 BT-99", "Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).") { $0.exists("../ram:ActualAmount") },
            BusinessRule("BR-37", terms: "BG-21 BT-102", "Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).") { FacturXVAT.statesVATCategory($0) },
            BusinessRule("BR-38", terms: "BG-21 BT-104 BT-105", "Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-06", terms: "BT-105 BT-104", "Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall indicate the same type of charge.") { _ in true },
            BusinessRule("BR-CO-22", terms: "BG-21 BT-104 BT-105", "Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-05", terms: "BT-99", "The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.", subject: "../ram:ActualAmount") { $0.atMostTwoDecimals("../ram:ActualAmount") },
            BusinessRule("BR-DEC-06", terms: "BT-100", "The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.", subject: "../ram:BasisAmount") { $0.atMostTwoDecimals("../ram:BasisAmount") },
        ]),
        ContextRules(RuleContext("//ram:PayeeTradeParty"), [
            BusinessRule("BR-17", terms: "BT-59 BG-10 BG-4", "The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4).") { payeeIsNamed($0) },
        ]),
        ContextRules(RuleContext("//ram:SellerTaxRepresentativeTradeParty"), [
            BusinessRule("BR-18", terms: "BT-62 BG-4 BG-11", "The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).") { $0.exists("ram:Name") },
            BusinessRule("BR-19", terms: "BG-12 BG-4 BG-11", "The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).") { $0.exists("ram:PostalTradeAddress") },
            BusinessRule("BR-20", terms: "BG-12 BT-69 BG-4 BG-11", "The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).") { $0.exists("ram:PostalTradeAddress/ram:CountryID") },
            BusinessRule("BR-56", terms: "BG-11 BT-63", "Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).") {
                $0.any("ram:SpecifiedTaxRegistration/ram:ID") { $0.attribute("schemeID") == "VA" && !$0.text.isEmpty }
            },
        ]),
        FacturXSharedRules.sellerIdentification,
        FacturXSharedRules.vatIdentifierPrefix,
        ContextRules(RuleContext("//ram:SpecifiedTradeAllowanceCharge"), [
            BusinessRule("BR-66", terms: "BG-20 BG-21", "Each Specified Trade Allowance Charge (BG-20)(BG-21) shall contain a Charge Indicator.") { $0.exists("ram:ChargeIndicator") },
        ]),
        FacturXVAT.allowanceCategory("AE", [
            BusinessRule("BR-AE-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63 BT-48 BT-47", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") { FacturXVAT.sellerAndBuyerIdentifiedForReverseCharge($0) },
            BusinessRule("BR-AE-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.allowanceCategory("E", [
            BusinessRule("BR-E-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-E-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\", the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.allowanceCategory("G", [
            BusinessRule("BR-G-03", terms: "BG-20 BT-95 BT-31 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATIdentified($0) },
            BusinessRule("BR-G-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.allowanceCategory("K", [
            BusinessRule("BR-IC-03", terms: "BG-20 BT-95 BT-31 BT-63 BT-48", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") { FacturXVAT.sellerAndBuyerVATIdentified($0) },
            BusinessRule("BR-IC-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.allowanceCategory("L", [
            BusinessRule("BR-AF-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-AF-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >, 0) },
        ]),
        FacturXVAT.allowanceCategory("M", [
            BusinessRule("BR-AG-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-AG-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >=, 0) },
        ]),
        FacturXVAT.allowanceCategory("O", [
            BusinessRule("BR-O-03", terms: "BG-20 BT-95 BT-31 BT-63 BT-48", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") { FacturXVAT.noVATIdentifier($0) },
            BusinessRule("BR-O-06", terms: "BG-20 BT-95 BT-96", "A Document level allowance (BG-20) where VAT category code (BT-95) is \"Not subject to VAT\" shall not contain a Document level allowance VAT rate (BT-96).", subject: "ram:RateApplicablePercent") { !$0.exists("ram:RateApplicablePercent") },
        ]),
        FacturXVAT.allowanceCategory("S", [
            BusinessRule("BR-S-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-S-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" the Document level allowance VAT rate (BT-96) shall be greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >, 0) },
        ]),
        FacturXVAT.allowanceCategory("Z", [
            BusinessRule("BR-Z-03", terms: "BG-20 BT-95 BT-31 BT-32 BT-63", "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-Z-06", terms: "BG-20 BT-95 BT-96", "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.chargeCategory("AE", [
            BusinessRule("BR-AE-04", terms: "BG-21 BT-102 BT-31 BT-32 BT-63 BT-48 BT-47", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") { FacturXVAT.sellerAndBuyerIdentifiedForReverseCharge($0) },
            BusinessRule("BR-AE-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.chargeCategory("E", [
            BusinessRule("BR-E-04", terms: "BG-21 BT-102 BT-31 BT-32 BT-63", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-E-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\", the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.chargeCategory("G", [
            BusinessRule("BR-G-04", terms: "BG-21 BT-102 BT-31 BT-63", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATIdentified($0) },
            BusinessRule("BR-G-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.chargeCategory("K", [
            BusinessRule("BR-IC-04", terms: "BG-21 BT-102 BT-31 BT-63 BT-48", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") { FacturXVAT.sellerAndBuyerVATIdentified($0) },
            BusinessRule("BR-IC-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        FacturXVAT.chargeCategory("L", [
            BusinessRule("BR-AF-04", terms: "BG-21 BT-102 BT-31 BT-32 BT-63", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-AF-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >, 0) },
        ]),
        FacturXVAT.chargeCategory("M", [
            BusinessRule("BR-AG-04", terms: "BG-21 BT-102 BT-31 BT-32 BT-63", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-AG-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >=, 0) },
        ]),
        FacturXVAT.chargeCategory("O", [
            BusinessRule("BR-O-04", terms: "BG-21 BT-102 BT-31 BT-63 BT-48", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") { FacturXVAT.noVATIdentifier($0) },
            BusinessRule("BR-O-07", terms: "BG-21 BT-102 BT-103", "A Document level charge (BG-21) where the VAT category code (BT-102) is \"Not subject to VAT\" shall not contain a Document level charge VAT rate (BT-103).", subject: "ram:RateApplicablePercent") { !$0.exists("ram:RateApplicablePercent") },
        ]),
        FacturXVAT.chargeCategory("S", [
            BusinessRule("BR-S-04", terms: "BG-21 BT-102 BT-31 BT-32 BT-63", "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-S-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" the Document level charge VAT rate (BT-103) shall be greater than zero.", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", >, 0) },
        ]),
        FacturXVAT.chargeCategory("Z", [
            BusinessRule("BR-Z-04", terms: "BT-102 BT-31 BT-32 BT-63", "An Invoice that contains a Document level charge where the Document level charge VAT category code (BT-102) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") { FacturXVAT.sellerVATOrTaxRegistration($0) },
            BusinessRule("BR-Z-07", terms: "BG-21 BT-102 BT-103", "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Zero rated\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") { $0.compares("ram:RateApplicablePercent", ==, 0) },
        ]),
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementHeaderMonetarySummation"), [
            BusinessRule("BR-12", terms: "BT-106", "An Invoice shall have the Sum of Invoice line net amount (BT-106).") { $0.exists("ram:LineTotalAmount") },
            FacturXSharedRules.totalWithoutVATPresent,
            FacturXSharedRules.totalWithVATPresent,
            FacturXSharedRules.amountDuePresent,
            BusinessRule("BR-CO-11", terms: "BT-107 BT-92", "Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).", subject: "ram:AllowanceTotalAmount") { allowancesAddUp($0) },
            BusinessRule("BR-CO-12", terms: "BT-108 BT-99", "Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).", subject: "ram:ChargeTotalAmount") { chargesAddUp($0) },
            BusinessRule("BR-CO-13", terms: "BT-109 BT-131 BT-107 BT-108", "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).", subject: "ram:TaxBasisTotalAmount") { totalWithoutVATAddsUp($0) },
            BusinessRule("BR-CO-15", terms: "BT-112 BT-109 BT-110", "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).", subject: "ram:GrandTotalAmount") { totalWithVATAddsUp($0) },
            BusinessRule("BR-CO-16", terms: "BT-115 BT-112 BT-113 BT-114", "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).", subject: "ram:DuePayableAmount") { amountDueAddsUp($0) },
            FacturXSharedRules.decimals("BR-DEC-09", "ram:LineTotalAmount", term: "BT-106", name: "Sum of Invoice line net amount"),
            FacturXSharedRules.decimals("BR-DEC-10", "ram:AllowanceTotalAmount", term: "BT-107", name: "Sum of allowanced on document level"),
            FacturXSharedRules.decimals("BR-DEC-11", "ram:ChargeTotalAmount", term: "BT-108", name: "Sum of charges on document level"),
            FacturXSharedRules.decimals("BR-DEC-12", "ram:TaxBasisTotalAmount", term: "BT-109", name: "Invoice total amount without VAT"),
            FacturXSharedRules.totalVATDecimals,
            FacturXSharedRules.decimals("BR-DEC-14", "ram:GrandTotalAmount", term: "BT-112", name: "Invoice total amount with VAT"),
            BusinessRule("BR-DEC-15", terms: "BT-111", "The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.") { accountingVATDecimals($0) },
            FacturXSharedRules.decimals("BR-DEC-16", "ram:TotalPrepaidAmount", term: "BT-113", name: "Paid amount"),
            FacturXSharedRules.decimals("BR-DEC-17", "ram:RoundingAmount", term: "BT-114", name: "Rounding amount"),
            FacturXSharedRules.decimals("BR-DEC-18", "ram:DuePayableAmount", term: "BT-115", name: "Amount due for payment"),
            BusinessRule("BR-53", terms: "BT-6 BT-111", "If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.") { accountingVATStated($0) },
        ]),
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", where: { $0.isInInvoiceCurrency }), [
            BusinessRule("BR-CO-14", terms: "BT-110 BT-117", "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).") {
                $0.compares(".", ==, XPathDecimal.cents($0.sum("\(FacturXPath.settlement)/ram:ApplicableTradeTax/ram:CalculatedAmount")))
            },
        ]),
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementPaymentMeans"), [
            BusinessRule("BR-49", terms: "BG-16 BT-81", "A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).") { $0.exists("ram:TypeCode") },
            BusinessRule("BR-CO-27", terms: "BT-84", "Either the IBAN or a Proprietary ID (BT-84) shall be used.") {
                $0.exists("ram:PayeePartyCreditorFinancialAccount/ram:IBANID") || $0.exists("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID")
                || (!$0.exists("ram:PayeePartyCreditorFinancialAccount/ram:IBANID") && !$0.exists("ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"))
            },
        ]),
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount", where: isCreditTransfer), [
            BusinessRule("BR-61", terms: "BT-81 BT-84", "If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.") { $0.exists("ram:IBANID") || $0.exists("ram:ProprietaryID") },
        ]),
        ContextRules(RuleContext("//ram:SpecifiedTradeSettlementPaymentMeans/ram:PayerPartyDebtorFinancialAccount", where: isCreditTransfer), [
            BusinessRule("BR-50", terms: "BT-84 BG-16", "A Payment account identifier (BT-84) shall be present if Credit transfer (BG-16) information is provided in the Invoice.") { $0.exists("ram:IBANID") || $0.exists("ram:ProprietaryID") },
        ]),
        ContextRules(RuleContext("//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"), [
            BusinessRule("BR-CO-18", terms: "BG-23", "An Invoice shall at least have one VAT breakdown group (BG-23).") { $0.exists("ram:ApplicableTradeTax") },
        ]),
        ContextRules(breakdownCode("AE"), [
            BusinessRule("BR-AE-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Reverse charge\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") { $0.compares("../ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-AE-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Reverse charge\" shall have a VAT exemption reason code (BT-121), meaning \"Reverse charge\" or the VAT exemption reason text (BT-120) \"Reverse charge\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(breakdownCode("E"), [
            BusinessRule("BR-E-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals \"Exempt from VAT\" shall equal 0 (zero).", subject: "../ram:CalculatedAmount") { $0.compares("../ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-E-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Exempt from VAT\" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(breakdownCode("G"), [
            BusinessRule("BR-G-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Export outside the EU\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") { $0.compares("../ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-G-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with the VAT Category code (BT-118) \"Export outside the EU\" shall have a VAT exemption reason code (BT-121), meaning \"Export outside the EU\" or the VAT exemption reason text (BT-120) \"Export outside the EU\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(breakdownCode("K"), [
            BusinessRule("BR-IC-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") { $0.compares("../ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-IC-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with the VAT Category code (BT-118) \"Intra-community supply\" shall have a VAT exemption reason code (BT-121), meaning \"Intra-community supply\" or the VAT exemption reason text (BT-120) \"Intra-community supply\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
            BusinessRule("BR-IC-11", terms: "BG-23 BT-118 BT-72 BG-14", "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.") {
                $0.exists("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")
                || $0.exists("../../ram:BillingSpecifiedPeriod/ram:StartDateTime") || $0.exists("../../ram:BillingSpecifiedPeriod/ram:EndDateTime")
            },
            BusinessRule("BR-IC-12", terms: "BG-23 BT-118 BT-80", "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Deliver to country code (BT-80) shall not be blank.") {
                $0.exists("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")
            },
        ]),
        ContextRules(breakdown("L"), [
            BusinessRule("BR-AF-09", terms: "BT-117 BG-23 BT-118 BT-116 BT-119", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IGIC\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).") { _ in true },
            BusinessRule("BR-AF-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"IGIC\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("ram:ExemptionReason") && !$0.exists("ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(breakdown("M"), [
            BusinessRule("BR-AG-09", terms: "BT-117 BG-23 BT-118 BT-116 BT-119", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IPSI\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).") { _ in true },
            BusinessRule("BR-AG-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"IPSI\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("ram:ExemptionReason") && !$0.exists("ram:ExemptionReasonCode")
            },
        ]),
        ContextRules(breakdown("O"), [
            BusinessRule("BR-O-09", terms: "BT-117 BG-23 BT-118", "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Not subject to VAT\" shall be 0 (zero).", subject: "ram:CalculatedAmount") { $0.compares("ram:CalculatedAmount", ==, 0) },
            BusinessRule("BR-O-10", terms: "BG-23 BT-118 BT-121 BT-120", "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \" Not subject to VAT\" shall have a VAT exemption reason code (BT-121), meaning \" Not subject to VAT\" or a VAT exemption reason text (BT-120) \" Not subject to VAT\" (or the equivalent standard text in another language).") {
                $0.exists("ram:ExemptionReason") || $0.exists("ram:ExemptionReasonCode")
            },
            BusinessRule("BR-O-11", terms: "BG-23 BT-118", "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain other VAT breakdown groups (BG-23).") {
                !$0.any("//ram:ApplicableTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
            BusinessRule("BR-O-13", terms: "BG-23 BT-118 BG-20 BT-95", "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not \"Not subject to VAT\".") {
                !$0.any("//ram:CategoryTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
            BusinessRule("BR-O-14", terms: "BG-23 BT-118 BG-21 BT-102", "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not \"Not subject to VAT\".") {
                !$0.any("//ram:CategoryTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
        ]),
        ContextRules(RuleContext(FacturXPath.invoice), [
            BusinessRule("BR-CO-25", terms: "BT-115 BT-9 BT-20", "In case the Amount due for payment (BT-115) is positive, either the Payment due date (BT-9) or the Payment terms (BT-20) shall be present.") { amountDueHasTerms($0) },
        ] + FacturXSharedRules.documentPresence + [
            BusinessRule("BR-10", terms: "BG-8", "An Invoice shall contain the Buyer postal address (BG-8).") { $0.exists("//ram:BuyerTradeParty/ram:PostalTradeAddress") },
            BusinessRule("BR-11", terms: "BT-55", "The Buyer postal address shall contain a Buyer country code (BT-55).") {
                $0.hasText("//ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID")
            },
            BusinessRule("BR-62", terms: "BT-34", "The Seller electronic address (BT-34) shall have a Scheme identifier.") {
                electronicAddressHasScheme($0, party: "ram:SellerTradeParty")
            },
            BusinessRule("BR-63", terms: "BT-49", "The Buyer electronic address (BT-49) shall have a Scheme identifier.") {
                electronicAddressHasScheme($0, party: "ram:BuyerTradeParty")
            },
        ]),
        ContextRules(RuleContext("\(FacturXPath.invoice)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"), [
            BusinessRule("BR-57", terms: "BG-15 BT-80", "Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).") {
                !$0.exists("ram:ShipToTradeParty/ram:PostalTradeAddress") || $0.hasText("ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")
            },
        ]),
        ContextRules(RuleContext("\(FacturXPath.settlement)/ram:InvoiceReferencedDocument"), [
            BusinessRule("BR-55", terms: "BG-3 BT-25", "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).") { $0.hasText("ram:IssuerAssignedID") },
        ]),
    ]

    /// The VAT breakdowns (`ram:CategoryCode` elements) whose category code is `code`.
    private static func breakdownCode(_ code: String) -> RuleContext {
        RuleContext("//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", where: { $0.text == code })
    }

    /// The VAT breakdowns (`ram:ApplicableTradeTax` elements) with a category code `code`.
    private static func breakdown(_ code: String) -> RuleContext {
        RuleContext("//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", where: { $0.anyText("ram:CategoryCode", is: code) })
    }

    /// `[ram:TypeCode='30' or ram:TypeCode='58']` on the payment means holding the account.
    @Sendable private static func isCreditTransfer(_ account: RuleNode) -> Bool {
        account.parent?.anyText("ram:TypeCode") { $0 == "30" || $0 == "58" } ?? false
    }

    /// BR-CO-17 on a VAT breakdown: a zero rate needs a tax amount rounding to 0; otherwise the
    /// amount lies within 1 of taxable x rate / 100 rounded to cents. The rate counts only under
    /// tax type `VAT`; without one, the amount must round to 0.
    private static func taxAmountMatchesRate(_ tax: RuleNode) -> Bool {
        let rate = tax.normalized("ram:TypeCode").uppercased() == "VAT" ? tax.decimal("ram:RateApplicablePercent") : nil
        let amount = tax.decimal("ram:CalculatedAmount")
        guard let rate, XPathDecimal.round(rate) != 0 else { return amount.map { XPathDecimal.round($0) == 0 } ?? false }
        guard let amount, let basis = tax.decimal("ram:BasisAmount") else { return false }
        let expected = XPathDecimal.cents(XPathDecimal.hundredth(abs(basis) * rate))
        return abs(amount) - 1 <= expected && abs(amount) + 1 >= expected
    }

    /// BR-S-09 on a standard-rated category code: the breakdown's tax amount lies strictly within 1 of
    /// round(taxable x rate) / 100.
    private static func standardRateAmountMatches(_ code: RuleNode) -> Bool {
        guard let amount = code.decimal("../ram:CalculatedAmount"), let basis = code.decimal("../ram:BasisAmount"),
              let rate = code.decimal("../ram:RateApplicablePercent") else { return false }
        let expected = XPathDecimal.hundredth(XPathDecimal.round(abs(basis) * rate))
        return abs(amount) - 1 < expected && abs(amount) + 1 > expected
    }

    /// BR-29: the period's end (format 102) is not before its start, or one of them is missing.
    private static func periodIsOrdered(_ period: RuleNode) -> Bool {
        func dates(_ path: String) -> [String] { period.all(path).filter { $0.attribute("format") == "102" }.map(\.text) }
        let starts = dates("ram:StartDateTime/udt:DateTimeString")
        return dates("ram:EndDateTime/udt:DateTimeString").contains { end in starts.contains { end >= $0 } }
            || !period.exists("ram:EndDateTime") || !period.exists("ram:StartDateTime")
    }

    /// BR-17 as the Schematron tests it: the payee has a name and shares none with a sibling seller.
    private static func payeeIsNamed(_ payee: RuleNode) -> Bool {
        func shares(_ path: String, _ sellerPath: String) -> Bool {
            let seller = Set(payee.strings("../ram:SellerTradeParty/\(sellerPath)"))
            return payee.strings(path).contains(where: seller.contains)
        }
        return payee.exists("ram:Name") && !shares("ram:Name", "ram:Name") && !shares("ram:ID", "ram:ID")
            && !shares("ram:SpecifiedLegalOrganization/ram:ID", "ram:SpecifiedLegalOrganization/ram:ID")
    }

    /// The document-level allowances (`false`) or charges (`true`).
    private static func allowanceCharges(_ node: RuleNode, charge: Bool) -> [RuleNode] {
        node.all("\(FacturXPath.settlement)/ram:SpecifiedTradeAllowanceCharge").filter {
            $0.strings("ram:ChargeIndicator/udt:Indicator").contains(charge ? "true" : "false")
        }
    }

    /// BR-CO-11: no allowance and no total, or the total is the allowances' sum in cents.
    private static func allowancesAddUp(_ totals: RuleNode) -> Bool {
        let allowances = allowanceCharges(totals, charge: false)
        if allowances.isEmpty && !totals.exists("ram:AllowanceTotalAmount") { return true }
        let sum = XPathDecimal.cents(allowances.flatMap { $0.decimals("ram:ActualAmount") }.reduce(0, +))
        return totals.compares("ram:AllowanceTotalAmount", ==, sum)
    }

    /// BR-CO-12: no charge and no total, or the total in cents is the charges' sum plus the
    /// logistics service charges' sum, each in cents.
    private static func chargesAddUp(_ totals: RuleNode) -> Bool {
        let charges = allowanceCharges(totals, charge: true)
        if charges.isEmpty && !totals.exists("ram:ChargeTotalAmount") { return true }
        guard let stated = totals.decimal("\(FacturXPath.totals)/ram:ChargeTotalAmount") else { return false }
        let chargeSum = XPathDecimal.cents(charges.flatMap { $0.decimals("ram:ActualAmount") }.reduce(0, +))
        let logistics = XPathDecimal.cents(totals.sum("\(FacturXPath.settlement)/ram:SpecifiedLogisticsServiceCharge/ram:AppliedAmount"))
        return XPathDecimal.cents(stated) == XPathDecimal.cents(chargeSum + logistics)
    }

    /// BR-CO-13 without lines: the total without VAT is the stated line total minus allowances plus
    /// charges, in cents, each total counting only when present.
    private static func totalWithoutVATAddsUp(_ totals: RuleNode) -> Bool {
        guard let basis = totals.decimal("ram:TaxBasisTotalAmount"), let lines = totals.decimal("ram:LineTotalAmount") else { return false }
        let allowances = totals.decimal("ram:AllowanceTotalAmount"), charges = totals.decimal("ram:ChargeTotalAmount")
        let hasAllowances = totals.exists("ram:AllowanceTotalAmount"), hasCharges = totals.exists("ram:ChargeTotalAmount")
        func matches(_ value: Decimal?) -> Bool { value.map { basis == XPathDecimal.cents($0) } ?? false }
        return matches(allowances.flatMap { allowances in charges.map { lines - allowances + $0 } })
            || (matches(allowances.map { lines - $0 }) && !hasCharges)
            || (matches(charges.map { lines + $0 }) && !hasAllowances)
            || (matches(lines) && !hasCharges && !hasAllowances)
    }

    /// BR-CO-15 exactly as the profile's Schematron tests it: its currency path is relative to the
    /// totals element, where it selects nothing, so `every $Currency in () satisfies ...` holds for
    /// every document. Kept so that the profile's verdicts stay the Schematron's.
    private static func totalWithVATAddsUp(_ totals: RuleNode) -> Bool {
        totals.strings("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode").allSatisfy { currency in
            let vat = totals.all("ram:TaxTotalAmount").filter { $0.attribute("currencyID") == currency }
            guard let grand = totals.decimal("ram:GrandTotalAmount"), let basis = totals.decimal("ram:TaxBasisTotalAmount") else { return false }
            return (vat.count == 1 && vat.compactMap { XPathDecimal.parse($0.text) }.contains { grand == XPathDecimal.cents(basis + $0) }) || grand == basis
        }
    }

    /// BR-CO-16: amount due = total with VAT - paid + rounding, where an absent (or zero) paid or
    /// rounding amount may be left out, as `not(xs:decimal(...))` reads them.
    private static func amountDueAddsUp(_ totals: RuleNode) -> Bool {
        guard let due = totals.decimal("ram:DuePayableAmount"), let grand = totals.decimal("ram:GrandTotalAmount") else { return false }
        let paid = totals.decimal("ram:TotalPrepaidAmount"), rounding = totals.decimal("ram:RoundingAmount")
        let noPaid = paid == nil || paid == 0, noRounding = rounding == nil || rounding == 0
        if let paid, let rounding, due == grand - paid + rounding { return true }
        if let rounding, due == grand + rounding, noPaid { return true }
        if let paid, due == grand - paid, noRounding { return true }
        return due == grand && noPaid && noRounding
    }

    /// BR-DEC-15: the VAT total in the accounting currency (BT-111) has at most two decimals.
    private static func accountingVATDecimals(_ totals: RuleNode) -> Bool {
        let accounting = totals.strings("\(FacturXPath.settlement)/ram:TaxCurrencyCode")
        return !totals.exists("ram:TaxTotalAmount") || totals.any("ram:TaxTotalAmount") {
            (accounting.contains($0.attribute("currencyID") ?? "\u{0}") && $0.isWholeCents) || accounting.isEmpty
        }
    }

    /// BR-53: with a VAT accounting currency (BT-6), a VAT total in that currency (BT-111) is
    /// stated, and that currency is not the invoice currency.
    private static func accountingVATStated(_ totals: RuleNode) -> Bool {
        let accounting = totals.strings("\(FacturXPath.settlement)/ram:TaxCurrencyCode")
        guard !accounting.isEmpty else { return true }
        let stated = totals.all("ram:TaxTotalAmount").compactMap { $0.attribute("currencyID") }
        return stated.contains(where: accounting.contains) && !accounting.contains(where: totals.invoiceCurrency.contains)
    }

    /// BR-CO-25: a positive amount due needs a due date or payment terms.
    private static func amountDueHasTerms(_ invoice: RuleNode) -> Bool {
        let due = invoice.all("//ram:DuePayableAmount")
        guard due.count == 1, let amount = XPathDecimal.parse(due[0].text), amount > 0 else { return true }
        return invoice.exists("//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime") || invoice.exists("//ram:SpecifiedTradePaymentTerms/ram:Description")
    }

    /// BR-62 / BR-63: the party's first electronic address has a scheme, or it has none.
    private static func electronicAddressHasScheme(_ invoice: RuleNode, party: String) -> Bool {
        let addresses = invoice.all("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/\(party)/ram:URIUniversalCommunication")
        guard let first = addresses.first else { return true }
        return !RuleNode.normalizeSpace(first.first("ram:URIID")?.attribute("schemeID") ?? "").isEmpty
    }
}
