/// The CII syntax rules of the CEN/TC 434 artefact (CII-SR, CII-DT: what the CII binding adds to
/// EN 16931), after its syntax pattern.
enum CIISyntaxRules {
    static let pattern = RulePattern("CII-syntax", [])
}
