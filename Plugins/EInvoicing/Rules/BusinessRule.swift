/// How a broken rule weighs, as the CEN/TC 434 artefacts flag it.
public enum RuleFlag: String, Sendable {
    /// The invoice is not conformant.
    case fatal
    /// Conformant, but the sender should look at it.
    case warning
}

/// One business rule as the standard states it: its id, flag, the business terms it concerns, the
/// official text, and the test the rule's context must pass, written after the syntax's artefact.
/// (A class, so that walking a document's elements through thousands of rules copies one reference
/// per rule, not its texts.)
public final class BusinessRule: Sendable {
    /// The rule's identifier (`BR-01`, `BR-CO-15`, `BR-S-08`, `BR-CL-01`).
    public let id: String
    /// Fatal or warning.
    public let flag: RuleFlag
    /// The business terms and groups concerned (`BT-24`, `BG-23/BT-116`).
    public let terms: String
    /// What the rule requires, in the standard's words.
    public let message: String
    /// Where the offending value is, relative to the context (`cbc:PayableAmount`); nil: the context itself.
    public let subject: String?
    /// Whether the context node passes.
    public let holds: @Sendable (RuleNode) -> Bool
    /// The number in `RuleNames` of an element name without which the rule holds (its test asks
    /// that a path stepping through that name select nothing), -1 when none: the walk does not run
    /// the test on a document without such an element.
    let holdsWithout: Int32

    /// A rule.
    public convenience init(_ id: String, _ flag: RuleFlag = .fatal, terms: String, _ message: String, subject: String? = nil,
                            holds: @escaping @Sendable (RuleNode) -> Bool) {
        self.init(id, flag, terms: terms, message, subject: subject, holdsWithout: -1, holds: holds)
    }

    /// A rule that holds on any document without an element whose name `RuleNames` numbers
    /// `holdsWithout` (-1: no such name).
    init(_ id: String, _ flag: RuleFlag, terms: String, _ message: String, subject: String? = nil, holdsWithout: Int32,
         holds: @escaping @Sendable (RuleNode) -> Bool) {
        self.id = id
        self.flag = flag
        self.terms = terms
        self.message = message
        self.subject = subject
        self.holdsWithout = holdsWithout
        self.holds = holds
    }
}

/// The elements a group of rules applies to: a Schematron rule context, written as XPath patterns
/// (`cac:InvoiceLine | cac:CreditNoteLine` is two patterns) and an optional condition standing for
/// the pattern's predicates (`[cbc:ChargeIndicator = false()]`).
public struct RuleContext: Sendable {
    /// Location path patterns; a leading `/` anchors at the document's root element.
    public let patterns: [String]
    /// The predicates the context adds, nil when none.
    public let condition: (@Sendable (RuleNode) -> Bool)?
    /// The patterns, read once: every element of every document is matched against the contexts.
    let compiled: [CompiledContextPattern]

    /// A context matching any of `patterns`, then `condition`.
    public init(_ patterns: String..., where condition: (@Sendable (RuleNode) -> Bool)? = nil) {
        self.patterns = patterns
        self.condition = condition
        compiled = patterns.map(CompiledContextPattern.init)
    }

    /// Whether `node` is in this context.
    public func matches(_ node: RuleNode) -> Bool {
        guard compiled.contains(where: { $0.matches(node) }) else { return false }
        return condition?(node) ?? true
    }
}

/// Rules sharing one context: a Schematron `<rule>` and its `<assert>`s.
public final class ContextRules: Sendable {
    /// Where the rules apply.
    public let context: RuleContext
    /// The assertions, in the artefact's order.
    public let rules: [BusinessRule]

    /// Rules under `context`.
    public init(_ context: RuleContext, _ rules: [BusinessRule]) {
        self.context = context
        self.rules = rules
    }

    /// Rules under `context`, written in parts (a table of unused elements, then rules of their own).
    public convenience init(_ context: RuleContext, joining parts: [BusinessRule]...) {
        self.init(context, Array(parts.joined()))
    }
}

/// A Schematron pattern: an element is checked by the first group whose context it matches, and by
/// no later one in the same pattern, exactly as the artefacts' XSLT applies its templates.
public final class RulePattern: Sendable {
    /// The artefact's pattern id (`UBL-model`, `Codesmodel`), for reports.
    public let name: String
    /// The groups, in the artefact's order.
    public let groups: [ContextRules]

    /// For each local name's number, the groups (by index, in order) with a context pattern ending
    /// in it or in `*`.
    private let groupsByName: [Int32: [Int]]
    /// The groups with a context pattern ending in `*`, which any element may match.
    private let anyNameGroups: [Int]

    /// A pattern.
    public init(_ name: String, _ groups: [ContextRules]) {
        self.name = name
        self.groups = groups
        var byName: [Int32: [Int]] = [:]
        var anyName: [Int] = []
        for (index, group) in groups.enumerated() {
            let names = group.context.compiled.map(\.lastName)
            if names.contains(nil) { anyName.append(index) }
            for name in Set(names.compactMap { $0 }) { byName[name, default: []].append(index) }
        }
        // Each name's candidates already merged with the `*` groups, in order, once.
        groupsByName = byName.mapValues { anyName.isEmpty ? $0 : Array(Set($0 + anyName)).sorted() }
        anyNameGroups = anyName
    }

    /// The groups (by index, in order) an element is tried against when its local name is numbered
    /// `name` (nil: a name no group's context ends in): those ending in the name or in `*`.
    func candidateGroups(named name: Int32?) -> [Int] {
        name.flatMap { groupsByName[$0] } ?? anyNameGroups
    }

    /// The first group whose context `node` matches, nil when none: only the groups whose patterns
    /// end in the element's name (or `*`) are tried, in the pattern's order.
    public func group(for node: RuleNode) -> ContextRules? {
        for index in groupsByName[node.document.entries[node.index].name] ?? anyNameGroups where groups[index].context.matches(node) {
            return groups[index]
        }
        return nil
    }
}
