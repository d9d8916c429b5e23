import Foundation
import HubXML

/// An element seen by a business rule, with the way back to its ancestors: what a Schematron
/// assertion's XPath walks (`../cac:AccountingSupplierParty`, `//cac:InvoiceLine`).
///
/// A node is an index into its `RuleDocument`, the document laid out flat once: walking a path
/// builds no node objects and matches steps by number.
///
/// Paths are XPath location paths of qualified names (`cac:Party/cbc:EndpointID`) separated by `/`;
/// a step may also be `..`, `.` or `*`; a path starting with `//` searches the whole document, with
/// `/` it starts at the root element's parent (so `/*/cac:TaxTotal` works). A last step `@name` is
/// an attribute, read by `present(_:)` and `attributes(_:)` (an element's own by `attribute(_:)`).
/// The prefixes are the syntaxes' usual ones, bound to their namespaces in `RuleNamespaces`.
public struct RuleNode: Sendable {
    /// The document the node is in.
    let document: RuleDocument
    /// The node's index in `document`.
    let index: Int

    /// The node at `index` of `document`.
    init(_ document: RuleDocument, _ index: Int) {
        self.document = document
        self.index = index
    }

    /// The root node of the document under `element`.
    public init(_ element: XMLElementNode) {
        self.init(RuleDocument(root: element), 0)
    }

    /// The root node of a document read flat (`SafeXMLReader.readFlat(_:)`).
    public init(_ document: XMLFlatDocument) {
        self.init(RuleDocument(document), 0)
    }

    /// The element itself, with its descendants, as a tree (built on each call: rules read the
    /// node's `name`, `text` and attributes instead).
    public var element: XMLElementNode { document.flat.tree(at: index) }

    /// The element holding this one; nil for the document's root element.
    public var parent: RuleNode? {
        let parent = document.entries[index].parent
        return parent < 0 ? nil : RuleNode(document, Int(parent))
    }

    /// The document's root element.
    public var root: RuleNode { RuleNode(document, 0) }

    /// The element's local name (`InvoiceLine`).
    public var name: String { document.name(of: index) }

    /// The XPath string value: the element's text (the reader trims it).
    public var text: String { document.text(of: index) }

    /// Whether the element is what the step `prefix:Name` names (`self::cbc:PaymentMeansCode`).
    func `is`(_ step: String) -> Bool {
        guard case .child(let test)? = RulePath.compiled(step).steps.first else { return false }
        return document.matches(index, test)
    }

    /// XPath `ancestor::prefix:Name`: whether an element above this one is what the step names.
    func hasAncestor(_ step: String) -> Bool {
        guard case .child(let test)? = RulePath.compiled(step).steps.first else { return false }
        var current = Int(document.entries[index].parent)
        while current >= 0 {
            if document.matches(current, test) { return true }
            current = Int(document.entries[current].parent)
        }
        return false
    }

    /// Whether the element is in the namespace numbered `namespace` (`RuleNamespaces.number(ofPrefix:)`).
    func isIn(namespace: Int8) -> Bool { document.entries[index].namespace == namespace }

    /// XPath `ends-with(local-name(), suffix)`, compared code unit by code unit (once per name of the document).
    func nameEnds(with suffix: NameSuffix) -> Bool { document.entries[index].suffixes & suffix.bit != 0 }

    /// Calls `body` with the index of each element `path` selects from here, in document order,
    /// until it returns false; false when it did. A path ending in an attribute selects no element.
    @discardableResult
    private func select(_ path: String, _ body: (Int) -> Bool) -> Bool {
        select(RulePath.compiled(path), body)
    }

    /// `select` of a path compiled beforehand (the tables of rules compile theirs when declared).
    @discardableResult
    private func select(_ path: RulePath, _ body: (Int) -> Bool) -> Bool {
        path.attribute != nil || document.select(path, from: index, body)
    }

    /// The nodes `path` selects from here, in document order.
    public func all(_ path: String) -> [RuleNode] {
        var nodes: [RuleNode] = []
        select(path) { index in
            // Room for a few at the first (most paths select none or one; growing one by one reallocates).
            if nodes.isEmpty { nodes.reserveCapacity(4) }
            nodes.append(RuleNode(document, index))
            return true
        }
        return nodes
    }

    /// Whether a node `path` selects passes `predicate`, tried in document order until one does:
    /// `all(path).contains(where: predicate)` without making the array.
    func any(_ path: String, _ predicate: (RuleNode) -> Bool) -> Bool {
        !select(path) { !predicate(RuleNode(document, $0)) }
    }

    /// Whether a node `path` selects has a text passing `predicate`, tried in document order until one
    /// does: `strings(path).contains(where: predicate)` without making the array.
    func anyText(_ path: String, _ predicate: (String) -> Bool) -> Bool {
        !select(path) { !predicate(document.text(of: $0)) }
    }

    /// Whether a node `path` selects has the text `value`: `anyText(path, is: value)`.
    func anyText(_ path: String, is value: String) -> Bool {
        !select(path) { document.text(of: $0) != value }
    }

    /// The first node `path` selects, nil when none.
    public func first(_ path: String) -> RuleNode? {
        var found: Int?
        select(path) { found = $0; return false }
        return found.map { RuleNode(document, $0) }
    }

    /// XPath `exists(path)`: whether `path` selects anything.
    public func exists(_ path: String) -> Bool { !select(path) { _ in false } }

    /// XPath `exists(path)` for a path compiled beforehand.
    func exists(_ path: RulePath) -> Bool { !select(path) { _ in false } }

    /// XPath `string(path)`: the string value of the first node selected, empty when none.
    public func string(_ path: String) -> String { first(path)?.text ?? "" }

