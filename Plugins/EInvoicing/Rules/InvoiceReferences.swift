import HubXML

/// Which reference a document is judged against: EN 16931 in its syntax, or the Factur-X / ZUGFeRD
/// profile it declares when that profile is not an EN 16931 invoice.
///
/// - UBL: EN 16931 (UBL artefact).
/// - CII declaring MINIMUM or BASIC WL (BT-24): that profile's rules (`FacturXRules`), since
///   those profiles are not EN 16931 invoices (no lines, and for MINIMUM no buyer address).
/// - CII declaring EXTENDED: EN 16931 (CII artefact) without the syntax rules that refuse the terms
///   EXTENDED adds (`CII-SR` "should not be present" and `CII-DT` "shall not be used").
/// - Any other CII (EN16931, BASIC, an unknown identifier): EN 16931 (CII artefact).
public enum InvoiceReferences {
    /// The rule set for the document under `root`; nil when it is no invoice syntax the hub reads.
    public static func ruleSet(for root: XMLElementNode) -> RuleSet? {
        ruleSet(syntax: EN16931Rules.syntax(of: root), profile: { profile(of: root) })
    }

    /// The rule set for a document read flat; nil when it is no invoice syntax the hub reads.
    public static func ruleSet(for document: XMLFlatDocument) -> RuleSet? {
        ruleSet(syntax: EN16931Rules.syntax(name: document.name(of: 0), namespace: document.namespace(of: 0)),
                profile: { profile(of: document) })
    }

    /// The rule set for a document in `syntax`, asking a CII document's `profile`.
    private static func ruleSet(syntax: EN16931Rules.Syntax?, profile: () -> InvoiceProfile) -> RuleSet? {
        switch syntax {
        case nil: return nil
        case .ubl?: return EN16931Rules.ubl
        case .cii?: break
        }
        switch profile() {
        case .minimum: return FacturXRules.minimum
        case .basicWL: return FacturXRules.basicWL
        case .extended: return extended
        case .basic, .en16931, .other: return EN16931Rules.cii
        }
    }

    /// The Factur-X profile a CII document declares in BT-24.
    public static func profile(of root: XMLElementNode) -> InvoiceProfile {
        let bt24 = root.first(["ExchangedDocumentContext", "GuidelineSpecifiedDocumentContextParameter", "ID"])?.text
        return InvoiceProfile(specificationID: bt24)
    }

    /// The Factur-X profile a CII document read flat declares in BT-24.
    public static func profile(of document: XMLFlatDocument) -> InvoiceProfile {
        let bt24 = document.child(of: 0, named: "ExchangedDocumentContext")
            .flatMap { document.child(of: $0, named: "GuidelineSpecifiedDocumentContextParameter") }
            .flatMap { document.child(of: $0, named: "ID") }
        return InvoiceProfile(specificationID: bt24.map(document.text(of:)))
    }

    /// Factur-X EXTENDED: EN 16931 on CII, allowing the terms EXTENDED adds.
    public static let extended = allowingExtraTerms(EN16931Rules.cii, reference: "Factur-X EXTENDED (EN 16931 CII artefact, extension terms allowed)")

    /// `ruleSet` without the syntax rules that only refuse a term's presence (the CEN artefact's
    /// "... should not be present" and "... shall not be used"): what an extension of EN 16931
    /// (Factur-X EXTENDED) is allowed to carry. Every other rule stays.
    public static func allowingExtraTerms(_ ruleSet: RuleSet, reference: String) -> RuleSet {
        RuleSet(reference: reference, patterns: ruleSet.patterns.map { pattern in
            RulePattern(pattern.name, pattern.groups.map { group in
                ContextRules(group.context, group.rules.filter { !refusesATerm($0) })
            })
        })
    }

    /// Whether `rule` is a syntax rule that refuses an element merely for being there.
    static func refusesATerm(_ rule: BusinessRule) -> Bool {
        (rule.id.hasPrefix("CII-SR-") || rule.id.hasPrefix("CII-DT-"))
            && (rule.message.contains("should not be present") || rule.message.contains("shall not be used"))
    }
}
