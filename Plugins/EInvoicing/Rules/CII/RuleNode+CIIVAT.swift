import Foundation

/// What the CEN/TC 434 CII artefact's VAT category rules (BR-S … BR-O, BR-B) ask of a
/// CrossIndustryInvoice, one XPath expression each, so every rule reads like its `test=`.
extension RuleNode {
    /// `/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement`, where the parties are.
    static let ciiVATAgreement = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    /// The Seller under `ciiVATAgreement` (made once, so that the path is found by the address of its text).
    static let ciiAgreementSeller = ciiVATAgreement + "/ram:SellerTradeParty"
    /// The Seller's tax representative under `ciiVATAgreement`.
    static let ciiAgreementSellerRepresentative = ciiVATAgreement + "/ram:SellerTaxRepresentativeTradeParty"

    /// `[ram:CategoryCode = code][upper-case(ram:TypeCode) = 'VAT']` on a `ram:ApplicableTradeTax` or `ram:CategoryTradeTax`.
    func ciiIsVATCategory(_ code: String) -> Bool {
        anyText("ram:CategoryCode", is: code) && Self.isUpperCaseVAT(string("ram:TypeCode"))
    }

    /// `[. = code][upper-case(../ram:TypeCode) = 'VAT']` on a VAT breakdown's `ram:CategoryCode`.
    func ciiIsVATCategoryCode(_ code: String) -> Bool {
        text == code && parent?.string("ram:TypeCode").uppercased() == "VAT"
    }


    /// `count(path[ram:CategoryCode = code])`.
    /// A path from the document (`//…`) is counted once per document for every code (the VAT rules
    /// on the document ask it for each category).
    func ciiCategoryCount(_ path: String, _ code: String) -> Int {
        guard path.hasPrefix("//") else {
            var count = 0
            forEach(path) { if $0.anyText("ram:CategoryCode", is: code) { count += 1 } }
            return count
        }
        let counts = document.counts(path) {
            var counts: [String: Int] = [:]
            forEach(path) { tax in
                // Each tax counts once for each distinct code it has.
                let codes = tax.strings("ram:CategoryCode")
                for (index, code) in codes.enumerated() where !codes[..<index].contains(code) { counts[code, default: 0] += 1 }
            }
            return counts
        }
        return counts[code] ?? 0
    }

    /// BR-AE-01, BR-E-01, BR-G-01, BR-IC-01, BR-Z-01 on the document: no tax of category `code` anywhere,
    /// or exactly one in the VAT breakdown and some on a line or a document level allowance or charge.
    func ciiHasOneBreakdownWhereUsed(_ code: String) -> Bool {
        let breakdown = ciiCategoryCount("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", code)
        let lines = ciiCategoryCount("//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", code)
        let allowancesAndCharges = ciiCategoryCount("//ram:CategoryTradeTax", code)
        return (breakdown == 0 && lines == 0 && allowancesAndCharges == 0) || (breakdown == 1 && (lines > 0 || allowancesAndCharges > 0))
    }

    /// BR-S-01, BR-AF-01, BR-AG-01 on the document: lines, and allowances or charges, of category `code`
    /// come with at least one breakdown of it (the artefact counts: at least two taxes together).
    func ciiHasBreakdownWhereUsed(_ code: String) -> Bool {
        let breakdown = ciiCategoryCount("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", code)
        let lines = ciiCategoryCount("//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", code)
        let allowancesAndCharges = ciiCategoryCount("//ram:CategoryTradeTax", code)
        return (lines + breakdown >= 2 || lines == 0) && (allowancesAndCharges + breakdown >= 2 || allowancesAndCharges == 0)
    }

    /// `party/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = schemes]` selects something (`VA`: a VAT identifier, `FC`: a tax registration).
    func ciiHasTaxRegistration(_ party: String, schemes: String...) -> Bool {
        any(party) { $0.any("ram:SpecifiedTaxRegistration/ram:ID") { schemes.contains($0.attribute("schemeID") ?? "") } }
    }

    /// The Seller's VAT identifier or tax registration (BT-31/BT-32) or the Seller tax representative's
    /// VAT identifier (BT-63), as most categories ask: under the header trade agreement.
    var ciiSellerOrRepresentativeHasTaxRegistration: Bool {
        ciiHasTaxRegistration(Self.ciiAgreementSeller, schemes: "VA", "FC")
            || ciiHasTaxRegistration(Self.ciiAgreementSellerRepresentative, schemes: "VA")
    }

    /// The sum BR-xx-08 compares a VAT breakdown's basis amount with: the line totals of lines with a tax of
    /// category `code`, plus the document level charges, minus the allowances, of category `code` (at
    /// `rate` when given), each sum rounded to cents; as an xs:double, as the artefact compares it.
    func ciiCategoryBasis(_ code: String, rate: XPathDecimal.Comparand? = nil) -> Double {
        func applies(_ taxes: String, of node: RuleNode) -> Bool {
            node.any(taxes) { $0.anyText("ram:CategoryCode", is: code) }
                && (rate.map { rate in node.any(taxes) { rate.isValue(of: $0.string("ram:RateApplicablePercent")) } } ?? true)
        }
        // Exact sums of the terms (a Decimal addition per line costs thousands of instructions).
        // `total` is all three at once, the basis itself when none has more than two decimals to round.
        var lines = XPathDecimal.Sum(), charges = XPathDecimal.Sum(), allowances = XPathDecimal.Sum(), total = XPathDecimal.Sum()
        root.forEach("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement") { line in
            guard applies("ram:ApplicableTradeTax", of: line) else { return }
            line.add("ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", to: &lines)
            line.add("ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", to: &total)
        }
        root.forEach("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge") { allowanceCharge in
            // xs:decimal of its first amount, when that is one.
            guard applies("ram:CategoryTradeTax", of: allowanceCharge), let amount = allowanceCharge.first("ram:ActualAmount")?.text else { return }
            if allowanceCharge.indicates(true) {
                charges.add(amount)
                total.add(amount)
            }
            if allowanceCharge.indicates(false) {
                allowances.add(amount)
                total.add(amount, negated: true)
            }
        }
        if lines.hasAtMostTwoDecimals, charges.hasAtMostTwoDecimals, allowances.hasAtMostTwoDecimals, let basis = total.double { return basis }
        return Self.vatDouble(promoting: XPathDecimal.cents(lines.value) + XPathDecimal.cents(charges.value) - XPathDecimal.cents(allowances.value))
    }

