/// EN 16931's code list rules (BR-CL-*) bound to UN/CEFACT CII, after the CEN/TC 434 artefact's
/// `EN16931-Codes` pattern.
enum CIICodeListRules {
    static let pattern = RulePattern("EN16931-Codes", [])
}
