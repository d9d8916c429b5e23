/// A parsed XML document laid out flat, as `SafeXMLReader.readFlat(_:)` gives it: every element in
/// document order, each with its parent and the end of its subtree, its local name and namespace as
/// indices into the document's table of distinct names, its text, and its attributes in one list
/// for the whole document.
///
/// For readers that visit every element (the e-invoicing rules walk each one through hundreds of
/// checks), it costs no object per element and no second pass to flatten a tree: an element's place
/// (`nodes`) is plain numbers, its attributes a range of `attributeList`, so a document holds one
/// String per text and per attribute value, and no dictionary.
public struct XMLFlatDocument: Sendable {
    /// One element's place in the document: what a walk over the elements reads (no text, no
    /// attributes: plain numbers, copied without a reference count).
    public struct Node: Sendable {
        /// The local name (`ID`, `InvoiceLine`): an index into `names`.
        public let name: Int32
        /// The namespace URI, "" when none: an index into `names`.
        public let namespace: Int32
        /// The parent's index, -1 for the root element.
        public let parent: Int32
        /// The index after the element's last descendant: its children start at its own index + 1,
        /// and the next sibling of a child `c` is at `nodes[c].end`.
        public internal(set) var end: Int32
        /// The element's attributes are `attributeList[firstAttribute..<firstAttribute + attributeCount]`.
        let firstAttribute: Int32
        let attributeCount: Int32
    }

    /// One attribute: its qualified name (`currencyID`, `xsi:type`) as an index into
    /// `attributeNames`, and its value.
    public struct Attribute: Sendable {
        /// The qualified name: an index into `attributeNames`.
        public let name: Int32
        /// The value, as the tree builder decodes it.
        public let value: String
    }

    /// One element with its text and attributes, as `elements` gives it (made on each access: a walk
    /// reads `nodes`, `text(of:)` and `attribute(_:of:)` instead).
    public struct Element: Sendable {
        /// The local name (`ID`, `InvoiceLine`): an index into `names`.
        public let name: Int32
        /// The namespace URI, "" when none: an index into `names`.
        public let namespace: Int32
        /// The parent's index, -1 for the root element.
        public let parent: Int32
        /// The index after the element's last descendant: its children start at its own index + 1,
        /// and the next sibling of a child `c` is at `elements[c].end`.
        public let end: Int32
        /// The element's own text, trimmed of surrounding white space (as `XMLElementNode.text`).
        public let text: String
        /// The attributes by qualified name (`currencyID`, `schemeID`), without namespace declarations.
        public let attributes: [String: String]
    }

    /// The elements in document order with their texts and attributes, each made when read.
    public struct Elements: RandomAccessCollection, Sendable {
        fileprivate let document: XMLFlatDocument

        /// The first element's index, 0.
        public var startIndex: Int { 0 }
        /// The number of elements.
        public var endIndex: Int { document.nodes.count }

        /// The element at `index`.
        public subscript(index: Int) -> Element {
            let node = document.nodes[index]
            return Element(name: node.name, namespace: node.namespace, parent: node.parent, end: node.end,
                           text: document.texts[index], attributes: document.attributes(of: index))
        }
    }

    /// The document's distinct local names and namespace URIs, each once; "" is at index 0.
    public internal(set) var names: [String]
    /// Each element's place, in document order, the root element first.
    public internal(set) var nodes: [Node]
    /// Each element's own text, trimmed of surrounding white space, at the element's index.
    public internal(set) var texts: [String]
    /// The document's distinct attribute names (qualified), each once; "" (no attribute's) is at index 0.
    public internal(set) var attributeNames: [String]
    /// Every element's attributes, element after element, in the order the document writes them.
    public internal(set) var attributeList: [Attribute]

    /// The elements in document order, the root element first, with their texts and attributes.
    public var elements: Elements { Elements(document: self) }

    /// A document as the parser laid it out.
    init(names: [String], nodes: [Node], texts: [String], attributeNames: [String], attributeList: [Attribute]) {
        self.names = names
        self.nodes = nodes
        self.texts = texts
        self.attributeNames = attributeNames
        self.attributeList = attributeList
    }

    /// The document under `root`, laid out flat (for callers that hold a tree).
    public init(root: XMLElementNode) {
        var names = [""], numbers = ["": Int32(0)]
        var attributeNames = [""], attributeNumbers = ["": Int32(0)]
        var nodes: [Node] = [], texts: [String] = [], attributeList: [Attribute] = []
        func number(_ name: String, in numbers: inout [String: Int32], _ names: inout [String]) -> Int32 {
            if let number = numbers[name] { return number }
            let number = Int32(names.count)
            names.append(name)
            numbers[name] = number
            return number
        }
        func add(_ node: XMLElementNode, parent: Int32) {
            let index = nodes.count
            let first = Int32(attributeList.count)
            for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
                attributeList.append(Attribute(name: number(name, in: &attributeNumbers, &attributeNames), value: value))
            }
            nodes.append(Node(name: number(node.name, in: &numbers, &names), namespace: number(node.namespace, in: &numbers, &names),
                              parent: parent, end: 0, firstAttribute: first, attributeCount: Int32(attributeList.count) - first))
            texts.append(node.text)
            for child in node.children { add(child, parent: Int32(index)) }
            nodes[index].end = Int32(nodes.count)
        }
        add(root, parent: -1)
        self.init(names: names, nodes: nodes, texts: texts, attributeNames: attributeNames, attributeList: attributeList)
    }

    /// The local name of the element at `index`.
    public func name(of index: Int) -> String { names[Int(nodes[index].name)] }

    /// The namespace URI of the element at `index`, "" when none.
    public func namespace(of index: Int) -> String { names[Int(nodes[index].namespace)] }

    /// The own text of the element at `index`, trimmed.
    @inline(__always)
    public func text(of index: Int) -> String { texts[index] }

    /// The value of the attribute of qualified name `name` of the element at `index`, nil when it has none.
    public func attribute(_ name: String, of index: Int) -> String? {
        let node = nodes[index]
        var position = Int(node.firstAttribute)
        let end = position + Int(node.attributeCount)
        while position < end {
            if attributeNames[Int(attributeList[position].name)] == name { return attributeList[position].value }
            position += 1
        }
        return nil
    }

    /// The attributes of the element at `index` by qualified name.
    public func attributes(of index: Int) -> [String: String] {
        let node = nodes[index]
        guard node.attributeCount > 0 else { return [:] }
        var attributes: [String: String] = [:]
        for attribute in attributeList[Int(node.firstAttribute)..<Int(node.firstAttribute + node.attributeCount)] {
            attributes[attributeNames[Int(attribute.name)]] = attribute.value
        }
        return attributes
    }

    /// The index of the first child of the element at `index` with local name `name`, nil when none.
    public func child(of index: Int, named name: String) -> Int? {
        var child = index + 1
        while child < Int(nodes[index].end) {
            if self.name(of: child) == name { return child }
            child = Int(nodes[child].end)
        }
        return nil
    }

    /// The element at `index` and its descendants as a tree.
    public func tree(at index: Int) -> XMLElementNode {
        var children: [XMLElementNode] = []
        var child = index + 1
        while child < Int(nodes[index].end) {
            children.append(tree(at: child))
            child = Int(nodes[child].end)
        }
        let node = nodes[index]
        return XMLElementNode(name: names[Int(node.name)], namespace: names[Int(node.namespace)],
                              attributes: attributes(of: index), text: texts[index], children: children)
    }
}
