/// EN 16931's business rules bound to UN/CEFACT CII D16B, after the CEN/TC 434 artefact's
/// `EN16931-CII-Model` pattern (`EN16931-CII-validation.xslt`): one group per rule context, in the
/// artefact's order.
enum CIIModelRules {
    static let pattern = RulePattern("EN16931-CII-Model", [
        ContextRules(RuleContext("/rsm:CrossIndustryInvoice"), [
            BusinessRule("BR-01", terms: "BT-24", "An Invoice shall have a Specification identifier (BT-24).") {
                $0.normalized("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") != ""
            },
            BusinessRule("BR-02", terms: "BT-1", "An Invoice shall have an Invoice number (BT-1).") {
                $0.normalized("rsm:ExchangedDocument/ram:ID") != ""
            },
        ] + CIIVATCategoryRules.documentRules),
    ] + CIIVATCategoryRules.groups)
}
