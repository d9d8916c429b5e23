import HubXML
import Synchronization

/// One judged document laid out flat, once: its elements in document order, each with its parent,
/// the end of its subtree, and its name and namespace as the numbers `RuleNames` and
/// `RuleNamespaces` give them. A `RuleNode` is an index into it, so walking a path allocates
/// nothing and matching a step compares integers; `//name` follows a chain of the elements with
/// that name instead of walking the tree.
final class RuleDocument: Sendable {
    /// What the document knows of one element besides the element itself.
    struct Entry: Sendable {
        /// The parent's index, -1 for the root element.
        var parent: Int32
        /// The index after the element's last descendant: its children start at `index + 1`, and
        /// the next sibling of a child `c` is at `entries[c].end`.
        var end: Int32
        /// The local name's number in `RuleNames`, -1 when no rule names it.
        var name: Int32
        /// The namespace's number in `RuleNamespaces`, -1 when rules use no such namespace.
        var namespace: Int8
        /// The endings the local name has (`NameSuffix` bits).
        var suffixes: UInt16
    }

    /// The document as read: each element's name, namespace, text and attributes, in document
    /// order (the root element first), at the same index as its entry.
    let flat: XMLFlatDocument
    /// Each element's parent, subtree, name and namespace, at the same index.
    let entries: [Entry]
    /// How many names `RuleNames` had numbered when the document was laid out: a step naming a
    /// later one compares the name's text (no element of this document bears its number).
    let knownNames: Int32
    /// For each name number, the first element bearing it, -1 when none.
    private let firstByName: [Int32]
    /// For each element, the next one with the same name, -1 when none.
    private let nextByName: [Int32]
    /// The names of every attribute any element carries (the artefacts' `//@name`).
    let attributeNames: Set<String>
    /// For each name number below `knownNames`, whether an element carries an attribute of that
    /// (qualified) name: what `attributeNames` says of the names rules write, read without hashing.
    private let attributeByName: [Bool]
    /// Counts over the whole document that several rules read (`counts(_:_:)`), by key, each
    /// computed once per document.
    private let memo = Mutex<[(key: String, variant: Int, counts: [String: Int])]>([])

    /// The document under `root`.
    convenience init(root: XMLElementNode) {
        self.init(XMLFlatDocument(root: root))
    }

    /// The document `flat` holds. Its names are numbered once each (a document has a few dozen
    /// distinct names for hundreds of elements), then each element takes its name's numbers.
    init(_ flat: XMLFlatDocument) {
        // The distinct attribute names, as the reader numbered them ("" first, which no attribute bears).
        let distinctAttributes = Array(flat.attributeNames.dropFirst())
        let attributeNames = Set(distinctAttributes)
        let elements = flat.nodes
        let (names, attributeNumbers, known) = RuleNames.numbers(of: flat.names, attributes: distinctAttributes)
        var attributeByName = [Bool](repeating: false, count: Int(known))
        for number in attributeNumbers where number >= 0 { attributeByName[Int(number)] = true }
        // Namespace numbers for the few names that are namespaces, looked up when first met.
        let unknown = Int8.min
        var namespaces = [Int8](repeating: unknown, count: flat.names.count)
        var firstByName = [Int32](repeating: -1, count: Int(known))
        var nextByName = [Int32](repeating: -1, count: elements.count)
        var entries: [Entry] = []
        entries.reserveCapacity(elements.count)
        for index in elements.indices {
            let namespace = Int(elements[index].namespace)
            if namespaces[namespace] == unknown { namespaces[namespace] = RuleNamespaces.number(of: flat.names[namespace]) }
            let name = names[Int(elements[index].name)]
            entries.append(Entry(parent: elements[index].parent, end: elements[index].end, name: name.number,
                                 namespace: namespaces[namespace], suffixes: name.suffixes))
        }
        for index in entries.indices.reversed() {
            let name = entries[index].name
            guard name >= 0 else { continue }
            nextByName[index] = firstByName[Int(name)]
            firstByName[Int(name)] = Int32(index)
        }
        self.flat = flat
        self.entries = entries
        self.knownNames = known
        self.firstByName = firstByName
        self.nextByName = nextByName
        self.attributeNames = attributeNames
        self.attributeByName = attributeByName
    }

    /// The local name of the element at `index`.
    @inline(__always)
    func name(of index: Int) -> String { flat.names[Int(flat.nodes[index].name)] }

    /// The text of the element at `index`.
    @inline(__always)
    func text(of index: Int) -> String { flat.texts[index] }

