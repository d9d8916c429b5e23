import CLibXML2
import Foundation
import HubCore

/// Reads an XML payload into a tree of `XMLElementNode`s with libxml2's streaming reader, refusing
/// what a data format never needs.
///
/// Any byte sequence is safe to read: an invalid UTF-8 byte in a name, a comment or text, a truncated
/// document, an unknown encoding each end as a `ConnectorError`, never as a trap. Before libxml2
/// sees it, `XMLPrecheck` refuses in one linear pass a document that is not in an ASCII-compatible
/// encoding, that declares a DTD (`<!DOCTYPE`) or an entity (`<!ENTITY`), so that an external
/// entity (XXE) cannot read a file and an entity expansion bomb (billion laughs) cannot start, or
/// whose elements carry too many attributes or too long names (libxml2 2.9 is quadratic in
/// attributes). libxml2 is also told not to touch the network nor substitute entities, and a DTD
/// node met while reading is refused too. Documents larger than `maxBytes`, or nested deeper than
/// `maxDepth`, are refused.
public struct SafeXMLReader: Sendable {
    /// The largest document accepted, in bytes.
    public var maxBytes: Int
    /// The deepest element nesting accepted.
    public var maxDepth: Int
    /// The most attributes one element may carry (namespace declarations included).
    public var maxAttributes: Int
    /// The longest element or attribute name accepted, in bytes.
    public var maxNameLength: Int

    /// A reader with the given limits.
    public init(maxBytes: Int, maxDepth: Int = 64, maxAttributes: Int = 256, maxNameLength: Int = 1024) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
        self.maxNameLength = maxNameLength
    }

    /// libxml2 initialises its global state once per process, before the first parse.
    private static let libraryInitialized: Void = xmlInitParser()

    /// The document's root element, or a `ConnectorError` saying why it was refused.
    public func read(_ data: Data) throws -> XMLElementNode {
        try parse(data, into: TreeBuilder())
    }

    /// The document laid out flat (no object per element), or a `ConnectorError` saying why it was
    /// refused: the same checks and limits as `read(_:)`, for readers that visit every element.
    public func readFlat(_ data: Data) throws -> XMLFlatDocument {
        try check(data)
        return try data.withUnsafeBytes { try XMLFlatParser.read($0, maxDepth: maxDepth) }
    }

    /// Refuses `data` past the size limit, or when `XMLPrecheck` does, or when it is empty.
    private func check(_ data: Data) throws {
        guard data.count <= maxBytes else {
            throw ConnectorError(.unsupported, "the document is \(data.count) bytes, larger than the configured limit of \(maxBytes) bytes (setting maxBytes)")
        }
        let precheck = XMLPrecheck(maxAttributes: maxAttributes, maxNameLength: maxNameLength)
        if let refusal = data.withUnsafeBytes({ precheck.refusal(of: $0.bindMemory(to: UInt8.self)) }) {
            throw refusal
        }
        guard !data.isEmpty else { throw Self.malformed("it is empty") }
        guard data.count <= Int(Int32.max) else {
            throw ConnectorError(.unsupported, "the document is \(data.count) bytes, more than libxml2 reads in one piece")
        }
        _ = Self.libraryInitialized
        hub_xml_silence_generic_errors()
    }

    /// Checks `data`, then reads it with libxml2 into `builder`.
    private func parse<Builder: DocumentBuilder>(_ data: Data, into builder: Builder) throws -> Builder.Document {
        try check(data)
        return try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            let options = Int32(XML_PARSE_NONET.rawValue)
            guard let reader = xmlReaderForMemory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count),
                                                  nil, nil, options) else {
                throw Self.malformed("libxml2 could not start reading it")
            }
            defer { xmlFreeTextReader(reader) }
            let errors = ParseErrors()
            // The handler reaches Swift through the context pointer; `errors` outlives the reader.
            xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
                guard let context, let error else { return }
                Unmanaged<ParseErrors>.fromOpaque(context).takeUnretainedValue().note(error.pointee)
            }, Unmanaged.passUnretained(errors).toOpaque())
            return try withExtendedLifetime(errors) { try build(reader, errors: errors, into: builder) }
        }
    }

    /// Walks the reader's nodes into `builder`, stopping at the first error or limit.
    private func build<Builder: DocumentBuilder>(_ reader: xmlTextReaderPtr, errors: ParseErrors, into builder: Builder) throws -> Builder.Document {
        var builder = builder
        var names = InternedNames { xmlTextReaderConstString(reader, $0) }
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            guard status == 1, errors.first == nil else {
                throw Self.refusal(after: errors, otherwise: "libxml2 could not read it")
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                guard builder.depth < maxDepth else {
                    throw ConnectorError(.unsupported, "the XML nests elements deeper than \(maxDepth) levels; refused")
                }
                let name = names.number(xmlTextReaderConstLocalName(reader))
                let namespace = names.number(interned: xmlTextReaderConstNamespaceUri(reader))
                builder.open(name: name, namespace: namespace, attributes: Self.attributes(reader, names: &names), names: names.strings)
                if xmlTextReaderIsEmptyElement(reader) == 1 { builder.close(names: names.strings) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                builder.close(names: names.strings)
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue), Int32(XML_READER_TYPE_ENTITY.rawValue),
                 Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                // XMLPrecheck refuses these first; this holds should a declaration ever get past it.
                throw ConnectorError(.unsupported, "the XML declares a DTD or refers to an entity; refused")
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
                builder.append(text: Self.text(xmlTextReaderConstValue(reader)))
            case Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                // White space before any text is dropped when the element's text is trimmed: it is
                // not made a String at all (it is most of an indented document's text nodes).
                if builder.hasText { builder.append(text: Self.text(xmlTextReaderConstValue(reader))) }
            default:
                break  // comments, processing instructions, the XML declaration
            }
        }
        if errors.first != nil { throw Self.refusal(after: errors, otherwise: "libxml2 could not read it") }
        guard let document = builder.document(names: names.strings) else { throw Self.malformed("no root element") }
        return document
    }

    /// The reason for the first error libxml2 reported: past one of its own limits (it reports a text
    /// over 10,000,000 bytes in one element as running out of memory), or not well-formed.
    static func refusal(after errors: ParseErrors, otherwise detail: String) -> ConnectorError {
        guard let first = errors.first else { return malformed(detail) }
        guard !errors.firstIsOutOfMemory else {
            return ConnectorError(.unsupported, "the document is too large for libxml2 to read: \(first) (it refuses one text over 10,000,000 bytes); refused")
        }
        return malformed(first)
    }

    /// The reason for a document libxml2 cannot read, with libxml2's own words in `detail`.
    static func malformed(_ detail: String) -> ConnectorError {
        ConnectorError(.malformedPayload, "the document is not well-formed XML: \(detail)")
    }

    /// The current element's attributes by qualified name, without namespace declarations.
    private static func attributes(_ reader: xmlTextReaderPtr, names: inout InternedNames) -> [String: String] {
        var attributes: [String: String] = [:]
        guard xmlTextReaderHasAttributes(reader) == 1 else { return attributes }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            guard xmlTextReaderIsNamespaceDecl(reader) != 1 else { continue }
            attributes[names.string(xmlTextReaderConstName(reader))] = text(xmlTextReaderConstValue(reader))
        }
        xmlTextReaderMoveToElement(reader)
        return attributes
    }

    /// libxml2's UTF-8 text as a String (a byte that is not UTF-8 becomes U+FFFD, never a trap).
    static func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))),
                      as: UTF8.self)
    }
}

