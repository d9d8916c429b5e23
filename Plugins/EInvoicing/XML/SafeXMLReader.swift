import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HubCore

/// Parses an invoice's XML with Foundation's `XMLParser`, refusing what an invoice never needs.
///
/// Invoices never carry a DTD, so a document that declares one (`<!DOCTYPE`) or an entity
/// (`<!ENTITY`) is refused before the parser sees it: an external entity (XXE) cannot read a file
/// and an entity expansion bomb (billion laughs) cannot start. External entity resolution is also
/// switched off on the parser. Documents larger than `maxBytes`, or nested deeper than
/// `maxDepth`, are refused.
public struct SafeXMLReader: Sendable {
    /// The largest document accepted, in bytes.
    public var maxBytes: Int
    /// The deepest element nesting accepted.
    public var maxDepth: Int

    /// A reader with the given limits.
    public init(maxBytes: Int, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// The document's root element, or a `ConnectorError` saying why it was refused.
    public func read(_ data: Data) throws -> XMLElementNode {
        guard data.count <= maxBytes else {
            throw ConnectorError(.unsupported, "the document is \(data.count) bytes, larger than the configured limit of \(maxBytes) bytes (setting maxBytes)")
        }
        if let declaration = Self.forbiddenDeclaration(in: data) {
            throw ConnectorError(.unsupported, "the XML declares \(declaration); invoices need no DTD, so documents with DTD or entity declarations are refused (possible XML external entity or entity expansion attack)")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder(maxDepth: maxDepth)
        parser.delegate = builder
        let parsed = parser.parse()
        if let limitError = builder.limitError { throw limitError }
        guard parsed, let root = builder.root else {
            let detail = parser.parserError.map { "\($0.localizedDescription) at line \(parser.lineNumber), column \(parser.columnNumber)" } ?? "no root element"
            throw ConnectorError(.malformedPayload, "the document is not well-formed XML: \(detail)")
        }
        return root
    }

    /// `<!DOCTYPE` or `<!ENTITY` anywhere outside comments would already be refused by any schema;
    /// a byte search is enough and runs before any parsing.
    static func forbiddenDeclaration(in data: Data) -> String? {
        let patterns: [(bytes: [UInt8], name: String)] = [
            (Array("<!DOCTYPE".utf8), "a DOCTYPE"), (Array("<!ENTITY".utf8), "an ENTITY"),
        ]
        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "!") {
                    for pattern in patterns where index + pattern.bytes.count <= bytes.count {
                        var matches = true
                        for offset in 2..<pattern.bytes.count where bytes[index + offset] & 0xDF != pattern.bytes[offset] & 0xDF {
                            matches = false
                            break
                        }
                        if matches { return pattern.name }
                    }
                }
                index += 1
            }
            return nil
        }
    }
}

/// Builds `XMLElementNode`s from the parser's callbacks.
///
/// Used on one thread only, inside `SafeXMLReader.read`.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var name: String
        var namespace: String
        var attributes: [String: String]
        var text = ""
        var children: [XMLElementNode] = []
    }

    private let maxDepth: Int
    private var stack: [Open] = []
    private(set) var root: XMLElementNode?
    private(set) var limitError: ConnectorError?

    init(maxDepth: Int) { self.maxDepth = maxDepth }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard stack.count < maxDepth else {
            limitError = ConnectorError(.unsupported, "the XML nests elements deeper than \(maxDepth) levels; no invoice does")
            parser.abortParsing()
            return
        }
        stack.append(Open(name: elementName, namespace: namespaceURI ?? "", attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let open = stack.popLast() else { return }
        let node = XMLElementNode(
            name: open.name, namespace: open.namespace, attributes: open.attributes,
            text: Self.trimmingXMLSpace(open.text), children: open.children)
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }

    /// The text without leading and trailing XML white space (space, tab, CR, LF).
    private static func trimmingXMLSpace(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        limitError = ConnectorError(.unsupported, "the XML declares the external entity \"\(name)\"; refused")
        parser.abortParsing()
    }
}
