/// EN 16931's code list rules (BR-CL-*) bound to UBL 2.1, after the CEN/TC 434 artefact's
/// `Codesmodel` pattern (`EN16931-UBL-codes.sch`): one group per rule context, in the artefact's order.
/// BR-CL-08 (note subject codes) is not here: the UBL artefact checks it in its model pattern.
enum UBLCodeListRules {
    static let pattern = RulePattern("Codesmodel", [
        ContextRules(RuleContext("cbc:InvoiceTypeCode", "cbc:CreditNoteTypeCode"), [
            BusinessRule("BR-CL-01", terms: "BT-3",
                         "The document type code MUST be coded by the invoice and credit note related code lists of UNTDID 1001.") {
                CodeListChecks.isCode($0.text, in: $0.name == "InvoiceTypeCode"
                    ? EN16931CodeLists.untdid1001InvoiceUBL : EN16931CodeLists.untdid1001CreditNoteUBL)
            },
        ]),
        ContextRules(RuleContext(
            "cbc:Amount", "cbc:BaseAmount", "cbc:PriceAmount", "cbc:TaxAmount", "cbc:TaxableAmount", "cbc:LineExtensionAmount",
            "cbc:TaxExclusiveAmount", "cbc:TaxInclusiveAmount", "cbc:AllowanceTotalAmount", "cbc:ChargeTotalAmount",
            "cbc:PrepaidAmount", "cbc:PayableRoundingAmount", "cbc:PayableAmount"), [
            BusinessRule("BR-CL-03", terms: "BT-5", "currencyID MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.attribute("currencyID"), in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("cbc:DocumentCurrencyCode"), [
            BusinessRule("BR-CL-04", terms: "BT-5", "Invoice currency code MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("cbc:TaxCurrencyCode"), [
            BusinessRule("BR-CL-05", terms: "BT-6", "Tax currency code MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("cac:InvoicePeriod/cbc:DescriptionCode"), [
            BusinessRule("BR-CL-06", terms: "BT-8",
                         "Value added tax point date code MUST be coded using a restriction of UNTDID 2005.") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid2005UBL)
            },
        ]),
        ContextRules(RuleContext("cac:AdditionalDocumentReference/cbc:ID", "cac:DocumentReference/cbc:ID", where: {
            $0.has(attribute: "schemeID") && ($0.parent?.anyText("cbc:DocumentTypeCode", is: "130") ?? false)
        }), [
            BusinessRule("BR-CL-07", terms: "BT-18-1, BT-128-1",
                         "Object identifier identification scheme identifier MUST be coded using a restriction of UNTDID 1153.") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.untdid1153)
            },
        ]),
        ContextRules(RuleContext("cac:PartyIdentification/cbc:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-10", terms: "BT-29-1, BT-46-1, BT-60-1",
                         "Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
                    || (CodeListChecks.isCode($0.attribute("schemeID"), in: ["SEPA"])
                        && (CodeListChecks.hasAncestor($0, "cac:AccountingSupplierParty") || CodeListChecks.hasAncestor($0, "cac:PayeeParty")))
            },
        ]),
        ContextRules(RuleContext("cac:PartyLegalEntity/cbc:CompanyID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-11", terms: "BT-30-1, BT-47-1, BT-61-1",
                         "Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
        ContextRules(RuleContext("cac:CommodityClassification/cbc:ItemClassificationCode", where: { $0.has(attribute: "listID") }), [
            BusinessRule("BR-CL-13", terms: "BT-158-1",
                         "Item classification identifier identification scheme identifier MUST be coded using one of the UNTDID 7143 list.") {
                CodeListChecks.isCode($0.attribute("listID"), in: EN16931CodeLists.untdid7143)
            },
        ]),
        ContextRules(RuleContext("cac:Country/cbc:IdentificationCode"), [
            BusinessRule("BR-CL-14", terms: "BT-40, BT-55, BT-69, BT-80", "Country codes in an invoice MUST be coded using ISO code list 3166-1") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso3166UBL)
            },
        ]),
        ContextRules(RuleContext("cac:OriginCountry/cbc:IdentificationCode"), [
            BusinessRule("BR-CL-15", terms: "BT-159", "Country codes in an invoice MUST be coded using ISO code list 3166-1") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso3166UBL)
            },
        ]),
        ContextRules(RuleContext("cac:PaymentMeans/cbc:PaymentMeansCode"), [
            BusinessRule("BR-CL-16", terms: "BT-81", "Payment means in an invoice MUST be coded using UNCL4461 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid4461)
            },
        ]),
        ContextRules(RuleContext("cac:TaxCategory/cbc:ID"), [
            BusinessRule("BR-CL-17", terms: "BT-95, BT-102, BT-118", "Invoice tax categories MUST be coded using UNCL5305 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5305)
            },
        ]),
        ContextRules(RuleContext("cac:ClassifiedTaxCategory/cbc:ID"), [
            BusinessRule("BR-CL-18", terms: "BT-151", "Invoice tax categories MUST be coded using UNCL5305 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5305)
            },
        ]),
        ContextRules(RuleContext("cac:AllowanceCharge/cbc:AllowanceChargeReasonCode", where: {
            $0.parent.map { CodeListChecks.indicator($0, "cbc:ChargeIndicator", is: false) } ?? false
        }), [
            BusinessRule("BR-CL-19", terms: "BT-98, BT-140", "Coded allowance reasons MUST belong to the UNCL 5189 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5189)
            },
        ]),
        ContextRules(RuleContext("cac:AllowanceCharge/cbc:AllowanceChargeReasonCode", where: {
            $0.parent.map { CodeListChecks.indicator($0, "cbc:ChargeIndicator", is: true) } ?? false
        }), [
            BusinessRule("BR-CL-20", terms: "BT-105, BT-145", "Coded charge reasons MUST belong to the UNCL 7161 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid7161)
            },
        ]),
        ContextRules(RuleContext("cac:StandardItemIdentification/cbc:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-21", terms: "BT-157-1",
                         "Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
        ContextRules(RuleContext("cbc:TaxExemptionReasonCode"), [
            BusinessRule("BR-CL-22", terms: "BT-121",
                         "Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code list") {
                CodeListChecks.isCode($0.text.uppercased(), in: EN16931CodeLists.vatex)
            },
        ]),
        ContextRules(RuleContext("cbc:InvoicedQuantity", "cbc:BaseQuantity", "cbc:CreditedQuantity", where: { $0.has(attribute: "unitCode") }), [
            BusinessRule("BR-CL-23", terms: "BT-130, BT-150",
                         "Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension") {
                CodeListChecks.isCode($0.attribute("unitCode"), in: EN16931CodeLists.unitCodes)
            },
        ]),
        ContextRules(RuleContext("cbc:EmbeddedDocumentBinaryObject", where: { $0.has(attribute: "mimeCode") }), [
            BusinessRule("BR-CL-24", terms: "BT-125-1", "For Mime code in attribute use MIMEMediaType.") {
                $0.attribute("mimeCode").map(EN16931CodeLists.mimeCodes.contains) ?? false
            },
        ]),
        ContextRules(RuleContext("cbc:EndpointID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-25", terms: "BT-34-1, BT-49-1", "Endpoint identifier scheme identifier MUST belong to the CEF EAS code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.eas)
            },
        ]),
        ContextRules(RuleContext("cac:DeliveryLocation/cbc:ID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-26", terms: "BT-71-1",
                         "Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
    ])
}