/// The names and namespaces of one document, each made a String once and numbered: libxml2 keeps
/// one copy of every name in the reader's dictionary (`xmlTextReaderConstString`), so while the
/// reader lives that copy's address stands for the name, and the elements of one name share one
/// String and one number.
struct InternedNames {
    /// The dictionary's copy of a name libxml2 gave, nil for none.
    private let intern: (UnsafePointer<xmlChar>) -> UnsafePointer<xmlChar>?
    /// The names by number; "" (no name, no namespace) is 0.
    private(set) var strings = [""]
    /// The dictionary addresses numbered so far, by a hash of the address with linear probing (nil:
    /// an empty slot); a power of two, at most half full. No Hasher: an address is hashed by one
    /// multiplication.
    private var slots: [(address: UnsafePointer<xmlChar>?, number: Int32)]
    private var used = 0
    /// The numbers of the names `number(of:)` was given, by text.
    private var byText: [String: Int32] = [:]

    /// Names interned by `intern` (the reader's or the parser's dictionary lookup), with room for
    /// `capacity` of them before the table grows (a power of two; a document has a few dozen names).
    init(capacity: Int = 128, intern: @escaping (UnsafePointer<xmlChar>) -> UnsafePointer<xmlChar>?) {
        self.intern = intern
        slots = Array(repeating: (nil, 0), count: 2 * capacity)
        strings.reserveCapacity(capacity)
    }

    /// The number of the name at `pointer` (a name libxml2 just gave), 0 for none. An address the
    /// table holds is a dictionary entry, alive with the reader: a name at that very address is
    /// that entry, and needs no dictionary lookup.
    mutating func number(_ pointer: UnsafePointer<xmlChar>?) -> Int32 {
        guard let pointer else { return 0 }
        if let known = find(pointer) { return known }
        return number(interned: intern(pointer))
    }

