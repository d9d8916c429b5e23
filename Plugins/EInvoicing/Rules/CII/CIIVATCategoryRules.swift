/// EN 16931's VAT category rules (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-AF, BR-AG, BR-O, BR-B) bound
/// to UN/CEFACT CII, after the CEN/TC 434 artefact (`EN16931-CII-validation.xslt`); part of its
/// `EN16931-CII-Model` pattern. Each closure is the artefact's `test=`, quirks included (BR-AF-08 and
/// BR-AG-08 look for rates on the settlement and so always hold, BR-AF-09 and BR-AG-09 are `true()`).
///
/// The VAT breakdown contexts of categories L, M and O are `ram:ApplicableTradeTax` elements: in the
/// pattern they must come before the model's generic `//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax`
/// group, as their higher priority places them in the artefact.
enum CIIVATCategoryRules {
    /// The rules whose context is the CrossIndustryInvoice itself, in the artefact's order.
    static let documentRules: [BusinessRule] = [
        BusinessRule("BR-S-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Standard rated\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"Standard rated\".") {
            $0.ciiHasBreakdownWhereUsed("S")
        },
        BusinessRule("BR-Z-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Zero rated\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Zero rated\".") {
            $0.ciiHasOneBreakdownWhereUsed("Z")
        },
        BusinessRule("BR-E-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Exempt from VAT\" shall contain exactly one VAT breakdown (BG-23) with the VAT category code (BT-118) equal to \"Exempt from VAT\".") {
            $0.ciiHasOneBreakdownWhereUsed("E")
        },
        BusinessRule("BR-AE-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Reverse charge\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"VAT reverse charge\".") {
            $0.ciiHasOneBreakdownWhereUsed("AE")
        },
        BusinessRule("BR-IC-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Intra-community supply\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Intra-community supply\".") {
            $0.ciiHasOneBreakdownWhereUsed("K")
        },
        BusinessRule("BR-G-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Export outside the EU\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Export outside the EU\".") {
            $0.ciiHasOneBreakdownWhereUsed("G")
        },
        BusinessRule("BR-O-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Not subject to VAT\" shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to \"Not subject to VAT\".") {
            let breakdown = $0.ciiCategoryCount("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", "O")
            return breakdown == 0 || (breakdown == 1
                && ($0.ciiCategoryCount("//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", "O") > 0 || $0.ciiCategoryCount("//ram:CategoryTradeTax", "O") > 0))
        },
        BusinessRule("BR-AF-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"IGIC\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"IGIC\".") {
            $0.ciiHasBreakdownWhereUsed("L")
        },
        BusinessRule("BR-AG-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"IPSI\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"IPSI\".") {
            $0.ciiHasBreakdownWhereUsed("M")
        },
        BusinessRule("BR-B-01", terms: "BT-151, BT-95, BT-102",
                     "An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment” shall be a domestic Italian invoice.") {
            !$0.anyText("//ram:CategoryCode", is: "B") || !$0.anyText("//ram:CountryID") { $0 != "IT" }
        },
        BusinessRule("BR-B-02", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment\" shall not contain an invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is “Standard rated”.") {
            !$0.anyText("//ram:CategoryCode", is: "B") || !$0.anyText("//ram:CategoryCode", is: "S")
        },
    ]

