/// The XPath tests the BR-CL-* rules share, written as the CEN/TC 434 artefacts evaluate them.
enum CodeListChecks {
    /// The artefacts' `not(contains(normalize-space(v), ' ')) and contains(' A B C ', concat(' ',
    /// normalize-space(v), ' '))`: whether `value` (nil: an absent attribute, the empty string) is one
    /// of `codes` once normalized. The lists are single spaces between codes, so it is set membership.
    static func isCode(_ value: String?, in codes: Set<String>) -> Bool {
        codes.contains(RuleNode.normalizeSpace(value ?? ""))
    }

    /// XPath `ancestor::prefix:Name`: whether an element above `node` is `step`.
    static func hasAncestor(_ node: RuleNode, _ step: Substring) -> Bool {
        var current = node.parent
        while let ancestor = current {
            if RuleNamespaces.matches(ancestor.element, step: step) { return true }
            current = ancestor.parent
        }
        return false
    }

    /// XPath `path = true()` (or `false()`) on `node`: true when any selected element's text casts to
    /// `value` as xs:boolean (`true`/`1`, `false`/`0`). A text that is no boolean makes the artefact
    /// stop with an error (FORG0001) instead of a verdict; here it matches neither.
    static func indicator(_ node: RuleNode, _ path: String, is value: Bool) -> Bool {
        node.strings(path).contains { text in
            switch RuleNode.normalizeSpace(text) {
            case "true", "1": value
            case "false", "0": !value
            default: false
            }
        }
    }
}
