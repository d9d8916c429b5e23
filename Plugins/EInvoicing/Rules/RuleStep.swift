import HubXML

/// One step of a path or of a rule context's pattern (`cac:InvoiceLine`, `*:ID`, `Name`, `*`), read
/// once into the numbers `RuleNames` and `RuleNamespaces` give its name and namespace, so that
/// matching an element costs two integer comparisons, not the reading of text.
struct RuleStep: Sendable {
    /// `name` of a step naming any local name (`*`).
    static let anyName: Int32 = -2
    /// `namespace` of a step taking any namespace (`*`, `*:Name`).
    static let anyNamespace: Int8 = -2
    /// `namespace` of a step whose prefix `RuleNamespaces` does not bind: it matches nothing.
    static let unboundNamespace: Int8 = -3

    /// The local name's number in `RuleNames`, or `anyName`.
    let name: Int32
    /// The namespace's number in `RuleNamespaces` (0 for none, `Name`), or `anyNamespace`, or
    /// `unboundNamespace`.
    let namespace: Int8

    /// The step written `text`.
    init(_ text: Substring) {
        guard text != "*" else {
            (name, namespace) = (Self.anyName, Self.anyNamespace)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            (name, namespace) = (RuleNames.number(String(text)), RuleNamespaces.none)
            return
        }
        let prefix = text[..<colon]
        let localName = text[text.index(after: colon)...]
        name = localName == "*" ? Self.anyName : RuleNames.number(String(localName))
        namespace = prefix == "*" ? Self.anyNamespace : RuleNamespaces.uris[prefix].map(RuleNamespaces.number(of:)) ?? Self.unboundNamespace
    }
}

/// A rule context's location path pattern, read once: its steps from the last (the element matched)
/// back to the first, and whether it is anchored at the root element (a leading `/`).
struct CompiledContextPattern: Sendable {
    /// The steps, last first.
    let stepsFromLast: [RuleStep]
    /// Whether the first step must be the document's root element.
    let anchored: Bool

    /// The pattern written `text` (`/ubl:Invoice`, `cac:TaxTotal/cac:TaxSubtotal`).
    init(_ text: String) {
        var rest = Substring(text)
        anchored = rest.hasPrefix("/") && !rest.hasPrefix("//")
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        stepsFromLast = rest.split(separator: "/").reversed().map(RuleStep.init)
    }

    /// The number of the local name an element must have to match, nil when the last step is `*`.
    var lastName: Int32? {
        guard let last = stepsFromLast.first, last.name != RuleStep.anyName else { return nil }
        return last.name
    }

    /// Whether `node` matches: a `b` whose parent is an `a` for `a/b`, and at the root when anchored.
    func matches(_ node: RuleNode) -> Bool {
        let document = node.document
        var current = node.index
        for step in stepsFromLast {
            guard current >= 0, document.matches(current, step) else { return false }
            current = Int(document.entries[current].parent)
        }
        return !anchored || current < 0
    }
}
