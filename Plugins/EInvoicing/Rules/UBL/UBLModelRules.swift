/// EN 16931's business rules bound to UBL 2.1, after the CEN/TC 434 artefact's `UBL-model` pattern
/// (`EN16931-UBL-validation.xslt`): one group per rule context, in the artefact's order.
enum UBLModelRules {
    static let pattern = RulePattern("UBL-model", [
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
        ] + UBLVATCategoryRules.documentRules),
    ] + UBLVATCategoryRules.groups)
}