    /// The number of the name at `interned`, an address in the reader's dictionary (as
    /// `xmlTextReaderConstNamespaceUri` gives them), 0 for none.
    mutating func number(interned: UnsafePointer<xmlChar>?) -> Int32 {
        guard let interned else { return 0 }
        if let known = find(interned) { return known }
        let number = Int32(strings.count)
        strings.append(SafeXMLReader.text(interned))
        if (used + 1) * 2 > slots.count {
            let old = slots
            slots = Array(repeating: (nil, 0), count: old.count * 2)
            for entry in old where entry.address != nil { place(entry.address!, entry.number) }
        }
        place(interned, number)
        used += 1
        return number
    }

    /// The number of `name`, a name no dictionary address stands for (an attribute's `prefix:local`),
    /// found by its text (most attributes have no prefix, and are found by their address).
    mutating func number(of name: String) -> Int32 {
        if let known = byText[name] { return known }
        let number = Int32(strings.count)
        strings.append(name)
        byText[name] = number
        return number
    }

    /// The number of the dictionary address `address`, nil when it has none yet.
    @inline(__always)
    private func find(_ address: UnsafePointer<xmlChar>) -> Int32? {
        let mask = slots.count - 1
        var slot = Self.slot(of: address) & mask
        while let stored = slots[slot].address {
            if stored == address { return slots[slot].number }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private mutating func place(_ address: UnsafePointer<xmlChar>, _ number: Int32) {
        let mask = slots.count - 1
        var slot = Self.slot(of: address) & mask
        while slots[slot].address != nil { slot = (slot + 1) & mask }
        slots[slot] = (address, number)
    }

    /// An address's bits, mixed by one multiplication (its high bits are the slot).
    @inline(__always)
    private static func slot(of address: UnsafePointer<xmlChar>) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: address)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// The name at `pointer`, "" for none.
    mutating func string(_ pointer: UnsafePointer<xmlChar>?) -> String { strings[Int(number(pointer))] }
}

/// The first error libxml2 reports while reading one document, with its line and column.
///
/// Used by one reader on one thread, inside `SafeXMLReader.read`.
final class ParseErrors {
    private(set) var first: String?
    /// Whether that first error is libxml2's out-of-memory code, which it also gives a text over its limit.
    private(set) var firstIsOutOfMemory = false

    func note(_ error: xmlError) {
        guard first == nil else { return }
        firstIsOutOfMemory = error.code == Int32(XML_ERR_NO_MEMORY.rawValue)
        let message = error.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "an error"
        first = "\(message) at line \(error.line), column \(error.int2)"
    }
}

/// What the reader's element, text and end events build (`read(_:)`'s tree; `readFlat(_:)` parses with `XMLFlatParser`).
private protocol DocumentBuilder {
    /// What is built.
    associatedtype Document
    /// How many elements are open.
    var depth: Int { get }
    /// Whether the innermost open element has text so far.
    var hasText: Bool { get }
    /// An element starts; `name` and `namespace` are numbers into `names`.
    mutating func open(name: Int32, namespace: Int32, attributes: [String: String], names: [String])
    /// Text for the innermost open element.
    mutating func append(text: String)
    /// The innermost open element ends.
    mutating func close(names: [String])
    /// The document once every event is in, nil when it has no root element.
    func document(names: [String]) -> Document?
}

/// Builds `XMLElementNode`s.
private struct TreeBuilder: DocumentBuilder {
    private struct Open {
        var name: String
        var namespace: String
        var attributes: [String: String]
        var text = ""
        var children: [XMLElementNode] = []
    }

    private var stack: [Open] = []
    private var root: XMLElementNode?

    var depth: Int { stack.count }

    var hasText: Bool {
        guard let last = stack.indices.last else { return false }
        return !stack[last].text.isEmpty
    }

    mutating func open(name: Int32, namespace: Int32, attributes: [String: String], names: [String]) {
        stack.append(Open(name: names[Int(name)], namespace: names[Int(namespace)], attributes: attributes))
    }

    mutating func append(text: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += text
    }

    mutating func close(names: [String]) {
        guard let open = stack.popLast() else { return }
        let node = XMLElementNode(
            name: open.name, namespace: open.namespace, attributes: open.attributes,
            text: XMLSpace.trimmed(open.text), children: open.children)
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }

    func document(names: [String]) -> XMLElementNode? { root }
}

/// XML white space (space, tab, CR, LF) around a text.
enum XMLSpace {
    /// Whether `byte` is XML white space.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// The text without leading and trailing XML white space.
    static func trimmed(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, !isSpace(first), !isSpace(last) { return text }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// The UTF-8 `bytes` as a String without leading and trailing XML white space (a byte that is
    /// not UTF-8 becomes U+FFFD, never a trap).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
    }
}