    /// The rules with their own contexts, per category in the artefact's order: the VAT breakdown's
    /// (BG-23), the document level allowance's and charge's (BG-20, BG-21) and the line's (BG-30) taxes.
    static let groups: [ContextRules] = [
        breakdownCode("AE", [
            BusinessRule("BR-AE-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Reverse charge\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Reverse charge\".", subject: "../ram:BasisAmount") {
                $0.ciiBasisAmountNearBasis("AE")
            },
            BusinessRule("BR-AE-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Reverse charge\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") {
                $0.vatNumbers("../ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-AE-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Reverse charge\" shall have a VAT exemption reason code (BT-121), meaning \"Reverse charge\" or the VAT exemption reason text (BT-120) \"Reverse charge\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "AE", [
            BusinessRule("BR-AE-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63, BT-48, BT-47",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
                $0.ciiReverseChargePartiesAreIdentified
            },
            BusinessRule("BR-AE-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        allowanceCharge(true, "AE", [
            BusinessRule("BR-AE-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63, BT-48, BT-47",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
                $0.ciiReverseChargePartiesAreIdentified
            },
            BusinessRule("BR-AE-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        line("AE", [
            BusinessRule("BR-AE-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63, BT-48, BT-47",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
                $0.ciiReverseChargePartiesAreIdentified
            },
            BusinessRule("BR-AE-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Reverse charge\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        breakdownTax("L", [
            BusinessRule("BR-AF-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"IGIC\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"IGIC\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "ram:BasisAmount") {
                $0.parent?.ciiBasisAmountEqualsRatedBasis("L") ?? true
            },
            BusinessRule("BR-AF-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IGIC\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "ram:CalculatedAmount") {
                _ in true
            },
            BusinessRule("BR-AF-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"IGIC\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("ram:ExemptionReason") && !$0.exists("ram:ExemptionReasonCode")
            },
        ]),
        line("L", [
            BusinessRule("BR-AF-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AF-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IGIC\" the invoiced item VAT rate (BT-152) shall be greater than 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        allowanceCharge(false, "L", [
            BusinessRule("BR-AF-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AF-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        allowanceCharge(true, "L", [
            BusinessRule("BR-AF-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AF-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        breakdownTax("M", [
            BusinessRule("BR-AG-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"IPSI\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"IPSI\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "ram:BasisAmount") {
                $0.parent?.ciiBasisAmountEqualsRatedBasis("M") ?? true
            },
            BusinessRule("BR-AG-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IPSI\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "ram:CalculatedAmount") {
                _ in true
            },
            BusinessRule("BR-AG-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"IPSI\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("ram:ExemptionReason") && !$0.exists("ram:ExemptionReasonCode")
            },
        ]),
        line("M", [
            BusinessRule("BR-AG-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AG-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IPSI\" the Invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 >= 0 }
            },
        ]),
        allowanceCharge(false, "M", [
            BusinessRule("BR-AG-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AG-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 >= 0 }
            },
        ]),
        allowanceCharge(true, "M", [
            BusinessRule("BR-AG-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-AG-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 >= 0 }
            },
        ]),
        breakdownCode("E", [
            BusinessRule("BR-E-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Exempt from VAT\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Exempt from VAT\".", subject: "../ram:BasisAmount") {
                $0.ciiBasisAmountNearBasis("E")
            },
            BusinessRule("BR-E-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals \"Exempt from VAT\" shall equal 0 (zero).", subject: "../ram:CalculatedAmount") {
                $0.vatNumbers("../ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-E-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Exempt from VAT\" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "E", [
            BusinessRule("BR-E-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-E-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\", the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        allowanceCharge(true, "E", [
            BusinessRule("BR-E-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-E-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\", the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        line("E", [
            BusinessRule("BR-E-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-E-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from VAT\", the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        breakdownCode("G", [
            BusinessRule("BR-G-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Export outside the EU\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Export outside the EU\".", subject: "../ram:BasisAmount") {
                $0.ciiBasisAmountNearBasis("G")
            },
            BusinessRule("BR-G-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Export outside the EU\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") {
                $0.vatNumbers("../ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-G-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with the VAT Category code (BT-118) \"Export outside the EU\" shall have a VAT exemption reason code (BT-121), meaning \"Export outside the EU\" or the VAT exemption reason text (BT-120) \"Export outside the EU\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "G", [
            BusinessRule("BR-G-03", terms: "BG-20, BT-95, BT-31, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasVATIdentifier
            },
            BusinessRule("BR-G-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        allowanceCharge(true, "G", [
            BusinessRule("BR-G-04", terms: "BG-21, BT-102, BT-31, BT-63",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasVATIdentifier
            },
            BusinessRule("BR-G-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        line("G", [
            BusinessRule("BR-G-02", terms: "BG-25, BT-151, BT-31, BT-63",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasVATIdentifier
            },
            BusinessRule("BR-G-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Export outside the EU\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        breakdownCode("K", [
            BusinessRule("BR-IC-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Intra-community supply\".", subject: "../ram:BasisAmount") {
                $0.ciiBasisAmountNearBasis("K")
            },
            BusinessRule("BR-IC-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" shall be 0 (zero).", subject: "../ram:CalculatedAmount") {
                $0.vatNumbers("../ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-IC-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with the VAT Category code (BT-118) \"Intra-community supply\" shall have a VAT exemption reason code (BT-121), meaning \"Intra-community supply\" or the VAT exemption reason text (BT-120) \"Intra-community supply\" (or the equivalent standard text in another language).") {
                $0.exists("../ram:ExemptionReason") || $0.exists("../ram:ExemptionReasonCode")
            },
            BusinessRule("BR-IC-11", terms: "BG-23, BT-118, BT-72, BG-14",
                         "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.") {
                $0.exists("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString")
                    || $0.exists("../../ram:BillingSpecifiedPeriod/ram:StartDateTime") || $0.exists("../../ram:BillingSpecifiedPeriod/ram:EndDateTime")
            },
            BusinessRule("BR-IC-12", terms: "BG-23, BT-118, BT-80",
                         "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Deliver to country code (BT-80) shall not be blank.") {
                $0.exists("/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID")
            },
        ]),
        allowanceCharge(false, "K", [
            BusinessRule("BR-IC-03", terms: "BG-20, BT-95, BT-31, BT-63, BT-48",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
                $0.ciiIntraCommunityPartiesAreIdentified
            },
            BusinessRule("BR-IC-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        allowanceCharge(true, "K", [
            BusinessRule("BR-IC-04", terms: "BG-21, BT-102, BT-31, BT-63, BT-48",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
                $0.ciiIntraCommunityPartiesAreIdentified
            },
            BusinessRule("BR-IC-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        line("K", [
            BusinessRule("BR-IC-02", terms: "BG-25, BT-151, BT-31, BT-63, BT-48",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
                $0.ciiIntraCommunityPartiesAreIdentified
            },
            BusinessRule("BR-IC-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Intracommunity supply\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        breakdownTax("O", [
            BusinessRule("BR-O-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \" Not subject to VAT\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Not subject to VAT\".", subject: "ram:BasisAmount") {
                $0.ciiBasisAmountEqualsBasis("O")
            },
            BusinessRule("BR-O-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Not subject to VAT\" shall be 0 (zero).", subject: "ram:CalculatedAmount") {
                $0.vatNumbers("ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-O-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \" Not subject to VAT\" shall have a VAT exemption reason code (BT-121), meaning \" Not subject to VAT\" or a VAT exemption reason text (BT-120) \" Not subject to VAT\" (or the equivalent standard text in another language).") {
                $0.exists("ram:ExemptionReason") || $0.exists("ram:ExemptionReasonCode")
            },
            BusinessRule("BR-O-11", terms: "BG-23, BT-118",
                         "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain other VAT breakdown groups (BG-23).") {
                !$0.any("//ram:ApplicableTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
            BusinessRule("BR-O-12", terms: "BG-23, BT-118, BG-25, BT-151",
                         "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not \"Not subject to VAT\".") {
                !$0.any("//ram:ApplicableTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
            BusinessRule("BR-O-13", terms: "BG-23, BT-118, BG-20, BT-95",
                         "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not \"Not subject to VAT\".") {
                !$0.any("//ram:CategoryTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
            BusinessRule("BR-O-14", terms: "BG-23, BT-118, BG-21, BT-102",
                         "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not \"Not subject to VAT\".") {
                !$0.any("//ram:CategoryTradeTax") { $0.anyText("ram:CategoryCode") { $0 != "O" } }
            },
        ]),
        allowanceCharge(false, "O", [
            BusinessRule("BR-O-03", terms: "BG-20, BT-95, BT-31, BT-63, BT-48",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
                $0.ciiNoPartyHasVATIdentifier
            },
            BusinessRule("BR-O-06", terms: "BG-20, BT-95, BT-96",
                         "A Document level allowance (BG-20) where VAT category code (BT-95) is \"Not subject to VAT\" shall not contain a Document level allowance VAT rate (BT-96).", subject: "ram:RateApplicablePercent") {
                !$0.exists("ram:RateApplicablePercent")
            },
        ]),
        allowanceCharge(true, "O", [
            BusinessRule("BR-O-04", terms: "BG-21, BT-102, BT-31, BT-63, BT-48",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
                $0.ciiNoPartyHasVATIdentifier
            },
            BusinessRule("BR-O-07", terms: "BG-21, BT-102, BT-103",
                         "A Document level charge (BG-21) where the VAT category code (BT-102) is \"Not subject to VAT\" shall not contain a Document level charge VAT rate (BT-103).", subject: "ram:RateApplicablePercent") {
                !$0.exists("ram:RateApplicablePercent")
            },
        ]),
        line("O", [
            BusinessRule("BR-O-02", terms: "BG-25, BT-151, BT-31, BT-63, BT-48",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
                $0.ciiNoPartyHasVATIdentifier
            },
            BusinessRule("BR-O-05", terms: "BG-25, BT-151, BT-152",
                         "An Invoice line (BG-25) where the VAT category code (BT-151) is \"Not subject to VAT\" shall not contain an Invoiced item VAT rate (BT-152).", subject: "ram:RateApplicablePercent") {
                !$0.exists("ram:RateApplicablePercent")
            },
        ]),
        unqualifiedBreakdownCode("S", [
            BusinessRule("BR-S-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"Standard rated\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"Standard rated\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "../ram:BasisAmount") {
                $0.parent?.ciiBasisAmountEqualsRatedBasis("S") ?? true
            },
            BusinessRule("BR-S-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Standard rated\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "../ram:CalculatedAmount") {
                $0.ciiCalculatedAmountMatchesRate
            },
            BusinessRule("BR-S-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Standard rate\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("../ram:ExemptionReason") && !$0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        line("S", [
            BusinessRule("BR-S-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                         "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-S-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard rated\" the Invoiced item VAT rate (BT-152) shall be greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        allowanceCharge(false, "S", [
            BusinessRule("BR-S-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-S-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" the Document level allowance VAT rate (BT-96) shall be greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        allowanceCharge(true, "S", [
            BusinessRule("BR-S-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-S-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" the Document level charge VAT rate (BT-103) shall be greater than zero.", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains { $0 > 0 }
            },
        ]),
        unqualifiedBreakdownCode("Z", [
            BusinessRule("BR-Z-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Zero rated\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Zero rated\".", subject: "../ram:BasisAmount") {
                $0.ciiBasisAmountNearBasis("Z")
            },
            BusinessRule("BR-Z-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Zero rated\" shall equal 0 (zero).", subject: "../ram:CalculatedAmount") {
                $0.vatNumbers("../ram:CalculatedAmount").contains(0)
            },
            BusinessRule("BR-Z-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT Breakdown (BG-23) with VAT Category code (BT-118) \"Zero rated\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("../ram:ExemptionReason") && !$0.exists("../ram:ExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "Z", [
            BusinessRule("BR-Z-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-Z-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        allowanceCharge(true, "Z", [
            BusinessRule("BR-Z-04", terms: "BT-102, BT-31, BT-32, BT-63",
                         "An Invoice that contains a Document level charge where the Document level charge VAT category code (BT-102) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-Z-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Zero rated\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
        line("Z", [
            BusinessRule("BR-Z-02", terms: "BT-151, BT-31, BT-32, BT-63",
                         "An Invoice that contains an Invoice line where the Invoiced item VAT category code (BT-151) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
                $0.ciiSellerOrRepresentativeHasTaxRegistration
            },
            BusinessRule("BR-Z-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Zero rated\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "ram:RateApplicablePercent") {
                $0.vatNumbers("ram:RateApplicablePercent").contains(0)
            },
        ]),
    ]

    /// `//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode[. = code][upper-case(../ram:TypeCode) = 'VAT']`.
    private static func breakdownCode(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext(
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
            where: { $0.ciiIsVATCategoryCode(code) }), rules)
    }

    /// `//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode[. = code]` (no tax type test: S and Z).
    private static func unqualifiedBreakdownCode(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext("ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode", where: { $0.text == code }), rules)
    }

    /// `//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax[ram:CategoryCode = code][upper-case(ram:TypeCode) = 'VAT']`.
    private static func breakdownTax(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext(
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
            where: { $0.ciiIsVATCategory(code) }), rules)
    }

    /// `//ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = charge]/ram:CategoryTradeTax[ram:CategoryCode = code][upper-case(ram:TypeCode) = 'VAT']`.
    private static func allowanceCharge(_ charge: Bool, _ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext("ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", where: {
            $0.parent?.indicates(charge) == true && $0.ciiIsVATCategory(code)
        }), rules)
    }

    /// `//rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax[ram:CategoryCode = code][upper-case(ram:TypeCode) = 'VAT']`.
    private static func line(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext(
            "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax",
            where: { $0.ciiIsVATCategory(code) }), rules)
    }
}