    /// The attribute `name` of the element at `index`, nil when it has none.
    @inline(__always)
    func attribute(_ name: String, of index: Int) -> String? { flat.attribute(name, of: index) }

    /// Whether an element of the document carries the attribute `path` ends in (false when it ends
    /// in none).
    @inline(__always)
    func hasAttribute(_ path: RulePath) -> Bool { hasAttribute(path.attribute, numbered: path.attributeName) }

    /// Whether an element of the document carries the attribute `name` (false for nil), whose
    /// number in `RuleNames` is `number` (-1 when it has none).
    @inline(__always)
    func hasAttribute(_ name: String?, numbered number: Int32) -> Bool {
        if number >= 0 && number < knownNames { return attributeByName[Int(number)] }
        return name.map(attributeNames.contains) ?? false
    }

    /// The counts `compute` makes of the whole document, kept under `key` and `variant` (two counts
    /// of one path) for the life of the document: several rules ask the same question of a document
    /// (how many VAT breakdowns have each category code), and it is answered once. A document keeps a
    /// few, found by comparing keys (the rules' literals: the same words, equal at once), not by
    /// hashing them. `compute` runs outside the lock.
    func counts(_ key: String, variant: Int = 0, _ compute: () -> [String: Int]) -> [String: Int] {
        let known = memo.withLock { memo in memo.first { $0.variant == variant && $0.key == key }?.counts }
        if let known { return known }
        let counts = compute()
        memo.withLock { $0.append((key, variant, counts)) }
        return counts
    }

    /// Whether the element at `index` has child elements.
    func hasChildren(_ index: Int) -> Bool { Int(entries[index].end) > index + 1 }

    /// Whether the element at `index` is what `step` names.
    @inline(__always)
    func matches(_ index: Int, _ step: RuleStep) -> Bool { matches(entries[index], at: index, step) }

    /// Whether the element at `index`, whose entry is `entry`, is what `step` names.
    @inline(__always)
    func matches(_ entry: Entry, at index: Int, _ step: RuleStep) -> Bool {
        if step.namespace != RuleStep.anyNamespace && entry.namespace != step.namespace { return false }
        if step.name == RuleStep.anyName { return true }
        if step.name < knownNames { return entry.name == step.name }
        return entry.name < 0 && name(of: index) == RuleNames.name(step.name)
    }

    /// Calls `body` with each element `step` names, in document order, until it returns false;
    /// false when it did.
    func forEachElement(matching step: RuleStep, _ body: (Int) -> Bool) -> Bool {
        if step.name == RuleStep.anyName || step.name >= knownNames {
            for index in entries.indices where matches(index, step) {
                guard body(index) else { return false }
            }
            return true
        }
        var index = firstByName[Int(step.name)]
        while index >= 0 {
            if matches(Int(index), step) {
                guard body(Int(index)) else { return false }
            }
            index = nextByName[Int(index)]
        }
        return true
    }

    /// Whether the document has an element of each name `path` steps through: most paths rules read
    /// name optional elements a document does not have, and select nothing there without a walk.
    func hasElements(named path: RulePath) -> Bool {
        for name in path.requiredNames where !hasElement(named: name) { return false }
        return true
    }

    /// Whether an element bears the name numbered `name` (a quick refusal before a path is walked).
    func hasElement(named name: Int32) -> Bool {
        name < 0 || name >= knownNames || firstByName[Int(name)] >= 0
    }

    /// Calls `body` with each node `path` selects from the element at `context`, in the order
    /// `RuleNode.all(_:)` lists them, until it returns false; false when it did.
    func select(_ path: RulePath, from context: Int, _ body: (Int) -> Bool) -> Bool {
        guard hasElements(named: path) else { return true }
        switch path.start {
        case .context:
            return walk(path.steps, 0, from: context, body)
        case .root(let step):
            return !matches(0, step) || walk(path.steps, 0, from: 0, body)
        case .anywhere(let step):
            return forEachElement(matching: step) { walk(path.steps, 0, from: $0, body) }
        }
    }

    /// The steps from `step` on, taken from the element at `index`.
    private func walk(_ steps: [RulePath.Step], _ step: Int, from index: Int, _ body: (Int) -> Bool) -> Bool {
        guard step < steps.count else { return body(index) }
        switch steps[step] {
        case .parent:
            let parent = entries[index].parent
            return parent < 0 || walk(steps, step + 1, from: Int(parent), body)
        case .child(let test):
            var child = index + 1
            let end = Int(entries[index].end)
            while child < end {
                if matches(child, test) {
                    guard walk(steps, step + 1, from: child, body) else { return false }
                }
                child = Int(entries[child].end)
            }
            return true
        }
    }
}
