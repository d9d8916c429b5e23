import CLibXML2
import HubCore

/// Reads a document into an `XMLFlatDocument` with libxml2's SAX2 parser, for
/// `SafeXMLReader.readFlat(_:)`: the elements arrive as events and are laid out flat as they come,
/// so libxml2 builds no node per element and text (which `read(_:)`'s streaming reader holds in
/// a node, then copies) is copied once, from libxml2's buffer.
///
/// The same parser core and the same refusals as the streaming reader: `SafeXMLReader` runs
/// `XMLPrecheck` first; libxml2 gets the same options, its encoding told by the first four bytes;
/// its first error or warning refuses the document; a DTD or an entity reference met while parsing
/// is refused; nesting past the reader's `maxDepth` and a text over `textLimit` bytes in one
/// element stop the parser and refuse the document. A document is first parsed whole, from memory
/// (libxml2's pull parser: no bookkeeping of pieces); one refused that way is parsed again pushed
/// as the streaming reader pushes it, and that parse's verdict and words are the answer, so a
/// refusal reads as `read(_:)`'s. Used on one thread, for one document.
///
/// A struct the callbacks reach through a pointer (the parser's user data): a class's stored
/// properties would be checked for exclusive access at each of the thousands of events.
struct XMLFlatParser {
    /// The most bytes one run of text may hold (libxml2's tree builder refuses a text node over
    /// 10,000,000 bytes: `read(_:)` stops there, and so does this parser, counting each run of text
    /// between two other nodes as libxml2 counts one text node).
    static let textLimit = 10_000_000
    /// Eight spaces, read as one word.
    private static let eightSpaces: UInt64 = 0x2020_2020_2020_2020

    /// How many bytes libxml2's reader gives its parser at a time.
    private static let chunkSize = 512

    private let maxDepth: Int
    private var nodes: [XMLFlatDocument.Node] = []
    /// Each element's text, at its index (empty until it ends).
    private var texts: [String] = []
    private var attributeList: [XMLFlatDocument.Attribute] = []
    /// The indices of the open elements, outermost first.
    private var open: [Int32] = []
    /// The text bytes of the open elements, outermost first: each one's start is in `textStarts`,
    /// and an element's text is dropped from here when it ends (its parent's text goes on after it).
    private var text: [UInt8] = []
    private var textStarts: [Int] = []
    /// How many bytes the current run of text holds, those left out of `text` included (an element,
    /// a comment, a processing instruction or a CDATA section ends a run, as each is a node of its
    /// own in libxml2's tree).
    private var runLength = 0
    private var names: InternedNames
    /// The attributes' qualified names: an unprefixed one by its dictionary address, as element names.
    private var attributeNames: InternedNames
    /// libxml2's first error or warning.
    let errors = ParseErrors()
    /// Why the document is refused for a reason of the hub's (depth, a declaration, a text too large).
    private var refusal: ConnectorError?
    /// libxml2's parser, once made (it may report an error while it is made, before elements come).
    private var context: xmlParserCtxtPtr?

    /// A parser for a document of `size` bytes: room for the elements such a document usually holds
    /// (one per 64 bytes or so), so that the arrays are seldom copied as they grow.
    private init(maxDepth: Int, size: Int) {
        self.maxDepth = maxDepth
        // Stand-ins until `attach` binds the tables to libxml2's dictionary.
        names = InternedNames(capacity: 1) { _ in nil }
        attributeNames = InternedNames(capacity: 1) { _ in nil }
        let elements = min(size / 64, 1 << 16)
        nodes.reserveCapacity(elements)
        texts.reserveCapacity(elements)
    }

    /// Binds the parser to libxml2's `context`, whose dictionary holds the names it gives.
    private mutating func attach(_ context: xmlParserCtxtPtr) {
        self.context = context
        let dictionary = context.pointee.dict
        names = InternedNames { xmlDictLookup(dictionary, $0, -1) }
        attributeNames = InternedNames(capacity: 8) { xmlDictLookup(dictionary, $0, -1) }
    }

    /// Stops libxml2.
    private func halt() {
        if let context { xmlStopParser(context) }
    }

    /// The document in `bytes` (checked by `XMLPrecheck`, not empty, at most `Int32.max` bytes):
    /// parsed whole; when that refuses it, parsed again pushed in pieces, whose answer is given.
    static func read(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) throws -> XMLFlatDocument {
        if let document = try? read(bytes, maxDepth: maxDepth, pushed: false) { return document }
        return try read(bytes, maxDepth: maxDepth, pushed: true)
    }

