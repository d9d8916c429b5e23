/// The XPath tests the BR-CL-* rules share, written as the CEN/TC 434 artefacts evaluate them.
enum CodeListChecks {
    /// The artefacts' `not(contains(normalize-space(v), ' ')) and contains(' A B C ', concat(' ',
    /// normalize-space(v), ' '))`: whether `value` (nil: an absent attribute, the empty string) is one
    /// of `codes` once normalized. The lists are single spaces between codes, so it is set membership.
    static func isCode(_ value: String?, in codes: Set<String>) -> Bool {
        codes.contains(RuleNode.normalizeSpace(value ?? ""))
    }

    /// UBL's BR-CL-08 on a note (BT-22): a note opening `#XXX#` names its subject (BT-21), and a
    /// three-character subject must appear in the UBL list of UNTDID 4451 codes. The artefact tests
    /// `contains(' AAA AAB … ', code)`, a substring search over the sorted list, and so does this.
    static func noteSubjectIsCoded(_ note: String) -> Bool {
        guard let open = note.firstIndex(of: "#") else { return true }
        let rest = note[note.index(after: open)...]
        let code = rest.firstIndex(of: "#").map { rest[..<$0] } ?? ""
        guard code.unicodeScalars.count == 3 else { return true }
        return untdid4451UBLTriples.contains(String(code))
    }

    private static let untdid4451UBLText = " " + EN16931CodeLists.untdid4451UBL.sorted().joined(separator: " ") + " "

    /// Every three-character text `untdid4451UBLText` contains, so that the substring test is one set lookup.
    private static let untdid4451UBLTriples: Set<String> = {
        let scalars = Array(untdid4451UBLText.unicodeScalars)
        return Set(scalars.indices.dropLast(2).map { String(String.UnicodeScalarView(scalars[$0..<$0 + 3])) })
    }()

    /// XPath `ancestor::prefix:Name`: whether an element above `node` is `step`.
    static func hasAncestor(_ node: RuleNode, _ step: String) -> Bool { node.hasAncestor(step) }

    /// XPath `path = true()` (or `false()`) on `node`: true when any selected element's text casts to
    /// `value` as xs:boolean (`true`/`1`, `false`/`0`). A text that is no boolean makes the artefact
    /// stop with an error (FORG0001) instead of a verdict; here it matches neither.
    static func indicator(_ node: RuleNode, _ path: String, is value: Bool) -> Bool {
        node.anyText(path) { text in
            switch RuleNode.normalizeSpace(text) {
            case "true", "1": value
            case "false", "0": !value
            default: false
            }
        }
    }
}
