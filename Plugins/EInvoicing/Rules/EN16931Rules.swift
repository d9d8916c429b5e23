import HubXML

/// The rule sets of EN 16931 per syntax, as the CEN/TC 434 validation artefacts hold them.
public enum EN16931Rules {
    /// EN 16931 on a UBL 2.1 Invoice or CreditNote.
    public static let ubl = RuleSet(reference: "EN 16931 (CEN/TC 434 UBL artefact)", patterns: [
        UBLModelRules.pattern, UBLSyntaxRules.pattern, UBLCodeListRules.pattern,
    ])

    /// EN 16931 on a UN/CEFACT CII CrossIndustryInvoice.
    public static let cii = RuleSet(reference: "EN 16931 (CEN/TC 434 CII artefact)", patterns: [
        CIIModelRules.pattern, CIISyntaxRules.pattern, CIICodeListRules.pattern,
    ])

    /// The two syntaxes EN 16931 binds to.
    public enum Syntax: Sendable {
        /// OASIS UBL 2.1: an `Invoice` or a `CreditNote`.
        case ubl
        /// UN/CEFACT Cross Industry Invoice.
        case cii
    }

    /// The syntax of the document under `root`, by its root element; nil when it is neither.
    public static func syntax(of root: XMLElementNode) -> Syntax? {
        syntax(name: root.name, namespace: root.namespace)
    }

    /// The syntax of a document whose root element has local name `name` in namespace `namespace`.
    static func syntax(name: String, namespace: String) -> Syntax? {
        switch (name, namespace) {
        case ("Invoice", RuleNamespaces.uris["ubl"]), ("CreditNote", RuleNamespaces.uris["cn"]): .ubl
        case ("CrossIndustryInvoice", RuleNamespaces.uris["rsm"]): .cii
        default: nil
        }
    }

    /// The rule set for the document under `root`, by its root element; nil when it is neither syntax.
    public static func ruleSet(for root: XMLElementNode) -> RuleSet? {
        switch syntax(of: root) {
        case .ubl?: ubl
        case .cii?: cii
        case nil: nil
        }
    }
}
