/// EN 16931's VAT category rules (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-IG, BR-IP, BR-O, BR-B)
/// bound to UN/CEFACT CII, after the CEN/TC 434 artefact; part of its `EN16931-CII-Model` pattern.
enum CIIVATCategoryRules {
    /// The rules whose context is the CrossIndustryInvoice itself.
    static let documentRules: [BusinessRule] = []
    /// The rules with their own contexts (VAT breakdown, line, allowance and charge categories).
    static let groups: [ContextRules] = []
}
