import HubXML

/// One step of a rule context's pattern (`cac:InvoiceLine`, `*:ID`, `Name`, `*`), read once when the
/// rules are built, so that matching an element costs name comparisons, not the parsing of text:
/// every element of every invoice is matched against every context of a pattern until one matches.
struct RuleStep: Sendable {
    /// The element's local name; nil for `*`.
    let localName: String?
    /// The namespace URI required: nil for any (`*`, `*:Name`); empty for none (`Name`); nil with
    /// `unboundPrefix` for a prefix `RuleNamespaces` does not bind, which matches nothing.
    let namespace: String?
    /// Whether the step names a prefix that `RuleNamespaces` does not bind.
    let unboundPrefix: Bool

    /// The step written `text`.
    init(_ text: Substring) {
        guard text != "*" else {
            (localName, namespace, unboundPrefix) = (nil, nil, false)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            (localName, namespace, unboundPrefix) = (String(text), "", false)
            return
        }
        let prefix = text[..<colon]
        localName = String(text[text.index(after: colon)...])
        namespace = prefix == "*" ? nil : RuleNamespaces.uris[prefix]
        unboundPrefix = prefix != "*" && namespace == nil
    }

    /// Whether `element` is what the step names.
    func matches(_ element: XMLElementNode) -> Bool {
        guard !unboundPrefix else { return false }
        if let localName, element.name != localName { return false }
        if let namespace, element.namespace != namespace { return false }
        return true
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

    /// The local name an element must have to match, nil when the last step is `*`.
    var lastLocalName: String? { stepsFromLast.first?.localName }

    /// Whether `node` matches: a `b` whose parent is an `a` for `a/b`, and at the root when anchored.
    func matches(_ node: RuleNode) -> Bool {
        var current: RuleNode? = node
        for step in stepsFromLast {
            guard let candidate = current, step.matches(candidate.element) else { return false }
            current = candidate.parent
        }
        return !anchored || current == nil
    }
}
