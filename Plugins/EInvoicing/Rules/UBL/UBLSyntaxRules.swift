/// The UBL syntax rules of the CEN/TC 434 artefact (UBL-SR, UBL-DT: cardinalities and data types
/// the UBL binding adds to EN 16931), after its `UBL-syntax` pattern.
enum UBLSyntaxRules {
    static let pattern = RulePattern("UBL-syntax", [])
}
