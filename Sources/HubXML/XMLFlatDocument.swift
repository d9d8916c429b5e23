/// A parsed XML document laid out flat, as `SafeXMLReader.readFlat(_:)` gives it: every element in
/// document order in one array, each with its parent and the end of its subtree, its local name and
/// namespace as indices into the document's table of distinct names.
///
/// For readers that visit every element (the e-invoicing rules walk each one through hundreds of
/// checks), it costs no object per element and no second pass to flatten a tree.
public struct XMLFlatDocument: Sendable {
    /// One element.
    public struct Element: Sendable {
        /// The local name (`ID`, `InvoiceLine`): an index into `names`.
        public let name: Int32
        /// The namespace URI, "" when none: an index into `names`.
        public let namespace: Int32
        /// The parent's index, -1 for the root element.
        public let parent: Int32
        /// The index after the element's last descendant: its children start at its own index + 1,
        /// and the next sibling of a child `c` is at `elements[c].end`.
        public internal(set) var end: Int32
        /// The element's own text, trimmed of surrounding white space (as `XMLElementNode.text`).
        public internal(set) var text: String
        /// The attributes by qualified name (`currencyID`, `schemeID`), without namespace declarations.
        public let attributes: [String: String]
    }

    /// The document's distinct local names and namespace URIs, each once; "" is at index 0.
    public internal(set) var names: [String]
    /// The elements in document order, the root element first.
    public internal(set) var elements: [Element]

    /// A document under construction, or one laid out by `init(root:)`.
    init(names: [String], elements: [Element]) {
        self.names = names
        self.elements = elements
    }

    /// The document under `root`, laid out flat (for callers that hold a tree).
    public init(root: XMLElementNode) {
        var names = [""], numbers = ["": Int32(0)]
        var elements: [Element] = []
        func number(_ name: String) -> Int32 {
            if let number = numbers[name] { return number }
            let number = Int32(names.count)
            names.append(name)
            numbers[name] = number
            return number
        }
        func add(_ node: XMLElementNode, parent: Int32) {
            let index = elements.count
            elements.append(Element(name: number(node.name), namespace: number(node.namespace), parent: parent,
                                    end: 0, text: node.text, attributes: node.attributes))
            for child in node.children { add(child, parent: Int32(index)) }
            elements[index].end = Int32(elements.count)
        }
        add(root, parent: -1)
        self.init(names: names, elements: elements)
    }

    /// The local name of the element at `index`.
    public func name(of index: Int) -> String { names[Int(elements[index].name)] }

    /// The namespace URI of the element at `index`, "" when none.
    public func namespace(of index: Int) -> String { names[Int(elements[index].namespace)] }

    /// The index of the first child of the element at `index` with local name `name`, nil when none.
    public func child(of index: Int, named name: String) -> Int? {
        var child = index + 1
        while child < Int(elements[index].end) {
            if self.name(of: child) == name { return child }
            child = Int(elements[child].end)
        }
        return nil
    }

    /// The element at `index` and its descendants as a tree.
    public func tree(at index: Int) -> XMLElementNode {
        var children: [XMLElementNode] = []
        var child = index + 1
        while child < Int(elements[index].end) {
            children.append(tree(at: child))
            child = Int(elements[child].end)
        }
        let element = elements[index]
        return XMLElementNode(name: names[Int(element.name)], namespace: names[Int(element.namespace)],
                              attributes: element.attributes, text: element.text, children: children)
    }
}