    /// XPath `normalize-space(path)`.
    public func normalized(_ path: String) -> String { Self.normalizeSpace(string(path)) }

    /// The texts of every node selected.
    public func strings(_ path: String) -> [String] {
        var texts: [String] = []
        select(path) { texts.append(document.text(of: $0)); return true }
        return texts
    }

    /// XPath `xs:decimal(path)` on the first node selected: nil when absent or not a decimal.
    public func decimal(_ path: String) -> Decimal? { first(path).flatMap { XPathDecimal.parse($0.text) } }

    /// `xs:decimal` of every node selected that holds a decimal.
    public func decimals(_ path: String) -> [Decimal] { strings(path).compactMap(XPathDecimal.parse) }

    /// XPath `sum(path/xs:decimal(.))`.
    public func sum(_ path: String) -> Decimal {
        var sum = XPathDecimal.Sum()
        select(path) { sum.add(document.text(of: $0)); return true }
        return sum.value
    }

    /// Adds `xs:decimal` of every node `path` selects to `sum` (subtracts it when `negated`): one
    /// XPath `sum` over the nodes of several contexts, without a `Decimal` per context.
    func add(_ path: String, to sum: inout XPathDecimal.Sum, negated: Bool = false) {
        select(path) { sum.add(document.text(of: $0), negated: negated); return true }
    }

    /// Calls `body` with each node `path` selects, in document order.
    func forEach(_ path: String, _ body: (RuleNode) -> Void) {
        select(path) { body(RuleNode(document, $0)); return true }
    }

    /// XPath `count(path)`.
    public func count(_ path: String) -> Int {
        var count = 0
        select(path) { _ in count += 1; return true }
        return count
    }

    /// XPath general comparison `a = b` of two paths: whether any pair of string values is equal.
    public func anyEqual(_ path: String, _ other: String) -> Bool {
        let others = Set(strings(other))
        return anyText(path) { others.contains($0) }
    }

    /// XPath `exists(path)` where the last step may be an attribute (`ram:GlobalID/@schemeID`, `@unitCode`).
    func present(_ path: String) -> Bool { present(RulePath.compiled(path)) }

    /// `present` for a path compiled beforehand.
    func present(_ path: RulePath) -> Bool {
        guard let attribute = path.attribute else { return exists(path) }
        guard document.hasAttribute(path), document.hasElements(named: path) else { return false }
        return !document.select(path, from: index) { document.attribute(attribute, of: $0) == nil }
    }

    /// The values of the attribute `path` ends in (`ram:ClassCode/@listID`), in document order;
    /// empty when `path` names no attribute.
    func attributes(_ path: String) -> [String] {
        let compiled = RulePath.compiled(path)
        guard let attribute = compiled.attribute, document.hasAttribute(compiled) else { return [] }
        var values: [String] = []
        _ = document.select(compiled, from: index) { index in
            if let value = document.attribute(attribute, of: index) { values.append(value) }
            return true
        }
        return values
    }

    /// The attribute `name` (`currencyID`, `schemeID`), nil when absent.
    public func attribute(_ name: String) -> String? { document.attribute(name, of: index) }

    /// Whether the element has attribute `name`.
    public func has(attribute name: String) -> Bool { document.attribute(name, of: index) != nil }

    /// Whether any element of the document carries attribute `name` (the artefacts' `//@name`).
    func documentHasAttribute(_ name: String) -> Bool { document.attributeNames.contains(name) }

    /// This node and every element under it, in document order.
    public func descendantsOrSelf() -> [RuleNode] {
        (index..<Int(document.entries[index].end)).map { RuleNode(document, $0) }
    }

    /// XPath `upper-case(text) = 'VAT'` (a text already "VAT" is not upper-cased again).
    static func isUpperCaseVAT(_ text: String) -> Bool { text == "VAT" || text.uppercased() == "VAT" }

    /// XPath `normalize-space(upper-case(text)) = 'VAT'` (a text already "VAT" is not upper-cased again).
    static func isNormalizedUpperCaseVAT(_ text: String) -> Bool { text == "VAT" || normalizeSpace(text.uppercased()) == "VAT" }

    /// XPath `normalize-space(text)`: leading and trailing white space removed, inner runs made one space.
    public static func normalizeSpace(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        // Most values are already normal: no space at either end, no tab or line break, no double space.
        var previousIsSpace = true
        var normal = true
        for byte in text.utf8 {
            let space = isSpace(byte)
            if space && (previousIsSpace || byte != 0x20) { normal = false; break }
            previousIsSpace = space
        }
        if normal && !previousIsSpace || text.isEmpty { return text }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

/// The namespace prefixes business rules write, as the CEN/TC 434 artefacts bind them.
public enum RuleNamespaces {
    /// Prefix to namespace URI.
    public static let uris: [Substring: String] = [
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
        "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
        "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    ]

    /// The number of no namespace (an unprefixed step, an element in no namespace).
    static let none: Int8 = 0

    /// The number of the CII reusable aggregates' namespace (`ram`), which several CII contexts test.
    static let ram = number(ofPrefix: "ram")

    /// The bound namespaces numbered from 1, in a fixed order; "" is `none`.
    private static let numbers: [String: Int8] = Dictionary(
        uniqueKeysWithValues: [""].map { ($0, none) } + uris.values.sorted().enumerated().map { ($1, Int8($0 + 1)) })

    /// The number of the namespace `uri`: `none` for "", -1 for one no prefix binds.
    static func number(of uri: String) -> Int8 { numbers[uri] ?? -1 }

    /// The number of the namespace `prefix` binds (`ram`).
    static func number(ofPrefix prefix: Substring) -> Int8 { uris[prefix].map(number(of:)) ?? RuleStep.unboundNamespace }
}
