import HubXML

/// The rules one reference holds a document to (EN 16931 on UBL, EN 16931 on CII, a Factur-X
/// profile), and the walk that applies them.
public struct RuleSet: Sendable {
    /// What the verdicts are relative to (`EN 16931 (UBL)`, `Factur-X MINIMUM`), said on every event.
    public let reference: String
    /// The patterns, each applied to every element.
    public let patterns: [RulePattern]

    /// A rule set.
    public init(reference: String, patterns: [RulePattern]) {
        self.reference = reference
        self.patterns = patterns
    }

    /// Every rule the document under `root` breaks, in document order, then the artefact's order.
    public func failures(in root: XMLElementNode) -> [RuleFailure] {
        var failures: [RuleFailure] = []
        let document = RuleDocument()
        defer { document.release() }
        let nodes = RuleNode(root: root, document: document).descendantsOrSelf()
        document.index(nodes)
        for node in nodes {
            for pattern in patterns {
                guard let group = pattern.group(for: node) else { continue }
                for rule in group.rules where !rule.holds(node) {
                    let subject = rule.subject.flatMap { node.first($0) } ?? node
                    let value = subject.element.children.isEmpty && !subject.text.isEmpty ? subject.text : nil
                    failures.append(RuleFailure(
                        rule.id, rule.message, flag: rule.flag, terms: rule.terms.isEmpty ? nil : rule.terms,
                        value: value, location: Self.location(of: subject)))
                }
            }
        }
        return failures
    }

    /// Every rule id the set holds, for listings and tests.
    public var ruleIDs: Set<String> {
        Set(patterns.flatMap { $0.groups.flatMap { $0.rules.map(\.id) } })
    }

    /// An XPath a person can follow to the node: `/Invoice/InvoiceLine[2]/Price/PriceAmount`.
    static func location(of node: RuleNode) -> String {
        var steps: [String] = []
        var current: RuleNode? = node
        while let step = current {
            if let parent = step.parent {
                let siblings = parent.element.children.filter { $0.name == step.name && $0.namespace == step.element.namespace }
                if siblings.count > 1, let index = siblings.firstIndex(where: { $0 === step.element }) {
                    steps.append("\(step.name)[\(index + 1)]")
                } else {
                    steps.append(step.name)
                }
            } else {
                steps.append(step.name)
            }
            current = step.parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }
}
