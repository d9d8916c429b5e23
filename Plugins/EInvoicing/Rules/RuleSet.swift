import HubXML

/// The rules one reference holds a document to (EN 16931 on UBL, EN 16931 on CII, a Factur-X
/// profile), and the walk that applies them.
public struct RuleSet: Sendable {
    /// What the verdicts are relative to (`EN 16931 (UBL)`, `Factur-X MINIMUM`), said on every event.
    public let reference: String
    /// The patterns, each applied to every element.
    public let patterns: [RulePattern]

    /// One group an element may be checked by: the index of its pattern, the group, and what the
    /// walk reads of it for every element (side by side in the candidates' array, not behind the
    /// group's reference).
    private struct Candidate {
        let pattern: Int
        let group: ContextRules
        /// The group's context patterns.
        let patterns: [CompiledContextPattern]
        /// The group's context condition, nil when none.
        let condition: (@Sendable (RuleNode) -> Bool)?
        /// The group's rules' tests, in order.
        let checks: [@Sendable (RuleNode) -> Bool]

        init(pattern: Int, group: ContextRules) {
            self.pattern = pattern
            self.group = group
            patterns = group.context.compiled
            condition = group.context.condition
            checks = group.rules.map(\.holds)
        }

        /// Whether `node` is in the group's context (`RuleContext.matches`).
        func matches(_ node: RuleNode) -> Bool {
            guard patterns.contains(where: { $0.matches(node) }) else { return false }
            return condition?(node) ?? true
        }
    }

    /// For each local name's number (below `namesWhenDeclared`), the groups an element of that name
    /// is tried against: those whose context ends in the name or in `*`, pattern by pattern, each
    /// pattern's in its order. An array indexed by the number, so finding them hashes nothing.
    private let candidatesByName: [[Candidate]]
    /// The groups whose context ends in `*`, the only ones an element of any other name is tried against.
    private let anyNameCandidates: [Candidate]
    /// How many names `RuleNames` had numbered once the patterns were: a document laid out with
    /// fewer would not know the names of this set's contexts.
    private let namesWhenDeclared: Int32

    /// A rule set.
    public init(reference: String, patterns: [RulePattern]) {
        self.reference = reference
        self.patterns = patterns
        let names = RuleNames.count
        func candidates(named name: Int32?) -> [Candidate] {
            patterns.indices.flatMap { index in
                patterns[index].candidateGroups(named: name).map { Candidate(pattern: index, group: patterns[index].groups[$0]) }
            }
        }
        candidatesByName = (0..<names).map { candidates(named: $0) }
        anyNameCandidates = candidates(named: nil)
        namesWhenDeclared = names
    }

    /// Every rule the document under `root` breaks, in document order, then the artefact's order.
    public func failures(in root: XMLElementNode) -> [RuleFailure] {
        failures(in: RuleDocument(root: root))
    }

    /// Every rule the document of `node` breaks (the document laid out once serves the caller and
    /// the rules). A document laid out before this set's names were numbered is laid out again.
    public func failures(in node: RuleNode) -> [RuleFailure] {
        node.document.knownNames >= namesWhenDeclared ? failures(in: node.document) : failures(in: RuleDocument(node.document.flat))
    }

    private func failures(in document: RuleDocument) -> [RuleFailure] {
        var failures: [RuleFailure] = []
        for index in document.entries.indices {
            let name = Int(document.entries[index].name)
            let candidates = name >= 0 && name < candidatesByName.count ? candidatesByName[name] : anyNameCandidates
            guard !candidates.isEmpty else { continue }
            let node = RuleNode(document, index)
            // A pattern checks an element by its first group in context only.
            var checkedPattern = -1
            // By index, reading each candidate in place (a copy of it would retain what it holds).
            for position in candidates.indices where candidates[position].pattern != checkedPattern && candidates[position].matches(node) {
                checkedPattern = candidates[position].pattern
                for check in candidates[position].checks.indices where !candidates[position].checks[check](node) {
                    let rule = candidates[position].group.rules[check]
                    let subject = rule.subject.flatMap { node.first($0) } ?? node
                    let value = !document.hasChildren(subject.index) && !subject.text.isEmpty ? subject.text : nil
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
        let flat = node.document.flat
        var steps: [String] = []
        var current = node.index
        while current >= 0 {
            let parent = Int(flat.elements[current].parent)
            let name = flat.name(of: current), namespace = flat.namespace(of: current)
            // Its position among the parent's children of the same name and namespace, when there are several.
            var position = 0, count = 0
            if parent >= 0 {
                var sibling = parent + 1
                while sibling < Int(flat.elements[parent].end) {
                    if flat.name(of: sibling) == name && flat.namespace(of: sibling) == namespace {
                        count += 1
                        if sibling == current { position = count }
                    }
                    sibling = Int(flat.elements[sibling].end)
                }
            }
            steps.append(count > 1 ? "\(name)[\(position)]" : name)
            current = parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }
}
