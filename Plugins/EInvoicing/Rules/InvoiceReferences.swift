import HubXML

/// Which reference a document is judged against: EN 16931 in its syntax, or the Factur-X / ZUGFeRD
/// profile it declares when that profile is not an EN 16931 invoice.
public enum InvoiceReferences {
    /// The rule set for the document under `root`; nil when it is no invoice syntax the hub reads.
    public static func ruleSet(for root: XMLElementNode) -> RuleSet? {
        EN16931Rules.ruleSet(for: root)
    }
}
