import Foundation
import HubCore
import HubServices
import HubXML
import XCTest

/// `SafeXMLReader.readFlat(_:)`: the same document as `read(_:)`, laid out flat, and the same
/// refusals (size, depth, declarations and entities, invalid UTF-8, attributes, names).
final class FlatXMLReadingTests: XCTestCase {
    private let reader = SafeXMLReader(maxBytes: 1 << 20)

    /// Whether `flat`'s element at `index` and `node` have the same name, namespace, attributes, text and children.
    private func assertSame(_ flat: XMLFlatDocument, _ index: Int, _ node: XMLElementNode, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(flat.name(of: index), node.name, file: file, line: line)
        XCTAssertEqual(flat.namespace(of: index), node.namespace, file: file, line: line)
        XCTAssertEqual(flat.elements[index].attributes, node.attributes, file: file, line: line)
        XCTAssertEqual(flat.elements[index].text, node.text, file: file, line: line)
        var children: [Int] = []
        var child = index + 1
        while child < Int(flat.elements[index].end) {
            XCTAssertEqual(Int(flat.elements[child].parent), index, file: file, line: line)
            children.append(child)
            child = Int(flat.elements[child].end)
        }
        XCTAssertEqual(children.count, node.children.count, "children of <\(node.name)>", file: file, line: line)
        for (child, childNode) in zip(children, node.children) { assertSame(flat, child, childNode, file: file, line: line) }
    }

    func testTheFlatDocumentHoldsWhatTheTreeHolds() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <inv:Invoice xmlns:inv="urn:example:invoice" xmlns="urn:example:basic">
              <ID schemeID="0002">  FA-1  </ID>
              <Note><![CDATA[a < b & c]]></Note>
              <Empty/>
              <Line><ID>1</ID><Amount currencyID="EUR">12.50 &amp; more</Amount>x <b/> y</Line>
              <Line><ID>2</ID></Line>
            </inv:Invoice>
            """
        let flat = try reader.readFlat(Data(xml.utf8))
        let tree = try reader.read(Data(xml.utf8))
        XCTAssertEqual(flat.elements.count, 10)
        XCTAssertEqual(flat.elements[0].parent, -1)
        XCTAssertEqual(Int(flat.elements[0].end), flat.elements.count)
        assertSame(flat, 0, tree)
        assertSame(flat, 0, flat.tree(at: 0))
        assertSame(XMLFlatDocument(root: tree), 0, tree)
        XCTAssertEqual(flat.child(of: 0, named: "Note").map { flat.elements[$0].text }, "a < b & c")
        XCTAssertNil(flat.child(of: 0, named: "Missing"))
        XCTAssertEqual(Set(flat.names).count, flat.names.count, "each name once")
    }

    /// Every input either reader refuses, the other refuses with the same reason; every mutation
    /// of a document that one reads, the other reads the same.
    func testBothReadersAcceptAndRefuseTheSameBytes() {
        let deep = String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)
        var inputs: [[UInt8]] = [
            Array(deep.utf8),
            Array((String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)).utf8),
            Array(#"<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>"#.utf8),
            Array(#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>"#.utf8),
            Array("<a>&unknown;</a>".utf8),
            Array("<a".utf8) + [0xFF, 0xFE] + Array("></a>".utf8),
            Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8),
            Array("<a b=\"".utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array("\"/>".utf8),
            Array("<a>".utf8) + [0x00] + Array("</a>".utf8),
            Array(("<a " + (0..<300).map { "b\($0)=\"\"" }.joined(separator: " ") + "/>").utf8),
            Array("<a \(String(repeating: "n", count: 1025))=\"1\"/>".utf8),
            [0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x61, 0x00, 0x2F, 0x00, 0x3E],
            // EBCDIC's "<?xm", and encodings libxml2 is told of in the first bytes or the declaration.
            [0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40, 0xA5, 0x85, 0x99, 0xA2, 0x89, 0x96, 0x95, 0x7E, 0x7F, 0xF1, 0x4B, 0xF0, 0x7F, 0x6F, 0x6E],
            Array(#"<?xml version="1.0" encoding="x-unknown"?><a/>"#.utf8),
            Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><a b="é">é</a>"#.utf8),
            [0xEF, 0xBB, 0xBF] + Array("<a>bom</a>".utf8), [0xEF, 0xBB], Array("<a/".utf8), Array("<a/>".utf8),
            [], Array("<a><b></a>".utf8), Array("<a>".utf8), Array("plain text".utf8), Array("<a></a><b></b>".utf8),
        ]
        let original = Array(#"<?xml version="1.0"?><Invoice xmlns="urn:x"><ID a="1">FA-1</ID><!-- c --><Line n="2"><Amount>3.50</Amount></Line></Invoice>"#.utf8)
        var random = SeededGenerator(seed: 0x666C_6174)
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            inputs.append(bytes)
        }
        var refused = 0
        for bytes in inputs {
            let tree = Result { try reader.read(Data(bytes)) }
            let flat = Result { try reader.readFlat(Data(bytes)) }
            switch (tree, flat) {
            case (.success(let root), .success(let document)):
                assertSame(document, 0, root)
            case (.failure(let treeError), .failure(let flatError)):
                refused += 1
                XCTAssertEqual((treeError as? ConnectorError)?.message, (flatError as? ConnectorError)?.message, "\(bytes)")
                XCTAssertEqual((treeError as? ConnectorError)?.code, (flatError as? ConnectorError)?.code, "\(bytes)")
            default:
                XCTFail("one reader read what the other refused: \(bytes)")
            }
        }
        XCTAssertGreaterThan(refused, 17)
        XCTAssertThrowsError(try SafeXMLReader(maxBytes: 10).readFlat(Data("<a>long enough</a>".utf8))) { error in
            XCTAssertEqual((error as? ConnectorError)?.code, .unsupported)
        }
        XCTAssertThrowsError(try reader.readFlat(Data(deep.utf8))) { error in
            XCTAssertTrue((error as? ConnectorError)?.message.contains("deeper than 64 levels") ?? false, "\(error)")
        }
    }
}
