import Synchronization

/// A location path as `RuleNode.all(_:)` reads it, parsed once per distinct text: rules write their
/// paths as string literals and evaluate them on every element of every invoice, so the text is
/// read once for the process and each evaluation costs name comparisons only.
struct RulePath: Sendable {
    /// Where the path starts.
    enum Start: Sendable {
        /// At the context node (`cbc:ID`).
        case context
        /// At the root element, which must match the step (`/ubl:Invoice/...`, `/*/...`).
        case root(RuleStep)
        /// At every element of the document that matches the step (`//cac:InvoiceLine`).
        case anywhere(RuleStep)
    }

    /// One step after the start.
    enum Step: Sendable {
        /// `..`
        case parent
        /// A child element.
        case child(RuleStep)
    }

    /// Where the path starts.
    let start: Start
    /// The steps after the start (`.` steps dropped).
    let steps: [Step]

    /// The path written `text`.
    init(_ text: String) {
        var rest = Substring(text)
        var parts: [Substring]
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .anywhere(RuleStep(parts.removeFirst()))
        } else if rest.hasPrefix("/") {
            rest = rest.dropFirst()
            parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .root(RuleStep(parts.removeFirst()))
        } else {
            parts = rest.isEmpty ? [] : rest.split(separator: "/", omittingEmptySubsequences: false)
            start = .context
        }
        steps = parts.compactMap { part in
            switch part {
            case ".": nil
            case "..": .parent
            default: .child(RuleStep(part))
            }
        }
    }

    /// The parsed form of `text`, from the process-wide cache (bounded: rules write a few thousand
    /// distinct paths; past the bound a path is parsed at each use).
    static func compiled(_ text: String) -> RulePath {
        if let path = cache.withLock({ $0[text] }) { return path }
        let path = RulePath(text)
        cache.withLock { paths in
            if paths.count < maximumCached { paths[text] = path }
        }
        return path
    }

    private static let maximumCached = 20_000
    private static let cache = Mutex<[String: RulePath]>([:])
}

/// The elements of one judged document by local name, so that `//name` costs a lookup instead of a
/// walk of the whole tree each time a rule asks.
final class RuleDocument: @unchecked Sendable {
    // @unchecked: filled once by `RuleSet.failures(in:)` before any rule reads it, then only read,
    // on the one thread that judges the document; emptied when that judgement ends.
    private var nodesByName: [String: [RuleNode]] = [:]
    private var nodes: [RuleNode] = []

    /// Records `nodes`, the document's elements in document order.
    func index(_ nodes: [RuleNode]) {
        self.nodes = nodes
        for node in nodes { nodesByName[node.name, default: []].append(node) }
    }

    /// The elements `step` names, in document order.
    func elements(matching step: RuleStep) -> [RuleNode] {
        guard let name = step.localName else { return nodes.filter { step.matches($0.element) } }
        return (nodesByName[name] ?? []).filter { step.matches($0.element) }
    }

    /// Forgets the nodes (they refer to this document: the cycle ends here).
    func release() {
        nodes = []
        nodesByName = [:]
    }
}
