import Foundation
import HubCore

/// One linear pass over an XML payload's bytes before libxml2 reads it, refusing what a data
/// format never needs and what would make libxml2 slow or unsafe:
///
/// - an encoding that is not ASCII-compatible (UTF-16, UTF-32, EBCDIC): the checks below read
///   bytes, so such a document could hide a declaration from them;
/// - a DTD or entity declaration (`<!DOCTYPE`, `<!ENTITY`, any `<!` markup declaration), the way
///   to XML external entities and entity-expansion bombs; searched everywhere, comments included;
/// - more attributes on one element than `maxAttributes` (libxml2 2.9 checks duplicate
///   attributes in quadratic time: 100,000 attributes take seconds);
/// - a name (element, attribute, prefix) longer than `maxNameLength` bytes.
struct XMLPrecheck {
    var maxAttributes: Int
    var maxNameLength: Int

    /// Why `bytes` is refused, or nil when libxml2 may read it.
    func refusal(of bytes: UnsafeBufferPointer<UInt8>) -> ConnectorError? {
        if let encoding = Self.incompatibleEncoding(bytes) {
            return ConnectorError(.unsupported, "the document is \(encoding); the hub reads XML in UTF-8 (or an ASCII-compatible "
                                  + "encoding its declaration names), as UBL, CII and SenML use")
        }
        var scanner = Scanner()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Outside tags only a `<` (and, in a skipped section, the byte that may end it) changes
            // anything: the bytes up to the next one are stepped over in a tight loop.
            if let stop = scanner.state.stop, byte != Self.lessThan, byte != stop {
                index = stop == Self.lessThan
                    ? Self.index(of: Self.lessThan, in: bytes, from: index + 1)
                    : Self.index(of: Self.lessThan, or: stop, in: bytes, from: index + 1)
                continue
            }
            if byte == Self.lessThan, index + 1 < bytes.count, bytes[index + 1] == Self.exclamation,
               let declaration = Self.declaration(in: bytes, at: index, asMarkup: scanner.isInText) {
                return Self.declared(declaration)
            }
            switch scanner.state {
            case .text:
                // Text and the tags in it, in one loop: the next `<` found by memchr, each tag read
                // by `scanTag`, until a comment, CDATA section or processing instruction starts, a
                // value runs to the end, or the document ends.
                var at = index
                while true {
                    at = Self.index(of: Self.lessThan, in: bytes, from: at)
                    guard at < bytes.count else { break }
                    if at + 1 < bytes.count, bytes[at + 1] == Self.exclamation,
                       let declaration = Self.declaration(in: bytes, at: at, asMarkup: true) {
                        return Self.declared(declaration)
                    }
                    scanner.state = Self.markupState(in: bytes, at: at)
                    scanner.beginTag()
                    guard case .tag = scanner.state else {
                        at += 1
                        break
                    }
                    let (next, refusal) = scanTag(bytes, from: at + 1, &scanner)
                    if let refusal { return refusal }
                    at = next
                    guard case .text = scanner.state else { break }
                }
                index = at
                continue
            case .tag:
                let (next, refusal) = scanTag(bytes, from: index, &scanner)
                if let refusal { return refusal }
                index = next
                continue
            case .skipping(let section):
                if byte == section.endFirstByte, Self.matches(section.end, in: bytes, at: index) {
                    index += section.end.count
                    scanner.state = .text
                    continue
                }
            }
            index += 1
        }
        return nil
    }

    /// Reads a tag from `start` (inside it, past its `<`) to its end: counts its attributes and the
    /// bytes of each name, refuses a declaration where a `<!` is in it or in one of its values, and
    /// leaves `scanner` in the text state after the `>`. One loop for the whole tag, values
    /// included: the bytes of a tag are most of the bytes the scan acts on. Returns where the scan
    /// goes on, or why the document is refused.
    private func scanTag(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                         _ scanner: inout Scanner) -> (next: Int, refusal: ConnectorError?) {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if !Self.endsName(byte) {
                // A name: its bytes up to the next that means something in a tag, counted at once.
                let end = Self.nameEnd(in: bytes, from: index + 1)
                scanner.nameLength += end - index
                if scanner.nameLength > maxNameLength {
                    return (end, ConnectorError(.unsupported, "the XML has a name longer than \(maxNameLength) bytes; refused"))
                }
                index = end
                continue
            }
            switch byte {
            case Self.greaterThan:
                scanner.state = .text
                return (index + 1, nil)
            case Self.quote, Self.apostrophe:
                scanner.nameLength = 0
                // The value, to its delimiter: in it only a `<!` can matter (a DOCTYPE or an ENTITY).
                var end = index + 1
                while end < bytes.count, bytes[end] != byte {
                    if bytes[end] == Self.lessThan, end + 1 < bytes.count, bytes[end + 1] == Self.exclamation,
                       let declaration = Self.declaration(in: bytes, at: end, asMarkup: false) {
                        return (end, Self.declared(declaration))
                    }
                    end += 1
                }
                // A value running to the document's end ends the scan (libxml2 refuses the document).
                guard end < bytes.count else { return (end, nil) }
                index = end + 1
                continue
            case Self.equals:
                scanner.attributes += 1
                scanner.nameLength = 0
                if scanner.attributes > maxAttributes {
                    return (index, ConnectorError(.unsupported, "an element of the XML has more than \(maxAttributes) attributes; refused"))
                }
            case Self.lessThan:
                if index + 1 < bytes.count, bytes[index + 1] == Self.exclamation,
                   let declaration = Self.declaration(in: bytes, at: index, asMarkup: false) {
                    return (index, Self.declared(declaration))
                }
                scanner.nameLength = 0
            default:
                // `/` and white space.
                scanner.nameLength = 0
            }
            index += 1
        }
        return (index, nil)
    }

    /// The refusal of a document declaring `declaration`.
    private static func declared(_ declaration: String) -> ConnectorError {
        ConnectorError(.unsupported, "the XML declares \(declaration); documents with DTD or entity declarations "
                       + "are refused (possible XML external entity or entity expansion attack)")
    }

    // MARK: - Scanning

    private enum State {
        case text
        /// Inside a start or end tag, outside attribute values.
        case tag
        /// Inside a comment, CDATA section or processing instruction, until its end.
        case skipping(Section)

        /// Outside a tag, the byte besides `<` that may change the state (a section's end marker's
        /// first byte; `<` itself in text); nil inside a tag.
        var stop: UInt8? {
            switch self {
            case .text: XMLPrecheck.lessThan
            case .tag: nil
            case .skipping(let section): section.endFirstByte
            }
        }
    }

    /// What the scan skips through to its end marker. (The state holds no array, so that reading it
    /// for every byte copies no reference.)
    private enum Section {
        case comment, cdata, instruction

        /// The marker that ends the section.
        var end: [UInt8] {
            switch self {
            case .comment: XMLPrecheck.commentEnd
            case .cdata: XMLPrecheck.cdataEnd
            case .instruction: XMLPrecheck.instructionEnd
            }
        }

        /// The end marker's first byte, compared before the whole marker.
        var endFirstByte: UInt8 {
            switch self {
            case .comment: UInt8(ascii: "-")
            case .cdata: UInt8(ascii: "]")
            case .instruction: UInt8(ascii: "?")
            }
        }
    }

    private struct Scanner {
        var state = State.text
        var attributes = 0
        var nameLength = 0

        var isInText: Bool {
            if case .text = state { return true }
            return false
        }

        mutating func beginTag() {
            attributes = 0
            nameLength = 0
        }
    }

    // The markers, made once: the scan looks at them for every `<` of a document.
    private static let commentStart = Array("<!--".utf8), commentEnd = Array("-->".utf8)
    private static let cdataStart = Array("<![CDATA[".utf8), cdataEnd = Array("]]>".utf8)
    private static let instructionStart = Array("<?".utf8), instructionEnd = Array("?>".utf8)
    private static let declarations = [(Array("<!DOCTYPE".utf8), "a DOCTYPE"), (Array("<!ENTITY".utf8), "an ENTITY")]

    /// The index of the first `byte` in `bytes` from `start` on, `bytes.count` when none: text
    /// between tags (most of a document's bytes outside names) is searched by the C library's memchr.
    @inline(__always)
    private static func index(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(byte), bytes.count - start) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first `byte` or `other` in `bytes` from `start` on, `bytes.count` when none:
    /// eight bytes at a time up to the word holding one (a comment is searched for its end and for
    /// a `<`), then byte by byte.
    @inline(__always)
    private static func index(of byte: UInt8, or other: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let first = UInt64(byte) &* lowBits, second = UInt64(other) &* lowBits
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if hasZeroByte(word ^ first) || hasZeroByte(word ^ second) { break }
                index += 8
            }
        }
        while index < bytes.count, bytes[index] != byte, bytes[index] != other { index += 1 }
        return index
    }

    /// Whether a byte of `word` is zero (exact: a borrow only runs on from a byte that is zero).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> Bool { (word &- lowBits) & ~word & highBits != 0 }

    /// 0x01 in each byte of a word.
    private static let lowBits: UInt64 = 0x0101_0101_0101_0101

    /// The index of the first byte from `start` on that ends a name (`bytes.count` when none).
    /// Names are mostly ASCII letters, at or above 0x40, where no byte ending a name is: eight bytes
    /// are tested at once for one outside 0x40...0x7F and 0xC0...0xFF, and only such a byte is looked
    /// at (`:`, digits and UTF-8 continuation bytes are outside too, and do not end the name).
    @inline(__always)
    private static func nameEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end + 8 <= bytes.count {
                // Each byte with its top bit set, less 0x40: its top bit stays set when the byte's low
                // seven bits are 0x40 or more (no borrow crosses bytes).
                let word = raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)
                let below = ~((word | highBits) &- lowerBound) & highBits
                guard below != 0 else {
                    end += 8
                    continue
                }
                end += below.trailingZeroBitCount / 8
                if endsName(bytes[end]) { return end }
                end += 1
            }
        }
        while end < bytes.count, !endsName(bytes[end]) { end += 1 }
        return end
    }

    /// The top bit of each byte of a word, and 0x40 in each byte.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080, lowerBound: UInt64 = 0x4040_4040_4040_4040

    /// Whether `byte` ends a name inside a tag (the bytes the tag state acts on).
    @inline(__always)
    private static func endsName(_ byte: UInt8) -> Bool {
        byte < 64 && nameEnds >> UInt64(byte) & 1 != 0
    }

    /// The bytes that end a name, all below 64, as bits of one word (tab, LF, CR, space, `"`, `'`,
    /// `/`, `<`, `=`, `>`: bits 9, 10, 13, 32, 34, 39, 47, 60, 61, 62), so that each byte of a name
    /// costs one test (`SafeXMLReaderTests.testANameEndsAtEveryByteTheTagStateActsOn`).
    private static let nameEnds: UInt64 = 0x7000_8085_0000_2600

    /// What a `<` at `index` opens.
    private static func markupState(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> State {
        // Most `<` open a tag: only `<!` and `<?` can start a section, so the markers are compared after those alone.
        guard index + 1 < bytes.count, bytes[index + 1] == exclamation || bytes[index + 1] == question else { return .tag }
        if matches(commentStart, in: bytes, at: index) { return .skipping(.comment) }
        if matches(cdataStart, in: bytes, at: index) { return .skipping(.cdata) }
        if matches(instructionStart, in: bytes, at: index) { return .skipping(.instruction) }
        return .tag
    }

    /// The declaration a `<!` at `index` starts: a DOCTYPE or an ENTITY wherever it is (comments
    /// included, to be safe), any other `<!` but a comment or CDATA section where markup starts.
    private static func declaration(in bytes: UnsafeBufferPointer<UInt8>, at index: Int, asMarkup: Bool) -> String? {
        for (pattern, name) in declarations where matches(pattern, in: bytes, at: index, ignoringCase: true) {
            return name
        }
        guard asMarkup, !matches(commentStart, in: bytes, at: index), !matches(cdataStart, in: bytes, at: index) else {
            return nil
        }
        return "a markup declaration (<!...)"
    }

    private static func matches(_ pattern: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int,
                                ignoringCase: Bool = false) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count {
            let byte = bytes[index + offset]
            if ignoringCase ? byte & 0xDF != pattern[offset] & 0xDF : byte != pattern[offset] { return false }
        }
        return true
    }

    /// The encoding a document's first bytes show when it is not ASCII-compatible, else nil. An
    /// ASCII-compatible document starts, after an optional UTF-8 byte order mark and white space,
    /// with `<` followed by something other than a NUL.
    private static func incompatibleEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return "UTF-16 or UTF-32 (it starts with a byte order mark)"
        }
        var index = matches([0xEF, 0xBB, 0xBF], in: bytes, at: 0) ? 3 : 0
        while index < bytes.count, [space, tab, newline, carriageReturn].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == 0x00 || (bytes[index] == lessThan && index + 1 < bytes.count && bytes[index + 1] == 0x00) {
            return "UTF-16 or UTF-32 (it has NUL bytes between its first characters)"
        }
        if bytes[index] == 0x4C, index + 1 < bytes.count, bytes[index + 1] == 0x6F {
            return "EBCDIC"
        }
        return nil
    }

    private static let lessThan = UInt8(ascii: "<")
    private static let greaterThan = UInt8(ascii: ">")
    private static let exclamation = UInt8(ascii: "!")
    private static let question = UInt8(ascii: "?")
    private static let quote = UInt8(ascii: "\"")
    private static let apostrophe = UInt8(ascii: "'")
    private static let equals = UInt8(ascii: "=")
    private static let slash = UInt8(ascii: "/")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
