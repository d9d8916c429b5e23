import HubXML

/// The rules one reference holds a document to (EN 16931 on UBL, EN 16931 on CII, a Factur-X
/// profile), and the walk that applies them.
public struct RuleSet: Sendable {
    /// What the verdicts are relative to (`EN 16931 (UBL)`, `Factur-X MINIMUM`), said on every event.
    public let reference: String
    /// The patterns, each applied to every element.
    public let patterns: [RulePattern]

    /// One group an element may be checked by: the index of its pattern, the group, and what the
    /// walk reads of it for every element, each in a form whose reading retains nothing: the
    /// context patterns' steps in one array of plain values, the tests each in a struct (an array
    /// of bare closures would call each through a reabstraction thunk). A class, so that the walk
    /// holds one reference per candidate and reads its constant fields in place.
    private final class Candidate: Sendable {
        /// One context pattern: its steps in `steps`, last first, and whether it is anchored at the root.
        struct Pattern: Sendable {
            let start: Int
            let count: Int
            let anchored: Bool
        }

        /// One rule's test.
        struct Check: Sendable {
            let holds: @Sendable (RuleNode) -> Bool
        }

        let pattern: Int
        let group: ContextRules
        /// The group's context patterns, over `steps`.
        let patterns: [Pattern]
        /// Every context pattern's steps, last first, one pattern after the other.
        let steps: [RuleStep]
        /// The group's context condition, nil when none.
        let condition: (@Sendable (RuleNode) -> Bool)?
        /// The group's rules' tests, in order.
        let checks: [Check]

        init(pattern: Int, group: ContextRules) {
            self.pattern = pattern
            self.group = group
            var patterns: [Pattern] = [], steps: [RuleStep] = []
            for compiled in group.context.compiled {
                patterns.append(Pattern(start: steps.count, count: compiled.stepsFromLast.count, anchored: compiled.anchored))
                steps += compiled.stepsFromLast
            }
            self.patterns = patterns
            self.steps = steps
            condition = group.context.condition
            checks = group.rules.map { Check(holds: $0.holds) }
        }

        /// Whether the element at `index` of `document` is in the group's context (`RuleContext.matches`),
        /// `node` standing for it.
        func matches(_ node: RuleNode, _ document: RuleDocument, _ index: Int) -> Bool {
            let found = steps.withUnsafeBufferPointer { steps in
                patterns.contains { pattern in
                    var current = index
                    for step in steps[pattern.start..<pattern.start + pattern.count] {
                        guard current >= 0, document.matches(current, step) else { return false }
                        current = Int(document.entries[current].parent)
                    }
                    return !pattern.anchored || current < 0
                }
            }
            guard found else { return false }
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
            for candidate in candidates where candidate.pattern != checkedPattern && candidate.matches(node, document, index) {
                checkedPattern = candidate.pattern
                for check in candidate.checks.indices where !candidate.checks[check].holds(node) {
                    let rule = candidate.group.rules[check]
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