    /// BR-AE-08, BR-E-08, BR-G-08, BR-IC-08, BR-Z-08 on a breakdown's `ram:CategoryCode`: its basis amount
    /// is within one of `ciiCategoryBasis` (the artefact computes in xs:double).
    func ciiBasisAmountNearBasis(_ code: String) -> Bool {
        guard let basisAmount = parent?.vatNumbers("ram:BasisAmount").first else { return false }
        let basis = ciiCategoryBasis(code)
        return basisAmount - 1 < basis && basisAmount + 1 > basis
    }

    /// BR-O-08 on a breakdown's `ram:ApplicableTradeTax`: its basis amount equals `ciiCategoryBasis` (in xs:double).
    func ciiBasisAmountEqualsBasis(_ code: String) -> Bool {
        vatNumbers("ram:BasisAmount").contains(ciiCategoryBasis(code))
    }

    /// BR-S-08, BR-AF-08, BR-AG-08 on the node the artefact names `..`: for every `ram:RateApplicablePercent`
    /// it holds, its `ram:BasisAmount` equals `ciiCategoryBasis` at that rate (true when it holds no rate).
    func ciiBasisAmountEqualsRatedBasis(_ code: String) -> Bool {
        strings("ram:RateApplicablePercent").compactMap(XPathDecimal.Comparand.init).allSatisfy { rate in
            vatNumbers("ram:BasisAmount").contains(ciiCategoryBasis(code, rate: rate))
        }
    }

    /// BR-S-09 on a breakdown's `ram:CategoryCode`: the calculated amount is within one of the basis amount
    /// times the rate, rounded (the artefact multiplies in xs:double and rounds to a whole number of cents).
    var ciiCalculatedAmountMatchesRate: Bool {
        // Common amounts: the decimals' sums and promotions computed exactly without `Decimal`.
        if let calculated = first("../ram:CalculatedAmount")?.text, let basis = first("../ram:BasisAmount")?.text,
           let absoluteBasis = XPathDecimal.Sum.promotedAbsolute(basis),
           let low = XPathDecimal.Sum.promotedAbsolute(calculated, plus: -1), let high = XPathDecimal.Sum.promotedAbsolute(calculated, plus: 1) {
            guard let rate = vatNumbers("../ram:RateApplicablePercent").first else { return false }
            let expected = Self.vatRound(absoluteBasis * rate) / 100
            return low < expected && high > expected
        }
        guard let calculated = decimal("../ram:CalculatedAmount"), let basis = decimal("../ram:BasisAmount"),
              let rate = vatNumbers("../ram:RateApplicablePercent").first else { return false }
        let expected = Self.vatRound(Self.vatDouble(promoting: abs(basis)) * rate) / 100
        return Self.vatDouble(promoting: abs(calculated) - 1) < expected && Self.vatDouble(promoting: abs(calculated) + 1) > expected
    }

    /// BR-AE-02/03/04: the Seller's VAT identifier or tax registration, or the tax representative's VAT
    /// identifier; and the Buyer's VAT identifier or legal registration identifier (searched anywhere).
    var ciiReverseChargePartiesAreIdentified: Bool {
        (ciiHasTaxRegistration("//ram:SellerTradeParty", schemes: "VA", "FC") || ciiHasTaxRegistration("//ram:SellerTaxRepresentativeTradeParty", schemes: "VA"))
            && (ciiHasTaxRegistration("//ram:BuyerTradeParty", schemes: "VA") || exists("//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"))
    }

    /// BR-G-02/03/04: the Seller's or the tax representative's VAT identifier (searched anywhere).
    var ciiSellerOrRepresentativeHasVATIdentifier: Bool {
        ciiHasTaxRegistration("//ram:SellerTradeParty", schemes: "VA") || ciiHasTaxRegistration("//ram:SellerTaxRepresentativeTradeParty", schemes: "VA")
    }

    /// BR-IC-02/03/04: the Seller's or the tax representative's VAT identifier, and the Buyer's.
    var ciiIntraCommunityPartiesAreIdentified: Bool {
        ciiSellerOrRepresentativeHasVATIdentifier && ciiHasTaxRegistration("//ram:BuyerTradeParty", schemes: "VA")
    }

    /// BR-O-02/03/04: neither the Seller, its tax representative (under the agreement) nor the Buyer has a VAT identifier.
    var ciiNoPartyHasVATIdentifier: Bool {
        !ciiHasTaxRegistration(Self.ciiAgreementSeller, schemes: "VA")
            && !ciiHasTaxRegistration(Self.ciiAgreementSellerRepresentative, schemes: "VA")
            && !ciiHasTaxRegistration("//ram:BuyerTradeParty", schemes: "VA")
    }
}
