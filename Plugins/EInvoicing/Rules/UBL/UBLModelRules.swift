/// EN 16931's business rules bound to UBL 2.1, after the CEN/TC 434 artefact's `UBL-model` pattern
/// (`EN16931-UBL-validation.xslt`): one group per rule context, in the artefact's order. The VAT
/// category families are `UBLVATCategoryRules`'; the code list rules (BR-CL) `UBLCodeListRules`'.
/// Amounts compare as the artefact's `xs:decimal` does: an absent one is nil and equals nothing.
enum UBLModelRules {
    /// The pattern: BR-01 to BR-65, BR-CO and BR-DEC, then the VAT category groups, whose contexts
    /// the artefact ranks after all of these.
    static let pattern = RulePattern("UBL-model", [
        // Additional supporting documents (BG-24).
        ContextRules(RuleContext("cac:AdditionalDocumentReference"), [
            BusinessRule("BR-52", terms: "BG-24, BT-122", "Each Additional supporting document (BG-24) shall contain a Supporting document reference (BT-122).", subject: "cbc:ID") {
                $0.normalized("cbc:ID") != ""
            },
        ]),
        // The Buyer electronic address (BT-49).
        ContextRules(RuleContext("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID"), [
            BusinessRule("BR-63", terms: "BT-49", "The Buyer electronic address (BT-49) shall have a Scheme identifier.") {
                $0.has(attribute: "schemeID")
            },
        ]),
        // The Buyer postal address (BG-8).
        ContextRules(RuleContext("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress"), [
            BusinessRule("BR-11", terms: "BT-55", "The Buyer postal address shall contain a Buyer country code (BT-55).") {
                $0.normalized("cac:Country/cbc:IdentificationCode") != ""
            },
        ]),
        // The Payment card primary account number (BT-87).
        ContextRules(RuleContext("cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID"), [
            BusinessRule("BR-51", .warning, terms: "BT-87", "In accordance with card payments security standards an invoice should never include a full card primary account number (BT-87). At the moment PCI Security Standards Council has defined that the first 6 digits and last 4 digits are the maximum number of digits to be shown.") {
                $0.normalized(".").unicodeScalars.count <= 10
            },
        ]),
        // The Deliver to address (BG-15).
        ContextRules(RuleContext("cac:Delivery/cac:DeliveryLocation/cac:Address"), [
            BusinessRule("BR-57", terms: "BG-15, BT-80", "Each Deliver to address (BG-15) shall contain a Deliver to country code (BT-80).") {
                $0.exists("cac:Country/cbc:IdentificationCode")
            },
        ]),
        // Document level allowances (BG-20).
        ContextRules(RuleContext("/ubl:Invoice/cac:AllowanceCharge", "/cn:CreditNote/cac:AllowanceCharge", where: { $0.chargeIndicator(is: false) }), [
            BusinessRule("BR-31", terms: "BG-20, BT-92", "Each Document level allowance (BG-20) shall have a Document level allowance amount (BT-92).") {
                $0.exists("cbc:Amount")
            },
            BusinessRule("BR-32", terms: "BG-20, BT-95", "Each Document level allowance (BG-20) shall have a Document level allowance VAT category code (BT-95).") {
                $0.vatCategories("cac:TaxCategory").contains { $0.exists("cbc:ID") }
            },
            BusinessRule("BR-33", terms: "BG-20, BT-97, BT-98", "Each Document level allowance (BG-20) shall have a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98).") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            // The artefact cannot compare a code with free text: its test is `true()`.
            BusinessRule("BR-CO-05", terms: "BT-98, BT-97", "Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) shall indicate the same type of allowance.") { _ in true },
            BusinessRule("BR-CO-21", terms: "BG-20, BT-97, BT-98", "Each Document level allowance (BG-20) shall contain a Document level allowance reason (BT-97) or a Document level allowance reason code (BT-98), or both.") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            BusinessRule("BR-DEC-01", terms: "BT-92", "The allowed maximum number of decimals for the Document level allowance amount (BT-92) is 2.", subject: "cbc:Amount") {
                $0.hasAtMostTwoDecimals("cbc:Amount")
            },
            BusinessRule("BR-DEC-02", terms: "BT-93", "The allowed maximum number of decimals for the Document level allowance base amount (BT-93) is 2.", subject: "cbc:BaseAmount") {
                $0.hasAtMostTwoDecimals("cbc:BaseAmount")
            },
        ]),
        // Document level charges (BG-21).
        ContextRules(RuleContext("/ubl:Invoice/cac:AllowanceCharge", "/cn:CreditNote/cac:AllowanceCharge", where: { $0.chargeIndicator(is: true) }), [
            BusinessRule("BR-36", terms: "BG-21, BT-99", "Each Document level charge (BG-21) shall have a Document level charge amount (BT-99).") {
                $0.exists("cbc:Amount")
            },
            BusinessRule("BR-37", terms: "BG-21, BT-102", "Each Document level charge (BG-21) shall have a Document level charge VAT category code (BT-102).") {
                $0.vatCategories("cac:TaxCategory").contains { $0.exists("cbc:ID") }
            },
            BusinessRule("BR-38", terms: "BG-21, BT-104, BT-105", "Each Document level charge (BG-21) shall have a Document level charge reason (BT-104) or a Document level charge reason code (BT-105).") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            // The artefact cannot compare a code with free text: its test is `true()`.
            BusinessRule("BR-CO-06", terms: "BT-105, BT-104", "Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall indicate the same type of charge.") { _ in true },
            BusinessRule("BR-CO-22", terms: "BG-21, BT-104, BT-105", "Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) or a Document level charge reason code (BT-105), or both.") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            BusinessRule("BR-DEC-05", terms: "BT-99", "The allowed maximum number of decimals for the Document level charge amount (BT-99) is 2.", subject: "cbc:Amount") {
                $0.hasAtMostTwoDecimals("cbc:Amount")
            },
            BusinessRule("BR-DEC-06", terms: "BT-100", "The allowed maximum number of decimals for the Document level charge base amount (BT-100) is 2.", subject: "cbc:BaseAmount") {
                $0.hasAtMostTwoDecimals("cbc:BaseAmount")
            },
        ]),
        // Document totals (BG-22).
        ContextRules(RuleContext("cac:LegalMonetaryTotal"), [
            BusinessRule("BR-12", terms: "BT-106", "An Invoice shall have the Sum of Invoice line net amount (BT-106).") {
                $0.exists("cbc:LineExtensionAmount")
            },
            BusinessRule("BR-13", terms: "BT-109", "An Invoice shall have the Invoice total amount without VAT (BT-109).") {
                $0.exists("cbc:TaxExclusiveAmount")
            },
            BusinessRule("BR-14", terms: "BT-112", "An Invoice shall have the Invoice total amount with VAT (BT-112).") {
                $0.exists("cbc:TaxInclusiveAmount")
            },
            BusinessRule("BR-15", terms: "BT-115", "An Invoice shall have the Amount due for payment (BT-115).") {
                $0.exists("cbc:PayableAmount")
            },
            BusinessRule("BR-CO-10", terms: "BT-106, BT-131", "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).", subject: "cbc:LineExtensionAmount") {
                let lines = $0.all("//cac:InvoiceLine") + $0.all("//cac:CreditNoteLine")
                return $0.decimal("cbc:LineExtensionAmount") == XPathDecimal.cents(lines.sum("cbc:LineExtensionAmount"))
            },
            BusinessRule("BR-CO-11", terms: "BT-107, BT-92", "Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).", subject: "cbc:AllowanceTotalAmount") {
                let allowances = $0.all("../cac:AllowanceCharge").filter { $0.chargeIndicator(is: false) }
                return $0.decimal("cbc:AllowanceTotalAmount") == XPathDecimal.cents(allowances.sum("cbc:Amount"))
                    || (!$0.exists("cbc:AllowanceTotalAmount") && allowances.isEmpty)
            },
            BusinessRule("BR-CO-12", terms: "BT-108, BT-99", "Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).", subject: "cbc:ChargeTotalAmount") {
                let charges = $0.all("../cac:AllowanceCharge").filter { $0.chargeIndicator(is: true) }
                return $0.decimal("cbc:ChargeTotalAmount") == XPathDecimal.cents(charges.sum("cbc:Amount"))
                    || (!$0.exists("cbc:ChargeTotalAmount") && charges.isEmpty)
            },
            BusinessRule("BR-CO-13", terms: "BT-109, BT-131, BT-107, BT-108", "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of allowances on document level (BT-107) + Sum of charges on document level (BT-108).", subject: "cbc:TaxExclusiveAmount") {
                guard let lineTotal = $0.decimal("cbc:LineExtensionAmount") else { return false }
                let charges = $0.exists("cbc:ChargeTotalAmount") ? $0.decimal("cbc:ChargeTotalAmount") : 0
                let allowances = $0.exists("cbc:AllowanceTotalAmount") ? $0.decimal("cbc:AllowanceTotalAmount") : 0
                guard let charges, let allowances else { return false }
                let expected = $0.exists("cbc:ChargeTotalAmount") || $0.exists("cbc:AllowanceTotalAmount")
                    ? XPathDecimal.cents(lineTotal + charges - allowances) : lineTotal
                return $0.decimal("cbc:TaxExclusiveAmount") == expected
            },
            BusinessRule("BR-CO-16", terms: "BT-115, BT-112, BT-113, BT-114", "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount (BT-113) +Rounding amount (BT-114).", subject: "cbc:PayableAmount") {
                guard let payable = $0.decimal("cbc:PayableAmount"), let withVAT = $0.decimal("cbc:TaxInclusiveAmount") else { return false }
                let prepaid = $0.exists("cbc:PrepaidAmount") ? $0.decimal("cbc:PrepaidAmount") : 0
                let rounding = $0.exists("cbc:PayableRoundingAmount") ? $0.decimal("cbc:PayableRoundingAmount") : 0
                guard let prepaid, let rounding else { return false }
                let due = $0.exists("cbc:PrepaidAmount") ? XPathDecimal.cents(withVAT - prepaid) : withVAT
                return ($0.exists("cbc:PayableRoundingAmount") ? XPathDecimal.cents(payable - rounding) : payable) == due
            },
            BusinessRule("BR-DEC-09", terms: "BT-106", "The allowed maximum number of decimals for the Sum of Invoice line net amount (BT-106) is 2.", subject: "cbc:LineExtensionAmount") {
                $0.hasAtMostTwoDecimals("cbc:LineExtensionAmount")
            },
            BusinessRule("BR-DEC-10", terms: "BT-107", "The allowed maximum number of decimals for the Sum of allowanced on document level (BT-107) is 2.", subject: "cbc:AllowanceTotalAmount") {
                $0.hasAtMostTwoDecimals("cbc:AllowanceTotalAmount")
            },
            BusinessRule("BR-DEC-11", terms: "BT-108", "The allowed maximum number of decimals for the Sum of charges on document level (BT-108) is 2.", subject: "cbc:ChargeTotalAmount") {
                $0.hasAtMostTwoDecimals("cbc:ChargeTotalAmount")
            },
            BusinessRule("BR-DEC-12", terms: "BT-109", "The allowed maximum number of decimals for the Invoice total amount without VAT (BT-109) is 2.", subject: "cbc:TaxExclusiveAmount") {
                $0.hasAtMostTwoDecimals("cbc:TaxExclusiveAmount")
            },
            BusinessRule("BR-DEC-14", terms: "BT-112", "The allowed maximum number of decimals for the Invoice total amount with VAT (BT-112) is 2.", subject: "cbc:TaxInclusiveAmount") {
                $0.hasAtMostTwoDecimals("cbc:TaxInclusiveAmount")
            },
            BusinessRule("BR-DEC-16", terms: "BT-113", "The allowed maximum number of decimals for the Paid amount (BT-113) is 2.", subject: "cbc:PrepaidAmount") {
                $0.hasAtMostTwoDecimals("cbc:PrepaidAmount")
            },
            BusinessRule("BR-DEC-17", terms: "BT-114", "The allowed maximum number of decimals for the Rounding amount (BT-114) is 2.", subject: "cbc:PayableRoundingAmount") {
                $0.hasAtMostTwoDecimals("cbc:PayableRoundingAmount")
            },
            BusinessRule("BR-DEC-18", terms: "BT-115", "The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.", subject: "cbc:PayableAmount") {
                $0.hasAtMostTwoDecimals("cbc:PayableAmount")
            },
        ]),
        // The Invoice or Credit note itself.
        ContextRules(RuleContext("/ubl:Invoice", "/cn:CreditNote"), [
            BusinessRule("BR-01", terms: "BT-24", "An Invoice shall have a Specification identifier (BT-24).") {
                $0.normalized("cbc:CustomizationID") != ""
            },
            BusinessRule("BR-02", terms: "BT-1", "An Invoice shall have an Invoice number (BT-1).") {
                $0.normalized("cbc:ID") != ""
            },
            BusinessRule("BR-03", terms: "BT-2", "An Invoice shall have an Invoice issue date (BT-2).") {
                $0.normalized("cbc:IssueDate") != ""
            },
            BusinessRule("BR-04", terms: "BT-3", "An Invoice shall have an Invoice type code (BT-3).") {
                $0.normalized("cbc:InvoiceTypeCode") != "" || $0.normalized("cbc:CreditNoteTypeCode") != ""
            },
            BusinessRule("BR-05", terms: "BT-5", "An Invoice shall have an Invoice currency code (BT-5).") {
                $0.normalized("cbc:DocumentCurrencyCode") != ""
            },
            BusinessRule("BR-06", terms: "BT-27", "An Invoice shall contain the Seller name (BT-27).") {
                $0.normalized("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName") != ""
            },
            BusinessRule("BR-07", terms: "BT-44", "An Invoice shall contain the Buyer name (BT-44).") {
                $0.normalized("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName") != ""
            },
            BusinessRule("BR-08", terms: "BG-5", "An Invoice shall contain the Seller postal address.") {
                $0.exists("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress")
            },
            BusinessRule("BR-10", terms: "BG-8", "An Invoice shall contain the Buyer postal address (BG-8).") {
                $0.exists("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress")
            },
            BusinessRule("BR-16", terms: "BG-25", "An Invoice shall have at least one Invoice line (BG-25)") {
                $0.exists("cac:InvoiceLine") || $0.exists("cac:CreditNoteLine")
            },
            BusinessRule("BR-53", terms: "BT-6, BT-111", "If the VAT accounting currency code (BT-6) is present, then the Invoice total VAT amount in accounting currency (BT-111) shall be provided.") {
                let amounts = $0.all("//cac:TaxTotal/cbc:TaxAmount")
                return $0.strings("cbc:TaxCurrencyCode").allSatisfy { currency in amounts.contains { $0.attribute("currencyID") == currency } }
            },
            BusinessRule("BR-CO-03", terms: "BT-7, BT-8", "Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually exclusive.") {
                !($0.exists("cbc:TaxPointDate") && $0.exists("cac:InvoicePeriod/cbc:DescriptionCode"))
            },
            BusinessRule("BR-CO-15", terms: "BT-112, BT-109, BT-110", "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + Invoice total VAT amount (BT-110).") { node in
                node.strings("cbc:DocumentCurrencyCode").allSatisfy { currency in
                    let vatTotals = node.all("cac:TaxTotal").compactMap { total in
                        total.all("cbc:TaxAmount").first { $0.attribute("currencyID") == currency }.flatMap { XPathDecimal.parse($0.text) }
                    }
                    guard vatTotals.count == 1, let withoutVAT = node.decimal("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") else { return false }
                    return node.decimal("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == XPathDecimal.cents(withoutVAT + vatTotals[0])
                }
            },
            BusinessRule("BR-CO-18", terms: "BG-23", "An Invoice shall at least have one VAT breakdown group (BG-23).") {
                $0.exists("cac:TaxTotal/cac:TaxSubtotal")
            },
            // BR-DEC-13 and 15 never fire in the artefact: `//cac:TaxTotal/cbc:TaxAmount[@currencyID = cbc:DocumentCurrencyCode]`
            // looks for the currency code under the TaxAmount itself, so it selects nothing (UBL-DT-01 still checks the decimals).
            BusinessRule("BR-DEC-13", terms: "BT-110", "The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is 2.") { _ in true },
            BusinessRule("BR-DEC-15", terms: "BT-111", "The allowed maximum number of decimals for the Invoice total VAT amount in accounting currency (BT-111) is 2.") { _ in true },
        ] + UBLVATCategoryRules.documentRules),
        // Invoice lines (BG-25).
        ContextRules(RuleContext("cac:InvoiceLine", "cac:CreditNoteLine"), [
            BusinessRule("BR-21", terms: "BG-25, BT-126", "Each Invoice line (BG-25) shall have an Invoice line identifier (BT-126).") {
                $0.normalized("cbc:ID") != ""
            },
            BusinessRule("BR-22", terms: "BG-25, BT-129", "Each Invoice line (BG-25) shall have an Invoiced quantity (BT-129).") {
                $0.exists("cbc:InvoicedQuantity") || $0.exists("cbc:CreditedQuantity")
            },
            BusinessRule("BR-23", terms: "BG-25, BT-130", "An Invoice line (BG-25) shall have an Invoiced quantity unit of measure code (BT-130).") {
                $0.any("cbc:InvoicedQuantity") { $0.has(attribute: "unitCode") }
                    || $0.any("cbc:CreditedQuantity") { $0.has(attribute: "unitCode") }
            },
            BusinessRule("BR-24", terms: "BG-25, BT-131", "Each Invoice line (BG-25) shall have an Invoice line net amount (BT-131).") {
                $0.exists("cbc:LineExtensionAmount")
            },
            BusinessRule("BR-25", terms: "BG-25, BT-153", "Each Invoice line (BG-25) shall contain the Item name (BT-153).") {
                $0.normalized("cac:Item/cbc:Name") != ""
            },
            BusinessRule("BR-26", terms: "BG-25, BT-146", "Each Invoice line (BG-25) shall contain the Item net price (BT-146).") {
                $0.exists("cac:Price/cbc:PriceAmount")
            },
            BusinessRule("BR-27", terms: "BT-146", "The Item net price (BT-146) shall NOT be negative.", subject: "cac:Price/cbc:PriceAmount") {
                $0.anyNumber("cac:Price/cbc:PriceAmount") { $0 >= 0 }
            },
            BusinessRule("BR-28", terms: "BT-148", "The Item gross price (BT-148) shall NOT be negative.", subject: "cac:Price/cac:AllowanceCharge/cbc:BaseAmount") {
                $0.anyNumber("cac:Price/cac:AllowanceCharge/cbc:BaseAmount") { $0 >= 0 } || !$0.exists("cac:Price/cac:AllowanceCharge/cbc:BaseAmount")
            },
            BusinessRule("BR-CO-04", terms: "BG-25, BT-151", "Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).") {
                $0.vatCategories("cac:Item/cac:ClassifiedTaxCategory").contains { $0.exists("cbc:ID") }
            },
            BusinessRule("BR-DEC-23", terms: "BT-131", "The allowed maximum number of decimals for the Invoice line net amount (BT-131) is 2.", subject: "cbc:LineExtensionAmount") {
                $0.hasAtMostTwoDecimals("cbc:LineExtensionAmount")
            },
        ]),
        // Invoice line allowances (BG-27).
        ContextRules(RuleContext("//cac:InvoiceLine/cac:AllowanceCharge", "//cac:CreditNoteLine/cac:AllowanceCharge", where: { $0.chargeIndicator(is: false) }), [
            BusinessRule("BR-41", terms: "BG-27, BT-136", "Each Invoice line allowance (BG-27) shall have an Invoice line allowance amount (BT-136).") {
                $0.exists("cbc:Amount")
            },
            BusinessRule("BR-42", terms: "BG-27, BT-139, BT-140", "Each Invoice line allowance (BG-27) shall have an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140).") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            // The artefact cannot compare a code with free text: its test is `true()`.
            BusinessRule("BR-CO-07", terms: "BT-140, BT-139", "Invoice line allowance reason code (BT-140) and Invoice line allowance reason (BT-139) shall indicate the same type of allowance reason.") { _ in true },
            BusinessRule("BR-CO-23", terms: "BG-27, BT-139, BT-140", "Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason (BT-139) or an Invoice line allowance reason code (BT-140), or both.") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            BusinessRule("BR-DEC-24", terms: "BT-136", "The allowed maximum number of decimals for the Invoice line allowance amount (BT-136) is 2.", subject: "cbc:Amount") {
                $0.hasAtMostTwoDecimals("cbc:Amount")
            },
            BusinessRule("BR-DEC-25", terms: "BT-137", "The allowed maximum number of decimals for the Invoice line allowance base amount (BT-137) is 2.", subject: "cbc:BaseAmount") {
                $0.hasAtMostTwoDecimals("cbc:BaseAmount")
            },
        ]),
        // Invoice line charges (BG-28).
        ContextRules(RuleContext("//cac:InvoiceLine/cac:AllowanceCharge", "//cac:CreditNoteLine/cac:AllowanceCharge", where: { $0.chargeIndicator(is: true) }), [
            BusinessRule("BR-43", terms: "BG-28, BT-141", "Each Invoice line charge (BG-28) shall have an Invoice line charge amount (BT-141).") {
                $0.exists("cbc:Amount")
            },
            BusinessRule("BR-44", terms: "-", "Each Invoice line charge shall have an Invoice line charge reason or an invoice line allowance reason code.") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            // The artefact cannot compare a code with free text: its test is `true()`.
            BusinessRule("BR-CO-08", terms: "BT-145, BT-144", "Invoice line charge reason code (BT-145) and Invoice line charge reason (BT-144) shall indicate the same type of charge reason.") { _ in true },
            BusinessRule("BR-CO-24", terms: "BG-28, BT-144, BT-145", "Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or an Invoice line charge reason code (BT-145), or both.") {
                $0.exists("cbc:AllowanceChargeReason") || $0.exists("cbc:AllowanceChargeReasonCode")
            },
            BusinessRule("BR-DEC-27", terms: "BT-141", "The allowed maximum number of decimals for the Invoice line charge amount (BT-141) is 2.", subject: "cbc:Amount") {
                $0.hasAtMostTwoDecimals("cbc:Amount")
            },
            BusinessRule("BR-DEC-28", terms: "BT-142", "The allowed maximum number of decimals for the Invoice line charge base amount (BT-142) is 2.", subject: "cbc:BaseAmount") {
                $0.hasAtMostTwoDecimals("cbc:BaseAmount")
            },
        ]),
        // Invoice line periods (BG-26).
        ContextRules(RuleContext("cac:InvoiceLine/cac:InvoicePeriod", "cac:CreditNoteLine/cac:InvoicePeriod"), [
            BusinessRule("BR-30", terms: "BT-134, BT-135", "If both Invoice line period start date (BT-134) and Invoice line period end date (BT-135) are given then the Invoice line period end date (BT-135) shall be later or equal to the Invoice line period start date (BT-134).", subject: "cbc:EndDate") {
                $0.periodEndsAfterStart
            },
            BusinessRule("BR-CO-20", terms: "BG-26, BT-134, BT-135", "If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or the Invoice line period end date (BT-135) shall be filled, or both.") {
                $0.exists("cbc:StartDate") || $0.exists("cbc:EndDate")
            },
        ]),
        // The Invoicing period (BG-14).
        ContextRules(RuleContext("cac:InvoicePeriod"), [
            BusinessRule("BR-29", terms: "BT-73, BT-74", "If both Invoicing period start date (BT-73) and Invoicing period end date (BT-74) are given then the Invoicing period end date (BT-74) shall be later or equal to the Invoicing period start date (BT-73).", subject: "cbc:EndDate") {
                $0.periodEndsAfterStart
            },
            BusinessRule("BR-CO-19", terms: "BG-14, BT-73, BT-74", "If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the Invoicing period end date (BT-74) shall be filled, or both.") {
                $0.exists("cbc:StartDate") || $0.exists("cbc:EndDate") || $0.exists("cbc:DescriptionCode")
            },
        ]),
        // Item attributes (BG-32).
        ContextRules(RuleContext("//cac:AdditionalItemProperty"), [
            BusinessRule("BR-54", terms: "BG-32, BT-160, BT-161", "Each Item attribute (BG-32) shall contain an Item attribute name (BT-160) and an Item attribute value (BT-161).") {
                $0.exists("cbc:Name") && $0.exists("cbc:Value")
            },
        ]),
        // Item classification identifiers (BT-158).
        ContextRules(RuleContext("cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", "cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"), [
            BusinessRule("BR-65", terms: "BT-158", "The Item classification identifier (BT-158) shall have a Scheme identifier.") {
                $0.has(attribute: "listID")
            },
        ]),
        // Item standard identifiers (BT-157).
        ContextRules(RuleContext("cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID", "cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID"), [
            BusinessRule("BR-64", terms: "BT-157", "The Item standard identifier (BT-157) shall have a Scheme identifier.") {
                $0.has(attribute: "schemeID")
            },
        ]),
        // Notes (BT-22): the subject code some open with (BT-21). The artefact keeps this code list rule here.
        ContextRules(RuleContext("/ubl:Invoice/cbc:Note", "/cn:CreditNote/cbc:Note"), [
            BusinessRule("BR-CL-08", terms: "BT-21", "Invoiced note subject code shall be coded using UNCL4451") {
                CodeListChecks.noteSubjectIsCoded($0.text)
            },
        ]),
        // The Payee (BG-10).
        ContextRules(RuleContext("cac:PayeeParty"), [
            BusinessRule("BR-17", terms: "BT-59, BG-10, BG-4", "The Payee name (BT-59) shall be provided in the Invoice, if the Payee (BG-10) is different from the Seller (BG-4)") {
                $0.exists("cac:PartyName/cbc:Name")
                    && !$0.anyEqual("cac:PartyName/cbc:Name", "../cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name")
                    && !$0.anyEqual("cac:PartyIdentification/cbc:ID", "../cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID")
            },
        ]),
        // Credit transfers (BG-17).
        ContextRules(RuleContext("cac:PaymentMeans/cac:PayeeFinancialAccount", where: { $0.parent?.anyText("cbc:PaymentMeansCode") { $0 == "30" || $0 == "58" } ?? false }), [
            BusinessRule("BR-50", terms: "BT-84, BG-17", "A Payment account identifier (BT-84) shall be present if Credit transfer (BG-17) information is provided in the Invoice.") {
                $0.normalized("cbc:ID") != ""
            },
        ]),
        // Payment instructions (BG-16).
        ContextRules(RuleContext("cac:PaymentMeans"), [
            BusinessRule("BR-49", terms: "BG-16, BT-81", "A Payment instruction (BG-16) shall specify the Payment means type code (BT-81).") {
                $0.exists("cbc:PaymentMeansCode")
            },
            BusinessRule("BR-61", terms: "BT-81, BT-84", "If the Payment means type code (BT-81) means SEPA credit transfer, Local credit transfer or Non-SEPA international credit transfer, the Payment account identifier (BT-84) shall be present.") {
                !["30", "58"].contains($0.normalized("cbc:PaymentMeansCode")) || $0.exists("cac:PayeeFinancialAccount/cbc:ID")
            },
        ]),
        // Preceding Invoice references (BG-3).
        ContextRules(RuleContext("cac:BillingReference"), [
            BusinessRule("BR-55", terms: "BG-3, BT-25", "Each Preceding Invoice reference (BG-3) shall contain a Preceding Invoice reference (BT-25).") {
                $0.exists("cac:InvoiceDocumentReference/cbc:ID")
            },
        ]),
        // The Seller (BG-4).
        ContextRules(RuleContext("cac:AccountingSupplierParty"), [
            BusinessRule("BR-CO-26", terms: "BT-29, BT-30, BT-31", "In order for the buyer to automatically identify a supplier, the Seller identifier (BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT identifier (BT-31) shall be present.") {
                $0.vatCategories("cac:Party/cac:PartyTaxScheme").contains { $0.exists("cbc:CompanyID") }
                    || $0.any("cac:Party/cac:PartyIdentification/cbc:ID") { $0.attribute("schemeID") != "SEPA" }
                    || $0.exists("cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
            },
        ]),
        // The Seller electronic address (BT-34).
        ContextRules(RuleContext("cac:AccountingSupplierParty/cac:Party/cbc:EndpointID"), [
            BusinessRule("BR-62", terms: "BT-34", "The Seller electronic address (BT-34) shall have a Scheme identifier.") {
                $0.has(attribute: "schemeID")
            },
        ]),
        // The Seller postal address (BG-5).
        ContextRules(RuleContext("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress"), [
            BusinessRule("BR-09", terms: "BG-5, BT-40", "The Seller postal address (BG-5) shall contain a Seller country code (BT-40).") {
                $0.normalized("cac:Country/cbc:IdentificationCode") != ""
            },
        ]),
        // The Seller tax representative party (BG-11).
        ContextRules(RuleContext("cac:TaxRepresentativeParty"), [
            BusinessRule("BR-18", terms: "BT-62, BG-4, BG-11", "The Seller tax representative name (BT-62) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11)") {
                $0.normalized("cac:PartyName/cbc:Name") != ""
            },
            BusinessRule("BR-19", terms: "BG-12, BG-4, BG-11", "The Seller tax representative postal address (BG-12) shall be provided in the Invoice, if the Seller (BG-4) has a Seller tax representative party (BG-11).") {
                $0.exists("cac:PostalAddress")
            },
            BusinessRule("BR-56", terms: "BG-11, BT-63", "Each Seller tax representative party (BG-11) shall have a Seller tax representative VAT identifier (BT-63).") {
                $0.vatCategories("cac:PartyTaxScheme").contains { $0.exists("cbc:CompanyID") }
            },
        ]),
        // The Seller tax representative postal address (BG-12).
        ContextRules(RuleContext("cac:TaxRepresentativeParty/cac:PostalAddress"), [
            BusinessRule("BR-20", terms: "BG-12, BT-69, BG-4, BG-11", "The Seller tax representative postal address (BG-12) shall contain a Tax representative country code (BT-69), if the Seller (BG-4) has a Seller tax representative party (BG-11).") {
                $0.normalized("cac:Country/cbc:IdentificationCode") != ""
            },
        ]),
        // The document's tax totals.
        ContextRules(RuleContext("/ubl:Invoice/cac:TaxTotal", "/cn:CreditNote/cac:TaxTotal"), [
            BusinessRule("BR-CO-14", terms: "BT-110, BT-117", "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).", subject: "cbc:TaxAmount") {
                $0.decimal("cbc:TaxAmount") == XPathDecimal.cents($0.all("cac:TaxSubtotal").sum("cbc:TaxAmount"))
                    || !$0.exists("cac:TaxSubtotal")
            },
        ]),
        // VAT breakdowns (BG-23).
        ContextRules(RuleContext("cac:TaxTotal/cac:TaxSubtotal"), [
            BusinessRule("BR-45", terms: "BG-23, BT-116", "Each VAT breakdown (BG-23) shall have a VAT category taxable amount (BT-116).") {
                $0.exists("cbc:TaxableAmount")
            },
            BusinessRule("BR-46", terms: "BG-23, BT-117", "Each VAT breakdown (BG-23) shall have a VAT category tax amount (BT-117).") {
                $0.exists("cbc:TaxAmount")
            },
            BusinessRule("BR-47", terms: "BG-23, BT-118", "Each VAT breakdown (BG-23) shall be defined through a VAT category code (BT-118).") {
                $0.vatCategories("cac:TaxCategory").contains { $0.exists("cbc:ID") }
            },
            BusinessRule("BR-48", terms: "BG-23, BT-119", "Each VAT breakdown (BG-23) shall have a VAT category rate (BT-119), except if the Invoice is not subject to VAT.") {
                $0.vatCategories("cac:TaxCategory").contains { $0.exists("cbc:Percent") || $0.normalized("cbc:ID") == "O" }
            },
            BusinessRule("BR-CO-17", terms: "BT-117, BT-116, BT-119", "VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category rate (BT-119) / 100), rounded to two decimals.", subject: "cbc:TaxAmount") {
                $0.vatAmountMatchesRate
            },
            BusinessRule("BR-DEC-19", terms: "BT-116", "The allowed maximum number of decimals for the VAT category taxable amount (BT-116) is 2.", subject: "cbc:TaxableAmount") {
                $0.hasAtMostTwoDecimals("cbc:TaxableAmount")
            },
            BusinessRule("BR-DEC-20", terms: "BT-117", "The allowed maximum number of decimals for the VAT category tax amount (BT-117) is 2.", subject: "cbc:TaxAmount") {
                $0.hasAtMostTwoDecimals("cbc:TaxAmount")
            },
        ]),
        // VAT identifiers (BT-31, BT-48, BT-63).
        ContextRules(RuleContext("//cac:PartyTaxScheme", where: { $0.hasVATScheme }), [
            BusinessRule("BR-CO-09", terms: "BT-31, BT-63, BT-48", "The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO 3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may use the prefix ‘EL’.", subject: "cbc:CompanyID") {
                $0.hasCountryPrefixedCompanyID
            },
        ]),
    ] + UBLVATCategoryRules.groups)
}
