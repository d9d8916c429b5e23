import Foundation

/// EN 16931's business rules bound to UN/CEFACT CII D16B, after the CEN/TC 434 artefact's
/// `EN16931-CII-Model` pattern (`EN16931-CII-validation.xslt`): one group per rule context, in the
/// artefact's order (its template priorities), the VAT category families' groups between the
/// document's own and the VAT breakdown's, where the artefact has them.
enum CIIModelRules {
    /// The pattern: BR-01 … BR-65, BR-CO-*, BR-DEC-* and the VAT category families.
    static let pattern = RulePattern("EN16931-CII-Model", [
        ContextRules(RuleContext("ram:DesignatedProductClassification"), [
            BusinessRule("BR-65", terms: "BT-158", "The Item classification identifier (BT-158) shall have a Scheme identifier.", subject: "ram:ClassCode") {
                $0.normalizedAttribute("ram:ClassCode/@listID") != "" || !$0.exists("ram:ClassCode")
            },
        ]),
        ContextRules(RuleContext("ram:AdditionalReferencedDocument"), [
            BusinessRule("BR-52", terms: "BG-24, BT-122", "Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).") {
                $0.normalized("ram:IssuerAssignedID") != ""
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableTradeSettlementFinancialCard"), [
            BusinessRule("BR-51", terms: "BT-87", "In accordance with card payments security standards an invoice should never include a full card primary account number (BT-97). At the moment PCI Security Standards Council has defined that the first 6 digits and last 4 digits are the maximum number of digits to be shown.", subject: "ram:ID") {
                $0.normalized("ram:ID").unicodeScalars.count <= 10
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount", where: {
            $0.parent?.some("ram:TypeCode", is: "30", "58") ?? false
        }), [
            BusinessRule("BR-50", terms: "BT-84, BG-16", "A Payment account identifier (BT-84) shall be present if Credit transfer (BG-16) information is provided in the Invoice.") {
                $0.normalized("ram:IBANID") != "" || $0.normalized("ram:ProprietaryID") != ""
            },
            BusinessRule("BR-61", terms: "BT-81, BT-84", "If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.") {
                $0.exists("ram:IBANID") || $0.exists("ram:ProprietaryID")
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"), [
            BusinessRule("BR-57", terms: "BG-15, BT-80", "Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).") {
                !$0.exists("ram:ShipToTradeParty/ram:PostalTradeAddress") || $0.normalized("ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID") != ""
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.some("udt:Indicator", is: "false") }), [
            BusinessRule("BR-31", terms: "BG-20, BT-92", "Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).") {
                $0.exists("../ram:ActualAmount")
            },
            BusinessRule("BR-32", terms: "BG-20, BT-95", "Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).") {
                $0.any("../ram:CategoryTradeTax") { $0.isVAT && $0.exists("ram:CategoryCode") }
            },
            BusinessRule("BR-33", terms: "BG-20, BT-97, BT-98", "Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-05", terms: "BT-98, BT-97", "Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) shall indicate the same type of allowance.") {
                _ in true
            },
            BusinessRule("BR-CO-21", terms: "BG-20, BT-97, BT-98", "Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-01", terms: "BT-92", "The allowed maximum number of decimals for the Document level allowance amount (BT-92) is 2.", subject: "../ram:ActualAmount") {
                $0.decimalPlaces("../ram:ActualAmount") <= 2
            },
            BusinessRule("BR-DEC-02", terms: "BT-93", "The allowed maximum number of decimals for the Document level allowance base amount (BT-93) is 2.", subject: "../ram:BasisAmount") {
                $0.decimalPlaces("../ram:BasisAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.some("udt:Indicator", is: "true") }), [
            BusinessRule("BR-36", terms: "BG-21, BT-99", "Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).") {
                $0.exists("../ram:ActualAmount")
            },
            BusinessRule("BR-37", terms: "BG-21, BT-102", "Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).") {
                $0.any("../ram:CategoryTradeTax") { $0.isVAT && $0.exists("ram:CategoryCode") }
            },
            BusinessRule("BR-38", terms: "BG-21, BT-104, BT-105", "Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-06", terms: "BT-105, BT-104", "Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall indicate the same type of charge.") {
                _ in true
            },
            BusinessRule("BR-CO-22", terms: "BG-21, BT-104, BT-105", "Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-05", terms: "BT-99", "The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.", subject: "../ram:ActualAmount") {
                $0.decimalPlaces("../ram:ActualAmount") <= 2
            },
            BusinessRule("BR-DEC-06", terms: "BT-100", "The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.", subject: "../ram:BasisAmount") {
                $0.decimalPlaces("../ram:BasisAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementHeaderMonetarySummation"), [
            BusinessRule("BR-12", terms: "BT-106", "An Invoice shall have the Sum of Invoice line net amount (BT-106).") {
                $0.exists("ram:LineTotalAmount")
            },
            BusinessRule("BR-13", terms: "BT-109", "An Invoice shall have the Invoice total amount without VAT (BT-109).") {
                $0.exists("ram:TaxBasisTotalAmount")
            },
            BusinessRule("BR-14", terms: "BT-112", "An Invoice shall have the Invoice total amount with VAT (BT-112).") {
                $0.exists("ram:GrandTotalAmount")
            },
            BusinessRule("BR-15", terms: "BT-115", "An Invoice shall have the Amount due for payment (BT-115).") { $0.exists("ram:DuePayableAmount") },
            BusinessRule("BR-53", terms: "BT-6, BT-111", "If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.") { summation in
                let accounting = summation.strings("\(settlement)/ram:TaxCurrencyCode")
                guard !accounting.isEmpty else { return true }
                return summation.attributes("ram:TaxTotalAmount/@currencyID").contains(where: accounting.contains)
                    && !summation.strings("\(settlement)/ram:InvoiceCurrencyCode").contains(where: accounting.contains)
            },
            BusinessRule("BR-CO-10", terms: "BT-106, BT-131", "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).", subject: "ram:LineTotalAmount") { summation in
                let lines = summation.doubleSum("../../ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
                guard let stated = summation.decimal("ram:LineTotalAmount"), let sum = RuleNode.decimal(converting: lines) else { return false }
                return stated == XPathDecimal.cents(sum)
            },
            BusinessRule("BR-CO-11", terms: "BT-107, BT-92", "Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).", subject: "ram:AllowanceTotalAmount") {
                $0.statesDocumentTotal("ram:AllowanceTotalAmount", of: false)
            },
            BusinessRule("BR-CO-12", terms: "BT-108, BT-99", "Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).", subject: "ram:ChargeTotalAmount") {
                $0.statesDocumentTotal("ram:ChargeTotalAmount", of: true)
            },
            BusinessRule("BR-CO-13", terms: "BT-109, BT-131, BT-107, BT-108", "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).", subject: "ram:TaxBasisTotalAmount") { summation in
                guard let basis = summation.decimal("ram:TaxBasisTotalAmount"), let lines = summation.decimal("ram:LineTotalAmount"),
                      let allowances = summation.decimalOrZero("ram:AllowanceTotalAmount"), let charges = summation.decimalOrZero("ram:ChargeTotalAmount")
                else { return false }
                return basis == XPathDecimal.cents(lines - allowances + charges)
            },
            BusinessRule("BR-CO-16", terms: "BT-115, BT-112, BT-113, BT-114", "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).", subject: "ram:DuePayableAmount") { summation in
                guard let due = summation.decimal("ram:DuePayableAmount"), let grand = summation.decimal("ram:GrandTotalAmount"),
                      let prepaid = summation.decimalOrZero("ram:TotalPrepaidAmount"), let rounding = summation.decimalOrZero("ram:RoundingAmount")
                else { return false }
                return due == grand - prepaid + rounding
            },
            BusinessRule("BR-DEC-09", terms: "BT-106", "The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.", subject: "ram:LineTotalAmount") {
                $0.decimalPlaces("ram:LineTotalAmount") <= 2
            },
            BusinessRule("BR-DEC-10", terms: "BT-107", "The allowed maximum number of decimals for the Sum of allowanced on document level (BT-107) is 2.", subject: "ram:AllowanceTotalAmount") {
                $0.decimalPlaces("ram:AllowanceTotalAmount") <= 2
            },
            BusinessRule("BR-DEC-11", terms: "BT-108", "The allowed maximum number of decimals for the Sum of charges on document level (BT-108) is 2.", subject: "ram:ChargeTotalAmount") {
                $0.decimalPlaces("ram:ChargeTotalAmount") <= 2
            },
            BusinessRule("BR-DEC-12", terms: "BT-109", "The allowed maximum number of decimals for the Invoice total amount without VAT (BT-109) is 2.", subject: "ram:TaxBasisTotalAmount") {
                $0.decimalPlaces("ram:TaxBasisTotalAmount") <= 2
            },
            BusinessRule("BR-DEC-14", terms: "BT-112", "The allowed maximum number of decimals for the Invoice total amount with VAT (BT-112) is 2.", subject: "ram:GrandTotalAmount") {
                $0.decimalPlaces("ram:GrandTotalAmount") <= 2
            },
            BusinessRule("BR-DEC-13", terms: "BT-110", "The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.", subject: "ram:TaxTotalAmount") { summation in
                let currencies = summation.strings("\(settlement)/ram:InvoiceCurrencyCode")
                let amounts = summation.all("ram:TaxTotalAmount")
                return amounts.isEmpty || amounts.contains { amount in
                    let inInvoiceCurrency = amount.attribute("currencyID").map(currencies.contains) ?? false
                    return !inInvoiceCurrency || amount.hasAtMostTwoDecimals
                }
            },
            BusinessRule("BR-DEC-15", terms: "BT-111", "The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.", subject: "ram:TaxTotalAmount") { summation in
                let currencies = summation.strings("\(settlement)/ram:TaxCurrencyCode")
                let amounts = summation.all("ram:TaxTotalAmount")
                return amounts.isEmpty || currencies.isEmpty || amounts.contains { amount in
                    (amount.attribute("currencyID").map(currencies.contains) ?? false) && amount.hasAtMostTwoDecimals
                }
            },
            BusinessRule("BR-DEC-16", terms: "BT-113", "The allowed maximum number of decimals for the Paid amount (BT-113) is 2.", subject: "ram:TotalPrepaidAmount") {
                $0.decimalPlaces("ram:TotalPrepaidAmount") <= 2
            },
            BusinessRule("BR-DEC-17", terms: "BT-114", "The allowed maximum number of decimals for the Rounding amount (BT-114) is 2.", subject: "ram:RoundingAmount") {
                $0.decimalPlaces("ram:RoundingAmount") <= 2
            },
            BusinessRule("BR-DEC-18", terms: "BT-115", "The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.", subject: "ram:DuePayableAmount") {
                $0.decimalPlaces("ram:DuePayableAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice"), [
            BusinessRule("BR-01", terms: "BT-24", "An Invoice shall have a Specification identifier (BT-24).") {
                $0.normalized("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") != ""
            },
            BusinessRule("BR-02", terms: "BT-1", "An Invoice shall have an Invoice number (BT-1).") {
                $0.normalized("rsm:ExchangedDocument/ram:ID") != ""
            },
            BusinessRule("BR-03", terms: "BT-2", "An Invoice shall have an Invoice issue date (BT-2).") {
                RuleNode.normalizeSpace($0.dates102("rsm:ExchangedDocument/ram:IssueDateTime").first ?? "") != ""
            },
            BusinessRule("BR-04", terms: "BT-3", "An Invoice shall have an Invoice type code (BT-3).") {
                $0.normalized("rsm:ExchangedDocument/ram:TypeCode") != ""
            },
            BusinessRule("BR-05", terms: "BT-5", "An Invoice shall have an Invoice currency code (BT-5).") {
                $0.normalized("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode") != ""
            },
            BusinessRule("BR-06", terms: "BT-27", "An Invoice shall contain the Seller name (BT-27).") {
                $0.normalized("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name") != ""
            },
            BusinessRule("BR-07", terms: "BT-44", "An Invoice shall contain the Buyer name (BT-44).") {
                $0.normalized("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name") != ""
            },
            BusinessRule("BR-08", terms: "BG-5", "An Invoice shall contain the Seller postal address (BG-5).") {
                $0.exists("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:PostalTradeAddress")
            },
            BusinessRule("BR-09", terms: "BG-5, BT-40", "The Seller postal address (BG-5) shall contain a Seller country code (BT-40).") {
                $0.normalized("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID") != ""
            },
            BusinessRule("BR-10", terms: "BG-8", "An Invoice shall contain the Buyer postal address (BG-8).") {
                $0.exists("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:PostalTradeAddress")
            },
            BusinessRule("BR-11", terms: "BT-55", "The Buyer postal address shall contain a Buyer country code (BT-55).") {
                $0.normalized("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID") != ""
            },
            BusinessRule("BR-16", terms: "BG-25", "An Invoice shall have at least one Invoice line (BG-25).") {
                $0.exists("//ram:IncludedSupplyChainTradeLineItem")
            },
            BusinessRule("BR-62", terms: "BT-34", "The Seller electronic address (BT-34) shall have a Scheme identifier.", subject: "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:URIUniversalCommunication/ram:URIID") {
                $0.electronicAddressHasScheme("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty")
            },
            BusinessRule("BR-63", terms: "BT-49", "The Buyer electronic address (BT-49) shall have a Scheme identifier.", subject: "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID") {
                $0.electronicAddressHasScheme("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty")
            },
            BusinessRule("BR-CO-15", terms: "BT-112, BT-109, BT-110", "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).", subject: "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount") { invoice in
                let summation = "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
                let grand = invoice.decimal("\(summation)/ram:GrandTotalAmount"), basis = invoice.decimal("\(summation)/ram:TaxBasisTotalAmount")
                return invoice.strings("\(settlement)/ram:InvoiceCurrencyCode").allSatisfy { currency in
                    let taxes = invoice.all("\(summation)/ram:TaxTotalAmount").filter { $0.attribute("currencyID") == currency }
                    guard let grand else { return false }
                    if taxes.count == 1, let basis, let tax = taxes.first.flatMap({ XPathDecimal.parse($0.text) }),
                       grand == XPathDecimal.cents(basis + tax) { return true }
                    return grand == basis
                }
            },
        ] + CIIVATCategoryRules.documentRules),
        ContextRules(RuleContext("ram:IncludedSupplyChainTradeLineItem"), [
            BusinessRule("BR-21", terms: "BG-25, BT-126", "Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).") {
                $0.normalized("ram:AssociatedDocumentLineDocument/ram:LineID") != ""
            },
            BusinessRule("BR-22", terms: "BG-25, BT-129", "Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).") {
                $0.exists("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
            },
            BusinessRule("BR-23", terms: "BG-25, BT-130", "An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).") {
                $0.present("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode")
            },
            BusinessRule("BR-24", terms: "BG-25, BT-131", "Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).") {
                $0.exists("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
            },
            BusinessRule("BR-25", terms: "BG-25, BT-153", "Each Invoice line (BG-25) shall contain the Item name (BT-153).") {
                $0.normalized("ram:SpecifiedTradeProduct/ram:Name") != ""
            },
            BusinessRule("BR-26", terms: "BG-25, BT-146", "Each Invoice line (BG-25) shall contain the Item net price (BT-146).") {
                $0.exists("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount")
            },
            BusinessRule("BR-27", terms: "BT-146", "The Item net price (BT-146) shall NOT be negative.", subject: "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount") {
                $0.doubles("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount").contains { $0 >= 0 }
            },
            BusinessRule("BR-28", terms: "BT-148", "The Item gross price (BT-148) shall NOT be negative.", subject: "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount") {
                $0.doubles("ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount").contains { $0 >= 0 }
                || !$0.exists("ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount")
            },
            BusinessRule("BR-64", terms: "BT-157", "The Item standard identifier (BT-157) shall have a Scheme identifier.", subject: "ram:SpecifiedTradeProduct/ram:GlobalID") {
                $0.normalizedAttribute("ram:SpecifiedTradeProduct/ram:GlobalID/@schemeID") != "" || !$0.exists("ram:SpecifiedTradeProduct/ram:GlobalID")
            },
            BusinessRule("BR-CO-04", terms: "BG-25, BT-151", "Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).") {
                $0.any("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax") { $0.isVAT && $0.exists("ram:CategoryCode") }
            },
            BusinessRule("BR-CO-18", terms: "BG-23", "An Invoice shall at least have one VAT breakdown group (BG-23).") {
                $0.exists("//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")
            },
            BusinessRule("BR-DEC-23", terms: "BT-131", "The allowed maximum number of decimals for the Invoice line net amount (BT-131) is 2.", subject: "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") {
                $0.decimalPlaces("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.some("udt:Indicator", is: "false") }), [
            BusinessRule("BR-41", terms: "BG-27, BT-136", "Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).") {
                $0.exists("../ram:ActualAmount")
            },
            BusinessRule("BR-42", terms: "BG-27, BT-139, BT-140", "Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-07", terms: "BT-140, BT-139", "Invoice line allowance reason code (BT-140) and Invoice line allowance reason (BT-139) shall indicate the same type of allowance reason.") {
                _ in true
            },
            BusinessRule("BR-CO-23", terms: "BG-27, BT-139, BT-140", "Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-24", terms: "BT-136", "The allowed maximum number of decimals for the Invoice line allowance amount (BT-136) is 2.", subject: "../ram:ActualAmount") {
                $0.decimalPlaces("../ram:ActualAmount") <= 2
            },
            BusinessRule("BR-DEC-25", terms: "BT-137", "The allowed maximum number of decimals for the Invoice line allowance base amount (BT-137) is 2.", subject: "../ram:BasisAmount") {
                $0.decimalPlaces("../ram:BasisAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator", where: { $0.some("udt:Indicator", is: "true") }), [
            BusinessRule("BR-43", terms: "BG-28, BT-141", "Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).") {
                $0.exists("../ram:ActualAmount")
            },
            BusinessRule("BR-44", terms: "BG-28, BT-144, BT-145", "Each Invoice line charge (BG-28) shall have an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145).") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-CO-08", terms: "BT-145, BT-144", "Invoice line charge reason code (BT-145) and Invoice line charge reason (BT-144) shall indicate the same type of charge reason.") {
                _ in true
            },
            BusinessRule("BR-CO-24", terms: "BG-28, BT-144, BT-145", "Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.") {
                $0.exists("../ram:Reason") || $0.exists("../ram:ReasonCode")
            },
            BusinessRule("BR-DEC-27", terms: "BT-141", "The allowed maximum number of decimals for the Invoice line charge amount (BT-141) is 2.", subject: "../ram:ActualAmount") {
                $0.decimalPlaces("../ram:ActualAmount") <= 2
            },
            BusinessRule("BR-DEC-28", terms: "BT-142", "The allowed maximum number of decimals for the Invoice line charge base amount (BT-142) is 2.", subject: "../ram:BasisAmount") {
                $0.decimalPlaces("../ram:BasisAmount") <= 2
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod"), [
            BusinessRule("BR-30", terms: "BT-134, BT-135", "If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).", subject: "ram:EndDateTime") {
                $0.billingPeriodEndsAfterStart
            },
            BusinessRule("BR-CO-20", terms: "BG-26, BT-134, BT-135", "If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.") {
                $0.exists("ram:StartDateTime") || $0.exists("ram:EndDateTime")
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod"), [
            BusinessRule("BR-29", terms: "BT-73, BT-74", "If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).", subject: "ram:EndDateTime") {
                $0.billingPeriodEndsAfterStart
            },
            BusinessRule("BR-CO-19", terms: "BG-14, BT-73, BT-74", "If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.") {
                $0.exists("ram:StartDateTime") || $0.exists("ram:EndDateTime")
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableProductCharacteristic"), [
            BusinessRule("BR-54", terms: "BG-32, BT-160, BT-161", "Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).") {
                $0.exists("ram:Description") && $0.exists("ram:Value")
            },
        ]),
        ContextRules(RuleContext("ram:PayeeTradeParty"), [
            BusinessRule("BR-17", terms: "BT-59, BG-10, BG-4", "The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4).") { payee in
                let seller = "../../ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
                return payee.exists("ram:Name") && !payee.anyEqual("ram:Name", "\(seller)/ram:Name") && !payee.anyEqual("ram:ID", "\(seller)/ram:ID")
                    && !payee.anyEqual("ram:SpecifiedLegalOrganization/ram:ID", "\(seller)/ram:SpecifiedLegalOrganization/ram:ID")
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementPaymentMeans"), [
            BusinessRule("BR-49", terms: "BG-16, BT-81", "A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).") {
                $0.exists("ram:TypeCode")
            },
        ]),
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument"), [
            BusinessRule("BR-55", terms: "BG-3, BT-25", "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).") {
                $0.normalized("ram:IssuerAssignedID") != ""
            },
        ]),
        ContextRules(RuleContext("ram:SellerTradeParty"), [
            BusinessRule("BR-CO-26", terms: "BT-29, BT-30, BT-31", "In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.") {
                $0.exists("ram:ID") || $0.exists("ram:GlobalID") || $0.exists("ram:SpecifiedLegalOrganization/ram:ID")
                || !$0.vatRegistrations.isEmpty
            },
        ]),
        ContextRules(RuleContext("ram:SellerTaxRepresentativeTradeParty"), [
            BusinessRule("BR-18", terms: "BT-62, BG-4, BG-11", "The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).") {
                $0.normalized("ram:Name") != ""
            },
            BusinessRule("BR-19", terms: "BG-12, BG-4, BG-11", "The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).") {
                $0.exists("ram:PostalTradeAddress")
            },
            BusinessRule("BR-20", terms: "BG-12, BT-69, BG-4, BG-11", "The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).") {
                $0.normalized("ram:PostalTradeAddress/ram:CountryID") != ""
            },
            BusinessRule("BR-56", terms: "BG-11, BT-63", "Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).") {
                RuleNode.normalizeSpace($0.vatRegistrations.first?.text ?? "") != ""
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount", where: { amount in
            amount.attribute("currencyID").map { amount.strings("\(settlement)/ram:InvoiceCurrencyCode").contains($0) } ?? false
        }), [
            BusinessRule("BR-CO-14", terms: "BT-110, BT-117", "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).") { amount in
                XPathDouble.parse(amount.text) == RuleNode.cents(amount.doubleSum("\(settlement)/ram:ApplicableTradeTax/ram:CalculatedAmount"))
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTaxRegistration/ram:ID", where: { $0.attribute("schemeID") == "VA" }), [
            BusinessRule("BR-CO-09", terms: "BT-31, BT-63, BT-48", "The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.") {
                $0.hasCountryPrefix
            },
        ]),
    ] + CIIVATCategoryRules.groups + [
        ContextRules(RuleContext("ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"), [
            BusinessRule("BR-45", terms: "BG-23, BT-116", "Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).") {
                $0.exists("ram:BasisAmount")
            },
            BusinessRule("BR-46", terms: "BG-23, BT-117", "Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).") {
                $0.exists("ram:CalculatedAmount")
            },
            BusinessRule("BR-47", terms: "BG-23, BT-118", "Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).") {
                $0.isVAT && $0.exists("ram:CategoryCode")
            },
            BusinessRule("BR-48", terms: "BG-23, BT-119", "Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.", subject: "ram:CategoryCode") {
                $0.isVAT && ($0.exists("ram:RateApplicablePercent") || $0.some("ram:CategoryCode", is: "O"))
            },
            BusinessRule("BR-CO-03", terms: "BT-7, BT-8", "Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.") {
                !($0.exists("//ram:TaxPointDate") && $0.exists("//ram:DueDateTypeCode"))
            },
            BusinessRule("BR-CO-17", terms: "BT-117, BT-116, BT-119", "VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.", subject: "ram:CalculatedAmount") {
                $0.breakdownTaxMatchesRate
            },
            BusinessRule("BR-DEC-19", terms: "BT-116", "The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.", subject: "ram:BasisAmount") {
                $0.decimalPlaces("ram:BasisAmount") <= 2
            },
            BusinessRule("BR-DEC-20", terms: "BT-117", "The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.", subject: "ram:CalculatedAmount") {
                $0.decimalPlaces("ram:CalculatedAmount") <= 2
            },
        ]),
    ])

    /// The document's header settlement, where the currencies, VAT breakdown and totals are.
    static let settlement = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
}
