import Foundation
import HubCore
@testable import HubXML
import XCTest

/// What `readFlat(_:)`'s SAX2 parser must do itself that libxml2's tree builder does for `read(_:)`.
final class FlatXMLParserTests: XCTestCase {
    private let reader = SafeXMLReader(maxBytes: 24 << 20)

    /// libxml2's SAX2 parser hands each `&` of an attribute value as `&#38;`; the flat document
    /// holds the value as the tree does.
    func testEntitiesInAttributesAndTextAreDecodedAsInTheTree() throws {
        let xml = #"<a b="x &amp; y &#38; z &lt; &#60; &gt; &quot;q&quot; &apos;s&apos; &#233; &#38;#38;"><c d="&amp;&amp;">&amp;&#38;&lt;<![CDATA[&amp;]]></c></a>"#
        let flat = try reader.readFlat(Data(xml.utf8))
        let tree = try reader.read(Data(xml.utf8))
        XCTAssertEqual(flat.elements[0].attributes["b"], tree.attributes["b"])
        XCTAssertEqual(flat.elements[0].attributes["b"], "x & y & z < < > \"q\" 's' é &#38;")
        XCTAssertEqual(flat.elements[1].attributes["d"], "&&")
        XCTAssertEqual(flat.elements[1].text, "&&<&amp;")
        XCTAssertEqual(flat.elements[1].text, tree.children.first?.text)
    }

    /// A text over libxml2's 10,000,000 bytes is refused by both readers, a run of text at a time
    /// (an element, comment or CDATA section between two runs ends the first); one at the limit is read.
    func testATextPastLibxml2sLimitIsRefusedByBothReaders() throws {
        let limit = 10_000_000
        let atLimit = "<a>" + String(repeating: "n", count: limit) + "</a>"
        XCTAssertEqual(try reader.readFlat(Data(atLimit.utf8)).elements[0].text.utf8.count, limit)
        XCTAssertEqual(try reader.read(Data(atLimit.utf8)).text.utf8.count, limit)
        let split = "<a>" + String(repeating: "n", count: limit / 2 + 1) + "<!-- c --><b/>" + String(repeating: "n", count: limit / 2 + 1) + "</a>"
        XCTAssertEqual(try reader.readFlat(Data(split.utf8)).elements[0].text.utf8.count, limit + 2)
        XCTAssertEqual(try reader.read(Data(split.utf8)).text.utf8.count, limit + 2)
        let over = "<a>" + String(repeating: "n", count: limit / 2) + "&amp;" + String(repeating: "n", count: limit / 2) + "</a>"
        XCTAssertThrowsError(try reader.readFlat(Data(over.utf8))) { error in
            XCTAssertEqual((error as? ConnectorError)?.code, .unsupported)
            XCTAssertEqual((error as? ConnectorError)?.message, "the document holds a text of more than 10000000 bytes; refused")
        }
        XCTAssertThrowsError(try reader.read(Data(over.utf8))) { error in
            XCTAssertEqual((error as? ConnectorError)?.code, .unsupported)
        }
    }

    /// White space before an element's first other character is not kept (the text is trimmed) but
    /// still counts against the limit: a run of white space, or one starting with it, past the limit
    /// is refused by both readers; the texts kept are the tree's.
    func testLeadingWhiteSpaceIsDroppedButCountsAgainstTheLimit() throws {
        let limit = 10_000_000
        for over in ["<a>" + String(repeating: " ", count: limit + 1) + "</a>",
                     "<a>" + String(repeating: "\n ", count: limit / 4) + String(repeating: "n", count: limit / 2 + 1) + "</a>"] {
            XCTAssertThrowsError(try reader.readFlat(Data(over.utf8))) { error in
                XCTAssertEqual((error as? ConnectorError)?.message, "the document holds a text of more than 10000000 bytes; refused")
            }
            XCTAssertThrowsError(try reader.read(Data(over.utf8))) { error in
                XCTAssertEqual((error as? ConnectorError)?.code, .unsupported)
            }
        }
        let atLimit = "<a>" + String(repeating: " ", count: limit / 2) + String(repeating: "n", count: limit / 2) + "</a>"
        XCTAssertEqual(try reader.readFlat(Data(atLimit.utf8)).elements[0].text.utf8.count, limit / 2)
        let xml = "<a>\n  <b> \t x y \n</b>\n  <c/>  z <![CDATA[ w ]]> \n<d>\n</d></a>"
        let flat = try reader.readFlat(Data(xml.utf8)), tree = try reader.read(Data(xml.utf8))
        XCTAssertEqual(flat.elements.map(\.text), ["z  w", "x y", "", ""])
        XCTAssertEqual(flat.elements.map(\.text), [tree.text] + tree.children.map(\.text))
    }

    /// `readFlat` parses a document whole, and again pushed only when that refuses it: each way on
    /// its own refuses what the reader's limits refuse (nesting past the depth, a DTD, an entity
    /// reference, bytes that are not UTF-8, a NUL, a text past libxml2's limit), and reads the same
    /// document from a well-formed one.
    func testBothWaysOfParsingHoldTheLimitsOnTheirOwn() throws {
        let refused: [[UInt8]] = [
            Array((String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)).utf8),
            Array(#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>"#.utf8),
            Array("<a>&unknown;</a>".utf8),
            Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8),
            Array("<a b=\"".utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array("\"/>".utf8),
            Array("<a".utf8) + [0xFF, 0xFE] + Array("></a>".utf8),
            Array("<a>".utf8) + [0x00] + Array("</a>".utf8),
            Array(("<a>" + String(repeating: "n", count: XMLFlatParser.textLimit + 1) + "</a>").utf8),
            Array("<a><b></a>".utf8), Array("<a>".utf8),
        ]
        for bytes in refused {
            for pushed in [false, true] {
                XCTAssertThrowsError(try bytes.withUnsafeBytes { try XMLFlatParser.read($0, maxDepth: 64, pushed: pushed) },
                                     "pushed: \(pushed), \(bytes.prefix(40))")
            }
        }
        let xml = Array(#"<?xml version="1.0"?><r xmlns="urn:x" xmlns:p="urn:p"><a p:b="1" c="&amp;">t &lt; u<!-- c --><d/></a></r>"#.utf8)
        let whole = try xml.withUnsafeBytes { try XMLFlatParser.read($0, maxDepth: 64, pushed: false) }
        let pushed = try xml.withUnsafeBytes { try XMLFlatParser.read($0, maxDepth: 64, pushed: true) }
        XCTAssertEqual(whole.elements.map(\.text), pushed.elements.map(\.text))
        XCTAssertEqual(whole.elements.map(\.attributes), pushed.elements.map(\.attributes))
        XCTAssertEqual(whole.elements[1].attributes, ["p:b": "1", "c": "&"])
        XCTAssertEqual(whole.nodes.map(\.end), pushed.nodes.map(\.end))
    }
}
