/// EN 16931's code list rules (BR-CL-*) bound to UBL 2.1, after the CEN/TC 434 artefact's
/// `Codesmodel` pattern.
enum UBLCodeListRules {
    static let pattern = RulePattern("Codesmodel", [])
}
