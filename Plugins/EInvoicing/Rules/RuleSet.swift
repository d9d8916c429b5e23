import HubXML

/// The rules one reference holds a document to (EN 16931 on UBL, EN 16931 on CII, a Factur-X
/// profile), and the walk that applies them.
public struct RuleSet: Sendable {
    /// What the verdicts are relative to (`EN 16931 (UBL)`, `Factur-X MINIMUM`), said on every event.
    public let reference: String
    /// The patterns, each applied to every element.
    public let patterns: [RulePattern]

    /// One group an element may be checked by: the index of its pattern, and the group's context
    /// condition and tests, read only once the element is in the group's context patterns (a class,
    /// so that the walk holds one reference per group it checks).
    private final class Candidate: Sendable {
        /// One rule's test, in a struct (an array of bare closures would call each through a
        /// reabstraction thunk).
        struct Check: Sendable {
            let holds: @Sendable (RuleNode) -> Bool
        }

        let pattern: Int
        let group: ContextRules
        /// The group's context condition, nil when none.
        let condition: (@Sendable (RuleNode) -> Bool)?
        /// The group's rules' tests, in order.
        let checks: [Check]
        /// For each test, the number of an element name without which it holds, -1 when none
        /// (`BusinessRule.holdsWithout`): read before the test, which is then not called.
        let holdsWithout: [Int32]

        init(pattern: Int, group: ContextRules) {
            self.pattern = pattern
            self.group = group
            condition = group.context.condition
            checks = group.rules.map { Check(holds: $0.holds) }
            holdsWithout = group.rules.map(\.holdsWithout)
        }
    }

    /// What the walk reads for every element it tries: for each local name's number, the groups to
    /// try, and each group's context patterns, all plain values in memory allocated once and read
    /// through pointers, so that trying an element against a group it is not in neither retains nor
    /// checks a bound. Groups are numbered as in `candidates`.
    private final class ContextTable: @unchecked Sendable {
        // @unchecked: the buffers are written once, in `init`, never after, and freed in `deinit`;
        // every reader only reads them.

        /// One group: its pattern's index and its context patterns (`patterns[first..<first + count]`).
        struct Group {
            let pattern: Int32
            let first: Int32
            let count: Int32
        }

        /// One context pattern: its steps (`steps[first..<first + count]`, last first) and whether
        /// it is anchored at the root.
        struct Pattern {
            let first: Int32
            let count: Int32
            let anchored: Bool
        }

        /// The groups an element whose name is numbered `n` tries are `tried[starts[n]..<starts[n + 1]]`;
        /// the last bucket (`names`) is that of every other name.
        private let starts: UnsafeMutableBufferPointer<Int32>
        private let tried: UnsafeMutableBufferPointer<Int32>
        private let groups: UnsafeMutableBufferPointer<Group>
        private let patterns: UnsafeMutableBufferPointer<Pattern>
        private let steps: UnsafeMutableBufferPointer<RuleStep>
        /// How many names have a bucket of their own.
        let names: Int

        /// The table of `candidates`, an element of a name numbered below `buckets.count` trying the
        /// candidates its bucket lists, any other element those `others` lists.
        init(candidates: [Candidate], buckets: [[Int]], others: [Int]) {
            names = buckets.count
            let lists = buckets + [others]
            starts = .allocate(capacity: lists.count + 1)
            tried = .allocate(capacity: max(1, lists.reduce(0) { $0 + $1.count }))
            var count = 0
            for (bucket, list) in lists.enumerated() {
                starts[bucket] = Int32(count)
                for candidate in list {
                    tried[count] = Int32(candidate)
                    count += 1
                }
            }
            starts[lists.count] = Int32(count)
            let compiled = candidates.map(\.group.context.compiled)
            groups = .allocate(capacity: max(1, candidates.count))
            patterns = .allocate(capacity: max(1, compiled.reduce(0) { $0 + $1.count }))
            steps = .allocate(capacity: max(1, compiled.reduce(0) { $0 + $1.reduce(0) { $0 + $1.stepsFromLast.count } }))
            var patternCount = 0, stepCount = 0
            for (index, candidate) in candidates.enumerated() {
                groups[index] = Group(pattern: Int32(candidate.pattern), first: Int32(patternCount), count: Int32(compiled[index].count))
                for pattern in compiled[index] {
                    patterns[patternCount] = Pattern(first: Int32(stepCount), count: Int32(pattern.stepsFromLast.count), anchored: pattern.anchored)
                    patternCount += 1
                    for step in pattern.stepsFromLast {
                        steps[stepCount] = step
                        stepCount += 1
                    }
                }
            }
        }

        deinit {
            for buffer in [starts, tried] { buffer.deallocate() }
            groups.deallocate()
            patterns.deallocate()
            steps.deallocate()
        }

