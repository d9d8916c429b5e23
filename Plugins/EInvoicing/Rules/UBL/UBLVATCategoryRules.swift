/// EN 16931's VAT category rules (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-AF, BR-AG, BR-O, BR-B) bound
/// to UBL 2.1, after the CEN/TC 434 artefact (`EN16931-UBL-validation.xslt`); part of its `UBL-model`
/// pattern. Each closure is the artefact's `test=`, quirks included (BR-S-01 counts categories of any
/// scheme, BR-O-03 looks at document level allowances only, BR-AF-08 and BR-S-08 allow a difference of 1).
enum UBLVATCategoryRules {
    /// The rules whose context is the Invoice or CreditNote itself, in the artefact's order.
    static let documentRules: [BusinessRule] = [
        BusinessRule("BR-AE-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Reverse charge\" shall contain in the VAT Breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"VAT reverse charge\".") {
            $0.ublHasOneBreakdownWhereUsed("AE")
        },
        BusinessRule("BR-AE-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63, BT-48, BT-47",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "AE")
                || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false) && ($0.ublBuyerHasVATIdentifier || $0.ublBuyerHasLegalIdentifier))
        },
        BusinessRule("BR-AE-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63, BT-48, BT-47",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
            !$0.ublHasAllowanceChargeCategory(false, "AE")
                || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false) && ($0.ublBuyerHasVATIdentifier || $0.ublBuyerHasLegalIdentifier))
        },
        BusinessRule("BR-AE-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63, BT-48, BT-47",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) and/or the Buyer legal registration identifier (BT-47).") {
            !$0.ublHasAllowanceChargeCategory(true, "AE")
                || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false) && ($0.ublBuyerHasVATIdentifier || $0.ublBuyerHasLegalIdentifier))
        },
        BusinessRule("BR-E-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Exempt from VAT\" shall contain exactly one VAT breakdown (BG-23) with the VAT category code (BT-118) equal to \"Exempt from VAT\".") {
            $0.ublHasOneBreakdownWhereUsed("E")
        },
        BusinessRule("BR-E-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "E") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-E-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "E") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-E-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(true, "E") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-G-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Export outside the EU\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Export outside the EU\".") {
            $0.ublHasOneBreakdownWhereUsed("G")
        },
        BusinessRule("BR-G-02", terms: "BG-25, BT-151, BT-31, BT-63",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "G") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true)
        },
        BusinessRule("BR-G-03", terms: "BG-20, BT-95, BT-31, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "G") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true)
        },
        BusinessRule("BR-G-04", terms: "BG-21, BT-102, BT-31, BT-63",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(true, "G") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true)
        },
        BusinessRule("BR-IC-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Intra-community supply\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Intra-community supply\".") {
            $0.ublHasOneBreakdownWhereUsed("K")
        },
        BusinessRule("BR-IC-02", terms: "BG-25, BT-151, BT-31, BT-63, BT-48",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "K")
                || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && $0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-IC-03", terms: "BG-20, BT-95, BT-31, BT-63, BT-48",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
            !$0.ublHasAllowanceChargeCategory(false, "K") || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && $0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-IC-04", terms: "BG-21, BT-102, BT-31, BT-63, BT-48",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" shall contain the Seller VAT Identifier (BT-31) or the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48).") {
            !$0.ublHasAllowanceChargeCategory(true, "K") || ($0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && $0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-IC-11", terms: "BG-23, BT-118, BT-72, BG-14",
                     "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Actual delivery date (BT-72) or the Invoicing period (BG-14) shall not be blank.") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "K")
                || $0.string("cac:Delivery/cbc:ActualDeliveryDate").count > 1 || $0.exists("cac:InvoicePeriod/*")
        },
        BusinessRule("BR-IC-12", terms: "BG-23, BT-118, BT-80",
                     "In an Invoice with a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the Deliver to country code (BT-80) shall not be blank.") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "K")
                || $0.string("cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode").count > 1
        },
        BusinessRule("BR-AF-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"IGIC\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"IGIC\".") {
            let used = $0.all("//cac:AllowanceCharge/cac:TaxCategory").count(where: { $0.ublIsVATCategory("L") })
                + $0.all("//cac:ClassifiedTaxCategory").count(where: { $0.ublIsVATCategory("L") })
            let breakdowns = $0.all("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")
            return (used > 0 && breakdowns.contains { $0.anyText("cbc:ID", is: "L") })
                || (used == 0 && !breakdowns.contains { $0.ublIsVATCategory("L") })
        },
        BusinessRule("BR-AF-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "L") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-AF-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "L") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-AF-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublAllowanceChargeCategories(true).contains { $0.anyText("cbc:ID", is: "L") && $0.ublHasVATTaxScheme }
                || ($0.ublHasAllowanceChargeCategory(true, "L") && $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false))
        },
        BusinessRule("BR-AG-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"IPSI\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"IPSI\".") {
            let used = $0.all("//cac:AllowanceCharge/cac:TaxCategory").count(where: { $0.ublIsVATCategory("M") })
                + $0.all("//cac:ClassifiedTaxCategory").count(where: { $0.ublIsVATCategory("M") })
            let breakdowns = $0.all("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")
            return (used > 0 && breakdowns.contains { $0.anyText("cbc:ID", is: "M") && $0.ublHasVATTaxScheme })
                || (used == 0 && !breakdowns.contains { $0.ublIsVATCategory("M") })
        },
        BusinessRule("BR-AG-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "M") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-AG-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "M") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-AG-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" shall contain the Seller VAT Identifier (BT-31), the Seller Tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(true, "M") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-O-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Not subject to VAT\" shall contain exactly one VAT breakdown group (BG-23) with the VAT category code (BT-118) equal to \"Not subject to VAT\".") {
            $0.ublHasOneBreakdownWhereUsed("O")
        },
        BusinessRule("BR-O-02", terms: "BG-25, BT-151, BT-31, BT-63, BT-48",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "O")
                || (!$0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && !$0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-O-03", terms: "BG-20, BT-95, BT-31, BT-63, BT-48",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
            !$0.ublHasAllowanceChargeCategory(false, "O", in: "/*/cac:AllowanceCharge")
                || (!$0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && !$0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-O-04", terms: "BG-21, BT-102, BT-31, BT-63, BT-48",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Not subject to VAT\" shall not contain the Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) or the Buyer VAT identifier (BT-48).") {
            !$0.ublHasAllowanceChargeCategory(true, "O", in: "/*/cac:AllowanceCharge")
                || (!$0.ublSellerOrRepresentativeHasIdentifier(vatOnly: true) && !$0.ublBuyerHasVATIdentifier)
        },
        BusinessRule("BR-O-11", terms: "BG-23, BT-118",
                     "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain other VAT breakdown groups (BG-23).") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "O")
                || !$0.any("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory") { $0.ublVATCategoryCode != "O" && $0.ublHasVATTaxScheme }
        },
        BusinessRule("BR-O-12", terms: "BG-23, BT-118, BG-25, BT-151",
                     "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is not \"Not subject to VAT\".") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "O")
                || !$0.any("//cac:ClassifiedTaxCategory") { $0.ublVATCategoryCode != "O" && $0.ublHasVATTaxScheme }
        },
        BusinessRule("BR-O-13", terms: "BG-23, BT-118, BG-20, BT-95",
                     "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level allowances (BG-20) where Document level allowance VAT category code (BT-95) is not \"Not subject to VAT\".") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "O")
                || !$0.ublAllowanceChargeCategories(false).contains { $0.ublVATCategoryCode != "O" && $0.ublHasVATTaxScheme }
        },
        BusinessRule("BR-O-14", terms: "BG-23, BT-118, BG-21, BT-102",
                     "An Invoice that contains a VAT breakdown group (BG-23) with a VAT category code (BT-118) \"Not subject to VAT\" shall not contain Document level charges (BG-21) where Document level charge VAT category code (BT-102) is not \"Not subject to VAT\".") {
            !$0.ublHasVATCategoryCode("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "O")
                || !$0.ublAllowanceChargeCategories(true).contains { $0.ublVATCategoryCode != "O" && $0.ublHasVATTaxScheme }
        },
        BusinessRule("BR-S-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Standard rated\" shall contain in the VAT breakdown (BG-23) at least one VAT category code (BT-118) equal with \"Standard rated\".") {
            let used = $0.all("//cac:AllowanceCharge/cac:TaxCategory").count(where: { $0.ublVATCategoryCode == "S" })
                + $0.all("//cac:ClassifiedTaxCategory").count(where: { $0.ublVATCategoryCode == "S" })
            return (used > 0) == $0.any("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory") { $0.ublVATCategoryCode == "S" }
        },
        BusinessRule("BR-S-02", terms: "BG-25, BT-151, BT-31, BT-32, BT-63",
                     "An Invoice that contains an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "S", vatOnly: false)
                || ($0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "S") && $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false))
        },
        BusinessRule("BR-S-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "S") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-S-04", terms: "BG-21, BT-102, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(true, "S") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-Z-01", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-102, BG-23, BT-118",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95 or BT-102) is \"Zero rated\" shall contain in the VAT breakdown (BG-23) exactly one VAT category code (BT-118) equal with \"Zero rated\".") {
            $0.ublHasOneBreakdownWhereUsed("Z")
        },
        BusinessRule("BR-Z-02", terms: "BT-151, BT-31, BT-32, BT-63",
                     "An Invoice that contains an Invoice line where the Invoiced item VAT category code (BT-151) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasVATCategory("//cac:ClassifiedTaxCategory", "Z") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-Z-03", terms: "BG-20, BT-95, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(false, "Z") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-Z-04", terms: "BT-102, BT-31, BT-32, BT-63",
                     "An Invoice that contains a Document level charge where the Document level charge VAT category code (BT-102) is \"Zero rated\" shall contain the Seller VAT Identifier (BT-31), the Seller tax registration identifier (BT-32) and/or the Seller tax representative VAT identifier (BT-63).") {
            !$0.ublHasAllowanceChargeCategory(true, "Z") || $0.ublSellerOrRepresentativeHasIdentifier(vatOnly: false)
        },
        BusinessRule("BR-B-01", terms: "BT-151, BT-95, BT-102",
                     "An Invoice where the VAT category code (BT-151, BT-95 or BT-102) is “Split payment” shall be a domestic Italian invoice.") {
            !$0.ublAnyText("//cac:TaxCategory/cbc:ID", "//cac:ClassifiedTaxCategory/cbc:ID", is: "B")
                || !$0.anyText("//cbc:IdentificationCode") { $0 != "IT" }
        },
        BusinessRule("BR-B-02", terms: "BG-25, BG-20, BG-21, BT-151, BT-95, BT-118, BT-102",
                     "An Invoice that contains an Invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95, BT-118 or BT-102) is “Split payment\" shall not contain an invoice line (BG-25), a Document level allowance (BG-20) or a Document level charge (BG-21) where the VAT category code (BT-151, BT-95, BT-118 or BT-102) is “Standard rated”.") {
            let paths = ["cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "cac:AllowanceCharge/cac:TaxCategory/cbc:ID", "//cac:ClassifiedTaxCategory/cbc:ID"]
            let codes = Set(paths.flatMap($0.strings))
            return !codes.contains("B") || !codes.contains("S")
        },
    ]

    /// The rules with their own contexts, per category in the artefact's order: the VAT breakdown's
    /// category (BG-23), the document level allowance's and charge's (BG-20, BG-21), the line's (BG-30).
    static let groups: [ContextRules] = [
        breakdown("AE", [
            BusinessRule("BR-AE-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Reverse charge\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Reverse charge\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("AE")
            },
            BusinessRule("BR-AE-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Reverse charge\" shall be 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-AE-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Reverse charge\" shall have a VAT exemption reason code (BT-121), meaning \"Reverse charge\" or the VAT exemption reason text (BT-120) \"Reverse charge\" (or the equivalent standard text in another language).") {
                $0.exists("cbc:TaxExemptionReason") || $0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "AE", [
            BusinessRule("BR-AE-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Reverse charge\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        allowanceCharge(true, "AE", [
            BusinessRule("BR-AE-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Reverse charge\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        line("AE", [
            BusinessRule("BR-AE-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Reverse charge\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        breakdown("E", [
            BusinessRule("BR-E-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Exempt from VAT\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Exempt from VAT\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("E")
            },
            BusinessRule("BR-E-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) In a VAT breakdown (BG-23) where the VAT category code (BT-118) equals \"Exempt from VAT\" shall equal 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-E-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Exempt from VAT\" shall have a VAT exemption reason code (BT-121) or a VAT exemption reason text (BT-120).") {
                $0.exists("cbc:TaxExemptionReason") || $0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "E", [
            BusinessRule("BR-E-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Exempt from VAT\", the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        allowanceCharge(true, "E", [
            BusinessRule("BR-E-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Exempt from VAT\", the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        line("E", [
            BusinessRule("BR-E-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Exempt from VAT\", the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        breakdown("G", [
            BusinessRule("BR-G-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Export outside the EU\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Export outside the EU\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("G")
            },
            BusinessRule("BR-G-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Export outside the EU\" shall be 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-G-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with the VAT Category code (BT-118) \"Export outside the EU\" shall have a VAT exemption reason code (BT-121), meaning \"Export outside the EU\" or the VAT exemption reason text (BT-120) \"Export outside the EU\" (or the equivalent standard text in another language).") {
                $0.exists("cbc:TaxExemptionReason") || $0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "G", [
            BusinessRule("BR-G-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Export outside the EU\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        allowanceCharge(true, "G", [
            BusinessRule("BR-G-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Export outside the EU\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        line("G", [
            BusinessRule("BR-G-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Export outside the EU\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        breakdown("K", [
            BusinessRule("BR-IC-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Intra-community supply\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("K")
            },
            BusinessRule("BR-IC-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Intra-community supply\" shall be 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-IC-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with the VAT Category code (BT-118) \"Intra-community supply\" shall have a VAT exemption reason code (BT-121), meaning \"Intra-community supply\" or the VAT exemption reason text (BT-120) \"Intra-community supply\" (or the equivalent standard text in another language).") {
                $0.exists("cbc:TaxExemptionReason") || $0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "K", [
            BusinessRule("BR-IC-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Intra-community supply\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        allowanceCharge(true, "K", [
            BusinessRule("BR-IC-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Intra-community supply\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        line("K", [
            BusinessRule("BR-IC-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Intracommunity supply\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        breakdown("L", [
            BusinessRule("BR-AF-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"IGIC\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"IGIC\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountNearBasis("L", requiringUse: false)
            },
            BusinessRule("BR-AF-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IGIC\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "../cbc:TaxAmount") {
                $0.ublTaxAmountMatchesRate
            },
            BusinessRule("BR-AF-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"IGIC\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("cbc:TaxExemptionReason") && !$0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "L", [
            BusinessRule("BR-AF-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IGIC\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        allowanceCharge(true, "L", [
            BusinessRule("BR-AF-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IGIC\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        line("L", [
            BusinessRule("BR-AF-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IGIC\" the invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        breakdown("M", [
            BusinessRule("BR-AG-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"IPSI\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"IPSI\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountNearBasis("M", requiringUse: false)
            },
            BusinessRule("BR-AG-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"IPSI\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "../cbc:TaxAmount") {
                $0.ublTaxAmountMatchesRate
            },
            BusinessRule("BR-AG-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"IPSI\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("cbc:TaxExemptionReason") && !$0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "M", [
            BusinessRule("BR-AG-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"IPSI\" the Document level allowance VAT rate (BT-96) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        allowanceCharge(true, "M", [
            BusinessRule("BR-AG-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"IPSI\" the Document level charge VAT rate (BT-103) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        line("M", [
            BusinessRule("BR-AG-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"IPSI\" the Invoiced item VAT rate (BT-152) shall be 0 (zero) or greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 >= 0 }
            },
        ]),
        breakdown("O", [
            BusinessRule("BR-O-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where the VAT category code (BT-118) is \" Not subject to VAT\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amounts (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Not subject to VAT\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("O")
            },
            BusinessRule("BR-O-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where the VAT category code (BT-118) is \"Not subject to VAT\" shall be 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-O-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \" Not subject to VAT\" shall have a VAT exemption reason code (BT-121), meaning \" Not subject to VAT\" or a VAT exemption reason text (BT-120) \" Not subject to VAT\" (or the equivalent standard text in another language).") {
                $0.exists("cbc:TaxExemptionReason") || $0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "O", [
            BusinessRule("BR-O-06", terms: "BG-20, BT-95, BT-96",
                         "A Document level allowance (BG-20) where VAT category code (BT-95) is \"Not subject to VAT\" shall not contain a Document level allowance VAT rate (BT-96).", subject: "cbc:Percent") {
                !$0.exists("cbc:Percent")
            },
        ]),
        allowanceCharge(true, "O", [
            BusinessRule("BR-O-07", terms: "BG-21, BT-102, BT-103",
                         "A Document level charge (BG-21) where the VAT category code (BT-102) is \"Not subject to VAT\" shall not contain a Document level charge VAT rate (BT-103).", subject: "cbc:Percent") {
                !$0.exists("cbc:Percent")
            },
        ]),
        line("O", [
            BusinessRule("BR-O-05", terms: "BG-25, BT-151, BT-152",
                         "An Invoice line (BG-25) where the VAT category code (BT-151) is \"Not subject to VAT\" shall not contain an Invoiced item VAT rate (BT-152).", subject: "cbc:Percent") {
                !$0.exists("cbc:Percent")
            },
        ]),
        breakdown("S", [
            BusinessRule("BR-S-08", terms: "BT-119, BT-118, BT-116, BG-23, BT-131, BT-99, BT-92, BT-151, BT-102, BT-95, BT-152, BT-103, BT-96",
                         "For each different value of VAT category rate (BT-119) where the VAT category code (BT-118) is \"Standard rated\", the VAT category taxable amount (BT-116) in a VAT breakdown (BG-23) shall equal the sum of Invoice line net amounts (BT-131) plus the sum of document level charge amounts (BT-99) minus the sum of document level allowance amounts (BT-92) where the VAT category code (BT-151, BT-102, BT-95) is \"Standard rated\" and the VAT rate (BT-152, BT-103, BT-96) equals the VAT category rate (BT-119).", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountNearBasis("S", requiringUse: true)
            },
            BusinessRule("BR-S-09", terms: "BT-117, BG-23, BT-118, BT-116, BT-119",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Standard rated\" shall equal the VAT category taxable amount (BT-116) multiplied by the VAT category rate (BT-119).", subject: "../cbc:TaxAmount") {
                $0.ublTaxAmountMatchesRate
            },
            BusinessRule("BR-S-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Standard rate\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("cbc:TaxExemptionReason") && !$0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "S", [
            BusinessRule("BR-S-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Standard rated\" the Document level allowance VAT rate (BT-96) shall be greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 > 0 }
            },
        ]),
        allowanceCharge(true, "S", [
            BusinessRule("BR-S-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Standard rated\" the Document level charge VAT rate (BT-103) shall be greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 > 0 }
            },
        ]),
        line("S", [
            BusinessRule("BR-S-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Standard rated\" the Invoiced item VAT rate (BT-152) shall be greater than zero.", subject: "cbc:Percent") {
                $0.vatNumbers("cbc:Percent").contains { $0 > 0 }
            },
        ]),
        breakdown("Z", [
            BusinessRule("BR-Z-08", terms: "BG-23, BT-118, BT-116, BT-131, BT-92, BT-99, BT-151, BT-95, BT-102",
                         "In a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Zero rated\" the VAT category taxable amount (BT-116) shall equal the sum of Invoice line net amount (BT-131) minus the sum of Document level allowance amounts (BT-92) plus the sum of Document level charge amounts (BT-99) where the VAT category codes (BT-151, BT-95, BT-102) are \"Zero rated\".", subject: "../cbc:TaxableAmount") {
                $0.ublTaxableAmountEqualsBasis("Z")
            },
            BusinessRule("BR-Z-09", terms: "BT-117, BG-23, BT-118",
                         "The VAT category tax amount (BT-117) in a VAT breakdown (BG-23) where VAT category code (BT-118) is \"Zero rated\" shall equal 0 (zero).", subject: "../cbc:TaxAmount") {
                $0.decimal("../cbc:TaxAmount") == 0
            },
            BusinessRule("BR-Z-10", terms: "BG-23, BT-118, BT-121, BT-120",
                         "A VAT breakdown (BG-23) with VAT Category code (BT-118) \"Zero rated\" shall not have a VAT exemption reason code (BT-121) or VAT exemption reason text (BT-120).") {
                !$0.exists("cbc:TaxExemptionReason") && !$0.exists("cbc:TaxExemptionReasonCode")
            },
        ]),
        allowanceCharge(false, "Z", [
            BusinessRule("BR-Z-06", terms: "BG-20, BT-95, BT-96",
                         "In a Document level allowance (BG-20) where the Document level allowance VAT category code (BT-95) is \"Zero rated\" the Document level allowance VAT rate (BT-96) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        allowanceCharge(true, "Z", [
            BusinessRule("BR-Z-07", terms: "BG-21, BT-102, BT-103",
                         "In a Document level charge (BG-21) where the Document level charge VAT category code (BT-102) is \"Zero rated\" the Document level charge VAT rate (BT-103) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
        line("Z", [
            BusinessRule("BR-Z-05", terms: "BG-25, BT-151, BT-152",
                         "In an Invoice line (BG-25) where the Invoiced item VAT category code (BT-151) is \"Zero rated\" the Invoiced item VAT rate (BT-152) shall be 0 (zero).", subject: "cbc:Percent") {
                $0.decimal("cbc:Percent") == 0
            },
        ]),
    ]

    /// `/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = code][cac:TaxScheme/…='VAT']`.
    private static func breakdown(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext("/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", where: { $0.ublIsVATCategory(code) }), rules)
    }

    /// `cac:AllowanceCharge[cbc:ChargeIndicator = charge]/cac:TaxCategory[normalize-space(cbc:ID) = code][cac:TaxScheme/…='VAT']`.
    private static func allowanceCharge(_ charge: Bool, _ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext("cac:AllowanceCharge/cac:TaxCategory", where: {
            $0.parent?.chargeIndicator(is: charge) == true && $0.ublIsVATCategory(code)
        }), rules)
    }

    /// `cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory[…] | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory[…]`.
    private static func line(_ code: String, _ rules: [BusinessRule]) -> ContextRules {
        ContextRules(RuleContext(
            "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory", "cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory",
            where: { $0.ublIsVATCategory(code) }), rules)
    }
}
