import HubXML

/// The rules one reference holds a document to (EN 16931 on UBL, EN 16931 on CII, a Factur-X
/// profile), and the walk that applies them.
public struct RuleSet: Sendable {
    /// What the verdicts are relative to (`EN 16931 (UBL)`, `Factur-X MINIMUM`), said on every event.
    public let reference: String
    /// The patterns, each applied to every element.
    public let patterns: [RulePattern]

    /// For each local name's number, the patterns (by index, in order) with a group whose context
    /// ends in that name or in `*`: the only ones an element of that name is tried against.
    private let patternsByName: [Int32: [Int]]
    /// The patterns with a group whose context ends in `*`, the only ones any other element is tried against.
    private let anyNamePatterns: [Int]
    /// How many names `RuleNames` had numbered once the patterns were: a document laid out with
    /// fewer would not know the names of this set's contexts.
    private let namesWhenDeclared: Int32

    /// A rule set.
    public init(reference: String, patterns: [RulePattern]) {
        self.reference = reference
        self.patterns = patterns
        var byName: [Int32: [Int]] = [:]
        var anyName: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            if pattern.hasAnyNameGroup { anyName.append(index) }
            for name in pattern.names { byName[name, default: []].append(index) }
        }
        patternsByName = byName.mapValues { anyName.isEmpty ? $0 : Array(Set($0 + anyName)).sorted() }
        anyNamePatterns = anyName
        namesWhenDeclared = RuleNames.count
    }

    /// Every rule the document under `root` breaks, in document order, then the artefact's order.
    public func failures(in root: XMLElementNode) -> [RuleFailure] {
        failures(in: RuleDocument(root: root))
    }

    /// Every rule the document of `node` breaks (the document laid out once serves the caller and
    /// the rules). A document laid out before this set's names were numbered is laid out again.
    public func failures(in node: RuleNode) -> [RuleFailure] {
        node.document.knownNames >= namesWhenDeclared ? failures(in: node.document) : failures(in: node.root.element)
    }

    private func failures(in document: RuleDocument) -> [RuleFailure] {
        var failures: [RuleFailure] = []
        for index in document.entries.indices {
            let node = RuleNode(document, index)
            for patternIndex in patternsByName[document.entries[index].name] ?? anyNamePatterns {
                guard let group = patterns[patternIndex].group(for: node) else { continue }
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
