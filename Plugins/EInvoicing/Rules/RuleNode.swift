import Foundation
import HubXML

/// An element seen by a business rule, with the way back to its ancestors: what a Schematron
/// assertion's XPath walks (`../cac:AccountingSupplierParty`, `//cac:InvoiceLine`).
///
/// Paths are XPath location paths of qualified names (`cac:Party/cbc:EndpointID`) separated by `/`;
/// a step may also be `..`, `.` or `*` (attributes are read with `attribute(_:)`); a path starting with `//` searches the whole
/// document, with `/` it starts at the root element's parent (so `/*/cac:TaxTotal` works). The
/// prefixes are the syntaxes' usual ones, bound to their namespaces in `RuleNamespaces`.
public final class RuleNode: Sendable {
    /// The element itself.
    public let element: XMLElementNode
    /// The element holding this one; nil for the document's root element.
    public let parent: RuleNode?
    /// The index of the document being judged, when `RuleSet` built one.
    let document: RuleDocument?

    /// A node for `element`, under `parent`.
    public init(_ element: XMLElementNode, parent: RuleNode? = nil) {
        self.element = element
        self.parent = parent
        document = parent?.document
    }

    /// The root node of a document judged with `document` as its index.
    init(root element: XMLElementNode, document: RuleDocument) {
        self.element = element
        parent = nil
        self.document = document
    }

    /// The document's root element.
    public var root: RuleNode { parent?.root ?? self }

    /// The element's local name (`InvoiceLine`).
    public var name: String { element.name }

    /// The XPath string value: the element's text (the reader trims it).
    public var text: String { element.text }

    /// The nodes `path` selects from here, in document order.
    public func all(_ path: String) -> [RuleNode] {
        let compiled = RulePath.compiled(path)
        var nodes: [RuleNode]
        switch compiled.start {
        case .context:
            nodes = [self]
        case .root(let step):
            let top = root
            nodes = step.matches(top.element) ? [top] : []
        case .anywhere(let step):
            nodes = document?.elements(matching: step) ?? root.descendantsOrSelf().filter { step.matches($0.element) }
        }
        for step in compiled.steps {
            switch step {
            case .parent:
                nodes = nodes.compactMap(\.parent)
            case .child(let step):
                nodes = nodes.flatMap { node in
                    node.element.children.lazy.filter { step.matches($0) }.map { RuleNode($0, parent: node) }
                }
            }
        }
        return nodes
    }

    /// The first node `path` selects, nil when none.
    public func first(_ path: String) -> RuleNode? { all(path).first }

    /// XPath `exists(path)`: whether `path` selects anything.
    public func exists(_ path: String) -> Bool { !all(path).isEmpty }

    /// XPath `string(path)`: the string value of the first node selected, empty when none.
    public func string(_ path: String) -> String { first(path)?.text ?? "" }

    /// XPath `normalize-space(path)`.
    public func normalized(_ path: String) -> String { Self.normalizeSpace(string(path)) }

    /// The texts of every node selected.
    public func strings(_ path: String) -> [String] { all(path).map(\.text) }

    /// XPath `xs:decimal(path)` on the first node selected: nil when absent or not a decimal.
    public func decimal(_ path: String) -> Decimal? { first(path).flatMap { XPathDecimal.parse($0.text) } }

    /// `xs:decimal` of every node selected that holds a decimal.
    public func decimals(_ path: String) -> [Decimal] { all(path).compactMap { XPathDecimal.parse($0.text) } }

    /// XPath `sum(path/xs:decimal(.))`.
    public func sum(_ path: String) -> Decimal { decimals(path).reduce(0, +) }

    /// XPath `count(path)`.
    public func count(_ path: String) -> Int { all(path).count }

    /// XPath general comparison `a = b` of two paths: whether any pair of string values is equal.
    public func anyEqual(_ path: String, _ other: String) -> Bool {
        let others = Set(strings(other))
        return strings(path).contains { others.contains($0) }
    }

    /// The attribute `name` (`currencyID`, `schemeID`), nil when absent.
    public func attribute(_ name: String) -> String? { element.attributes[name] }

    /// Whether the element has attribute `name`.
    public func has(attribute name: String) -> Bool { element.attributes[name] != nil }

    /// This node and every element under it, in document order.
    public func descendantsOrSelf() -> [RuleNode] {
        var result: [RuleNode] = []
        var stack: [RuleNode] = [self]
        while let node = stack.popLast() {
            result.append(node)
            for child in node.element.children.reversed() { stack.append(RuleNode(child, parent: node)) }
        }
        return result
    }

    /// XPath `normalize-space(text)`: leading and trailing white space removed, inner runs made one space.
    public static func normalizeSpace(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
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

    /// Whether `element` is what the path step `prefix:Name` (or `*`) names.
    static func matches(_ element: XMLElementNode, step: Substring) -> Bool { RuleStep(step).matches(element) }
}