        /// The range of `tried` for an element whose name is numbered `name` (-1 when no rule names it).
        @inline(__always)
        func bucket(of name: Int32) -> Range<Int> {
            let bucket = name >= 0 && Int(name) < names ? Int(name) : names
            return Int(starts[bucket])..<Int(starts[bucket + 1])
        }

        /// The group at `position` of `tried`.
        @inline(__always)
        func group(at position: Int) -> Int { Int(tried[position]) }

        /// The pattern index of the group numbered `group`.
        @inline(__always)
        func pattern(of group: Int) -> Int { Int(groups[group].pattern) }

        /// Whether the element at `index` matches one of the context patterns of the group numbered
        /// `group` (`RuleContext.matches` without the condition).
        @inline(__always)
        func matches(_ group: Int, _ index: Int, _ entries: UnsafeBufferPointer<RuleDocument.Entry>, _ document: RuleDocument) -> Bool {
            let group = groups[group]
            var pattern = Int(group.first)
            let lastPattern = pattern + Int(group.count)
            patterns: while pattern < lastPattern {
                let context = patterns[pattern]
                pattern += 1
                var current = index
                var step = Int(context.first)
                let lastStep = step + Int(context.count)
                while step < lastStep {
                    guard current >= 0 else { continue patterns }
                    let entry = entries[current]
                    guard document.matches(entry, at: current, steps[step]) else { continue patterns }
                    current = Int(entry.parent)
                    step += 1
                }
                if !context.anchored || current < 0 { return true }
            }
            return false
        }
    }

    /// Every group any element may be checked by, each once.
    private let candidates: [Candidate]
    /// For each local name's number (below `namesWhenDeclared`), the groups an element of that name
    /// is tried against: those whose context ends in the name or in `*`, pattern by pattern, each
    /// pattern's in its order; for any other name, the groups whose context ends in `*`.
    private let table: ContextTable
    /// How many names `RuleNames` had numbered once the patterns were: a document laid out with
    /// fewer would not know the names of this set's contexts.
    private let namesWhenDeclared: Int32

    /// A rule set.
    public init(reference: String, patterns: [RulePattern]) {
        self.reference = reference
        self.patterns = patterns
        let names = RuleNames.count
        var candidates: [Candidate] = []
        var numbers: [[Int]] = patterns.map { [Int](repeating: -1, count: $0.groups.count) }
        func tried(named name: Int32?) -> [Int] {
            patterns.indices.flatMap { index in
                patterns[index].candidateGroups(named: name).map { group in
                    if numbers[index][group] < 0 {
                        numbers[index][group] = candidates.count
                        candidates.append(Candidate(pattern: index, group: patterns[index].groups[group]))
                    }
                    return numbers[index][group]
                }
            }
        }
        let buckets = (0..<names).map { tried(named: $0) }
        let others = tried(named: nil)
        self.candidates = candidates
        table = ContextTable(candidates: candidates, buckets: buckets, others: others)
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
        document.entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                let tried = table.bucket(of: entries[index].name)
                // A pattern checks an element by its first group in context only.
                var checkedPattern = -1
                for position in tried {
                    let number = table.group(at: position)
                    let pattern = table.pattern(of: number)
                    guard pattern != checkedPattern, table.matches(number, index, entries, document) else { continue }
                    let candidate = candidates[number]
                    let node = RuleNode(document, index)
                    guard candidate.condition?(node) ?? true else { continue }
                    checkedPattern = pattern
                    for check in candidate.checks.indices {
                        let name = candidate.holdsWithout[check]
                        guard name < 0 || document.hasElement(named: name), !candidate.checks[check].holds(node) else { continue }
                        failures.append(Self.failure(candidate.group.rules[check], at: node))
                    }
                }
            }
        }
        return failures
    }

    /// The report of `rule` broken at `node`: the offending value and where it is.
    private static func failure(_ rule: BusinessRule, at node: RuleNode) -> RuleFailure {
        let subject = rule.subject.flatMap { node.first($0) } ?? node
        let value = !node.document.hasChildren(subject.index) && !subject.text.isEmpty ? subject.text : nil
        return RuleFailure(rule.id, rule.message, flag: rule.flag, terms: rule.terms.isEmpty ? nil : rule.terms,
                           value: value, location: location(of: subject))
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
            let parent = Int(flat.nodes[current].parent)
            let name = flat.name(of: current), namespace = flat.namespace(of: current)
            // Its position among the parent's children of the same name and namespace, when there are several.
            var position = 0, count = 0
            if parent >= 0 {
                var sibling = parent + 1
                while sibling < Int(flat.nodes[parent].end) {
                    if flat.name(of: sibling) == name && flat.namespace(of: sibling) == namespace {
                        count += 1
                        if sibling == current { position = count }
                    }
                    sibling = Int(flat.nodes[sibling].end)
                }
            }
            steps.append(count > 1 ? "\(name)[\(position)]" : name)
            current = parent
        }
        return "/" + steps.reversed().joined(separator: "/")
    }
}
