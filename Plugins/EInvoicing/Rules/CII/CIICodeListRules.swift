/// EN 16931's code list rules (BR-CL-*) bound to UN/CEFACT CII, after the CEN/TC 434 artefact's
/// `EN16931-Codes` pattern (`EN16931-CII-codes.sch`): one group per rule context, in the artefact's order.
enum CIICodeListRules {
    static let pattern = RulePattern("EN16931-Codes", [
        ContextRules(RuleContext("rsm:ExchangedDocument/ram:TypeCode"), [
            BusinessRule("BR-CL-01", terms: "BT-3",
                         "The document type code MUST be coded by the invoice and credit note related code lists of UNTDID 1001.") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid1001CII)
            },
        ]),
        ContextRules(RuleContext("ram:TaxTotalAmount", where: { $0.has(attribute: "currencyID") }), [
            BusinessRule("BR-CL-03", terms: "BT-5", "currencyID MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.attribute("currencyID"), in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("ram:InvoiceCurrencyCode"), [
            BusinessRule("BR-CL-04", terms: "BT-5", "Invoice currency code MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("ram:TaxCurrencyCode"), [
            BusinessRule("BR-CL-05", terms: "BT-6", "Tax currency code MUST be coded using ISO code list 4217 alpha-3") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso4217)
            },
        ]),
        ContextRules(RuleContext("ram:DueDateTypeCode"), [
            BusinessRule("BR-CL-06", terms: "BT-8",
                         "Value added tax point date code MUST be coded using a restriction of UNTDID 2475.") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid2475CII)
            },
        ]),
        ContextRules(RuleContext("ram:ReferenceTypeCode"), [
            BusinessRule("BR-CL-07", terms: "BT-18-1, BT-128-1",
                         "Object identifier identification scheme identifier MUST be coded using a restriction of UNTDID 1153.") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid1153)
            },
        ]),
        ContextRules(RuleContext("ram:SubjectCode"), [
            BusinessRule("BR-CL-08", terms: "BT-21", "Subject Code MUST be coded using a restriction of UNTDID 4451.") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid4451)
            },
        ]),
        ContextRules(RuleContext("//ram:GlobalID", where: {
            $0.has(attribute: "schemeID")
                && !CodeListChecks.hasAncestor($0, "ram:SpecifiedTradeProduct") && !CodeListChecks.hasAncestor($0, "ram:ShipToTradeParty")
        }), [
            BusinessRule("BR-CL-10", terms: "BT-29-1, BT-46-1, BT-60-1",
                         "Any identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
        ContextRules(RuleContext("ram:ID", where: {
            $0.has(attribute: "schemeID") && !CodeListChecks.hasAncestor($0, "ram:SpecifiedTaxRegistration")
        }), [
            BusinessRule("BR-CL-11", terms: "BT-30-1, BT-47-1, BT-61-1",
                         "Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
        ContextRules(RuleContext("ram:ClassCode", where: { $0.has(attribute: "listID") }), [
            BusinessRule("BR-CL-13", terms: "BT-158-1",
                         "Item classification identifier identification scheme identifier MUST be coded using one of the UNTDID 7143 list.") {
                CodeListChecks.isCode($0.attribute("listID"), in: EN16931CodeLists.untdid7143)
            },
        ]),
        ContextRules(RuleContext("ram:CountryID"), [
            BusinessRule("BR-CL-14", terms: "BT-40, BT-55, BT-69, BT-80", "Country codes in an invoice MUST be coded using ISO code list 3166-1") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso3166CII)
            },
        ]),
        ContextRules(RuleContext("ram:OriginTradeCountry/ram:ID"), [
            BusinessRule("BR-CL-15", terms: "BT-159", "Country codes in an invoice MUST be coded using ISO code list 3166-1") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.iso3166CII)
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"), [
            BusinessRule("BR-CL-16", terms: "BT-81", "Payment means in an invoice MUST be coded using UNTDID 4461 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid4461)
            },
        ]),
        ContextRules(RuleContext("ram:CategoryTradeTax/ram:CategoryCode"), [
            BusinessRule("BR-CL-17", terms: "BT-95, BT-102", "Invoice tax categories MUST be coded using UNCL 5305 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5305)
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableTradeTax/ram:CategoryCode"), [
            BusinessRule("BR-CL-18", terms: "BT-118, BT-151", "Invoice tax categories MUST be coded using UNCL 5305 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5305)
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode", where: {
            $0.parent.map { CodeListChecks.indicator($0, "ram:ChargeIndicator/udt:Indicator", is: false) } ?? false
        }), [
            BusinessRule("BR-CL-19", terms: "BT-98, BT-140", "Coded allowance reasons MUST belong to the UNCL 5189 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid5189)
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode", where: {
            $0.parent.map { CodeListChecks.indicator($0, "ram:ChargeIndicator/udt:Indicator", is: true) } ?? false
        }), [
            BusinessRule("BR-CL-20", terms: "BT-105, BT-145", "Coded charge reasons MUST belong to the UNCL 7161 code list") {
                CodeListChecks.isCode($0.text, in: EN16931CodeLists.untdid7161)
            },
        ]),
        ContextRules(RuleContext("ram:SpecifiedTradeProduct/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-21", terms: "BT-157-1",
                         "Item standard identifier scheme identifier MUST belong to the ISO 6523 ICD code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
        ContextRules(RuleContext("ram:ExemptionReasonCode"), [
            BusinessRule("BR-CL-22", terms: "BT-121",
                         "Tax exemption reason code identifier scheme identifier MUST belong to the CEF VATEX code list") {
                CodeListChecks.isCode($0.text.uppercased(), in: EN16931CodeLists.vatex)
            },
        ]),
        ContextRules(RuleContext("ram:BasisQuantity", "ram:BilledQuantity", where: { $0.has(attribute: "unitCode") }), [
            BusinessRule("BR-CL-23", terms: "BT-130, BT-150",
                         "Unit code MUST be coded according to the UN/ECE Recommendation 20 with Rec 21 extension") {
                CodeListChecks.isCode($0.attribute("unitCode"), in: EN16931CodeLists.unitCodes)
            },
        ]),
        ContextRules(RuleContext("ram:AttachmentBinaryObject", where: { $0.has(attribute: "mimeCode") }), [
            BusinessRule("BR-CL-24", terms: "BT-125-1", "For Mime code in attribute use MIMEMediaType.") {
                $0.attribute("mimeCode").map(EN16931CodeLists.mimeCodes.contains) ?? false
            },
        ]),
        ContextRules(RuleContext("ram:URIUniversalCommunication/ram:URIID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-25", terms: "BT-34-1, BT-49-1", "Endpoint identifier scheme identifier MUST belong to the CEF EAS code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.eas)
            },
        ]),
        ContextRules(RuleContext("ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:GlobalID", where: { $0.has(attribute: "schemeID") }), [
            BusinessRule("BR-CL-26", terms: "BT-71-1",
                         "Delivery location identifier scheme identifier MUST belong to the ISO 6523 ICD code list") {
                CodeListChecks.isCode($0.attribute("schemeID"), in: EN16931CodeLists.iso6523ICD)
            },
        ]),
    ])
}
