/// One element of a parsed XML document: its local name, namespace, attributes, text and children.
///
/// Invoices are small (a few hundred kilobytes at most), so the reader keeps the whole tree and
/// the mappers walk it by local name.
public final class XMLElementNode: Sendable {
    /// The element's name without its prefix (`ID`, `InvoiceLine`).
    public let name: String
    /// The namespace URI, empty when none.
    public let namespace: String
    /// The attributes by qualified name (`currencyID`, `schemeID`).
    public let attributes: [String: String]
    /// The element's own text, trimmed of surrounding white space.
    public let text: String
    /// The child elements, in document order.
    public let children: [XMLElementNode]

    /// Creates a node.
    public init(name: String, namespace: String, attributes: [String: String], text: String, children: [XMLElementNode]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The first child with this local name.
    public func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// Every child with this local name.
    public func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The first element reached by following local names from here (`["AccountingSupplierParty", "Party"]`).
    public func first(_ path: [String]) -> XMLElementNode? {
        var node: XMLElementNode? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// Every element reached by following local names from here, all branches.
    public func all(_ path: [String]) -> [XMLElementNode] {
        var nodes: [XMLElementNode] = [self]
        for name in path { nodes = nodes.flatMap { $0.children(name) } }
        return nodes
    }

    /// The trimmed text at `path`, nil when absent or empty.
    public func text(_ path: [String]) -> String? {
        guard let value = first(path)?.text, !value.isEmpty else { return nil }
        return value
    }
}