    /// The document in `bytes`, parsed whole from memory, or `pushed` as libxml2's reader pushes it.
    /// (Internal, not private: the tests hold each way to the reader's limits on its own.)
    static func read(_ bytes: UnsafeRawBufferPointer, maxDepth: Int, pushed: Bool) throws -> XMLFlatDocument {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, prefix, uri, _, _, attributeCount, _, attributes in
            XMLFlatParser.parser(context).pointee.start(localName, uri, attributeCount: Int(attributeCount), attributes)
        }
        handler.endElementNs = { context, _, _, _ in XMLFlatParser.parser(context).pointee.end() }
        handler.characters = { context, text, count in XMLFlatParser.parser(context).pointee.append(text, Int(count)) }
        handler.cdataBlock = { context, text, count in XMLFlatParser.parser(context).pointee.append(cdata: text, Int(count)) }
        handler.ignorableWhitespace = { context, text, count in XMLFlatParser.parser(context).pointee.append(text, Int(count)) }
        // Comments are skipped, but libxml2 words some errors in them by what it gave the handler.
        handler.comment = { context, _ in XMLFlatParser.parser(context).pointee.endRun() }
        handler.processingInstruction = { context, _, _ in XMLFlatParser.parser(context).pointee.endRun() }
        // XMLPrecheck refuses these first; this holds should a declaration ever get past it.
        handler.internalSubset = { context, _, _, _ in XMLFlatParser.parser(context).pointee.refuseDeclaration() }
        handler.externalSubset = { context, _, _, _ in XMLFlatParser.parser(context).pointee.refuseDeclaration() }
        handler.entityDecl = { context, _, _, _, _, _ in XMLFlatParser.parser(context).pointee.refuseDeclaration() }
        handler.reference = { context, _ in XMLFlatParser.parser(context).pointee.refuseDeclaration() }
        handler.serror = { context, error in
            guard let error else { return }
            XMLFlatParser.parser(context).pointee.errors.note(error.pointee)
        }
        let start = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        // The callbacks reach the parser through libxml2's user data, from the moment its parser is
        // made (an error in the first bytes is reported then) until it is freed, before `reading` is.
        let reading = UnsafeMutablePointer<XMLFlatParser>.allocate(capacity: 1)
        reading.initialize(to: XMLFlatParser(maxDepth: maxDepth, size: bytes.count))
        defer { reading.deinitialize(count: 1).deallocate() }
        let options = Int32(XML_PARSE_NONET.rawValue)
        let context: xmlParserCtxtPtr
        var status: Int32 = 0
        if pushed {
            // As libxml2's reader starts its parser: the encoding told by the first four bytes, when
            // there are four; then pieces of 512 bytes, then the end (so that its messages say the same).
            let head = bytes.count >= 4 ? 4 : 0
            guard let made = xmlCreatePushParserCtxt(&handler, reading, head > 0 ? start : nil, Int32(head), nil) else {
                throw SafeXMLReader.malformed("libxml2 could not start reading it")
            }
            context = made
            reading.pointee.attach(context)
            xmlCtxtUseOptions(context, options)
            var offset = head
            while offset < bytes.count && status == 0 && reading.pointee.refusal == nil {
                let size = min(chunkSize, bytes.count - offset)
                status = xmlParseChunk(context, start + offset, Int32(size), 0)
                offset += size
            }
            if status == 0 && reading.pointee.refusal == nil { status = xmlParseChunk(context, nil, 0, 1) }
        } else {
            // A parser whose handler is this one (libxml2 made it and frees it), reading the bytes whole.
            guard let made = xmlNewParserCtxt() else { throw SafeXMLReader.malformed("libxml2 could not start reading it") }
            context = made
            context.pointee.sax.pointee = handler
            context.pointee.userData = UnsafeMutableRawPointer(reading)
            reading.pointee.attach(context)
            // No tree is built (the handler has no document events): nothing is returned to free.
            _ = xmlCtxtReadMemory(context, start, Int32(bytes.count), nil, nil, options)
        }
        defer { xmlFreeParserCtxt(context) }
        if let refusal = reading.pointee.refusal { throw refusal }
        if reading.pointee.errors.first != nil || status != 0 || context.pointee.wellFormed == 0 {
            throw SafeXMLReader.refusal(after: reading.pointee.errors, otherwise: "libxml2 could not read it")
        }
        guard !reading.pointee.nodes.isEmpty, reading.pointee.open.isEmpty else { throw SafeXMLReader.malformed("no root element") }
        return XMLFlatDocument(names: reading.pointee.names.strings, nodes: reading.pointee.nodes, texts: reading.pointee.texts,
                               attributeNames: reading.pointee.attributeNames.strings, attributeList: reading.pointee.attributeList)
    }

    /// The parser a callback's context stands for.
    private static func parser(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLFlatParser> {
        context!.assumingMemoryBound(to: XMLFlatParser.self)
    }

    /// Stops libxml2 and refuses the document with `reason`, unless libxml2 already gave a reason.
    private mutating func stop(_ reason: ConnectorError) {
        if refusal == nil && errors.first == nil { refusal = reason }
        halt()
    }

    private mutating func start(_ localName: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, attributeCount: Int,
                       _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        // The streaming reader stops at the first node after an error: so does this parser.
        guard refusal == nil, errors.first == nil else { return halt() }
        guard open.count < maxDepth else {
            return stop(ConnectorError(.unsupported, "the XML nests elements deeper than \(maxDepth) levels; refused"))
        }
        // A second root element never comes (libxml2 refuses the document), but stay within one tree.
        guard !open.isEmpty || nodes.isEmpty else { return }
        let name = names.number(localName)
        let namespace = names.number(uri)
        let first = attributeList.count
        if attributeCount > 0, let attributes {
            // Five pointers per attribute: local name, prefix, namespace URI, value start, value end.
            for index in 0..<attributeCount {
                let base = attributes + 5 * index
                guard let local = base[0], let value = base[3], let end = base[4] else { continue }
                let qualified = base[1].map { attributeNames.number(of: SafeXMLReader.text($0) + ":" + attributeNames.string(local)) }
                    ?? attributeNames.number(local)
                attributeList.append(XMLFlatDocument.Attribute(name: qualified,
                                                               value: Self.attributeValue(UnsafeBufferPointer(start: value, count: end - value))))
            }
        }
        let depth = open.count
        open.append(Int32(nodes.count))
        textStarts.append(text.count)
        runLength = 0
        nodes.append(XMLFlatDocument.Node(name: name, namespace: namespace, parent: depth > 0 ? open[depth - 1] : -1, end: 0,
                                          firstAttribute: Int32(first), attributeCount: Int32(attributeList.count - first)))
        texts.append("")
    }

    private mutating func end() {
        guard let last = open.popLast(), let start = textStarts.popLast() else { return }
        nodes[Int(last)].end = Int32(nodes.count)
        // The parent's text goes on in a run of its own.
        runLength = 0
        guard start < text.count else { return }
        texts[Int(last)] = text.withUnsafeBufferPointer { XMLSpace.trimmed(UnsafeBufferPointer(rebasing: $0[start...])) }
        text.removeLast(text.count - start)
    }

    /// Ends the current run of text.
    private mutating func endRun() { runLength = 0 }

    /// A CDATA section: a run of text of its own.
    private mutating func append(cdata bytes: UnsafePointer<xmlChar>?, _ count: Int) {
        endRun()
        append(bytes, count)
        endRun()
    }

    /// Text for the innermost open element. White space before its first other character is
    /// counted but not kept: the element's text is trimmed (and it is most of an indented
    /// document's text: the lines and indentation between elements).
    private mutating func append(_ bytes: UnsafePointer<xmlChar>?, _ count: Int) {
        guard let bytes, count > 0, let start = textStarts.last else { return }
        runLength += count
        guard runLength <= Self.textLimit else {
            return stop(ConnectorError(.unsupported, "the document holds a text of more than \(Self.textLimit) bytes; refused"))
        }
        var first = 0
        if text.count == start {
            // Indentation is mostly spaces: eight at a time, then byte by byte.
            let raw = UnsafeRawPointer(bytes)
            while first < count && (bytes[first] == 0x0A || bytes[first] == 0x0D) { first += 1 }
            while first + 8 <= count && raw.loadUnaligned(fromByteOffset: first, as: UInt64.self) == Self.eightSpaces { first += 8 }
            while first < count && XMLSpace.isSpace(bytes[first]) { first += 1 }
        }
        if first < count { text.append(contentsOf: UnsafeBufferPointer(start: bytes + first, count: count - first)) }
    }

    private mutating func refuseDeclaration() {
        stop(ConnectorError(.unsupported, "the XML declares a DTD or refers to an entity; refused"))
    }

    /// An attribute's value as libxml2's SAX2 parser gives it: without entity substitution it
    /// writes each `&` of the value (from `&amp;` or `&#38;`) as `&#38;`, which its tree builder
    /// decodes; so does this.
    private static func attributeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let value = String(decoding: bytes, as: UTF8.self)
        guard bytes.contains(UInt8(ascii: "&")) else { return value }
        return value.replacing("&#38;", with: "&")
    }
}
