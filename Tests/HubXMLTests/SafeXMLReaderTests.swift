import Foundation
import HubCore
import HubServices
import HubXML
import XCTest

/// The kit's XML reader: any bytes end as a tree or as a `ConnectorError`, never as a trap.
final class SafeXMLReaderTests: XCTestCase {
    private let reader = SafeXMLReader(maxBytes: 1 << 20)

    private func refusal(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> ConnectorError? {
        do {
            let root = try reader.read(Data(bytes))
            XCTFail("expected a refusal, read <\(root.name)>", file: file, line: line)
        } catch let error as ConnectorError {
            return error
        } catch {
            XCTFail("expected a ConnectorError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testTheTreeHasLocalNamesNamespacesAttributesAndTrimmedText() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <inv:Invoice xmlns:inv="urn:example:invoice" xmlns="urn:example:basic">
              <ID schemeID="0002">  FA-1  </ID>
              <Note><![CDATA[a < b & c]]></Note>
              <Empty/>
              <Amount currencyID="EUR">12.50 &amp; more</Amount>
            </inv:Invoice>
            """
        let root = try reader.read(Data(xml.utf8))
        XCTAssertEqual(root.name, "Invoice")
        XCTAssertEqual(root.namespace, "urn:example:invoice")
        XCTAssertEqual(root.attributes, [:], "namespace declarations are not attributes")
        XCTAssertEqual(root.children.map(\.name), ["ID", "Note", "Empty", "Amount"])
        XCTAssertEqual(root.child("ID")?.namespace, "urn:example:basic")
        XCTAssertEqual(root.child("ID")?.attributes, ["schemeID": "0002"])
        XCTAssertEqual(root.text(["ID"]), "FA-1")
        XCTAssertEqual(root.text(["Note"]), "a < b & c")
        XCTAssertEqual(root.child("Empty")?.text, "")
        XCTAssertEqual(root.text(["Amount"]), "12.50 & more")
    }

    func testADeclaredEncodingIsReadAsUTF8() throws {
        let latin1 = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><a>"#.utf8) + [0x56, 0x69, 0x6C, 0x6C, 0xE9] + Array("</a>".utf8)
        XCTAssertEqual(try reader.read(Data(latin1)).text, "Villé")
    }

    func testInvalidUTF8InANameACommentTextOrAnAttributeIsRefusedNotATrap() {
        let documents: [[UInt8]] = [
            Array("<a".utf8) + [0xFF, 0xFE] + Array("></a>".utf8),                     // in an element name
            Array("<a><!-- ".utf8) + [0xC3, 0x28] + Array(" --></a>".utf8),            // in a comment
            Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8),               // a UTF-16 surrogate in text
            Array("<a b=\"".utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80] + Array("\"/>".utf8), // five-byte form in an attribute
            Array("<a>".utf8) + [0x00] + Array("</a>".utf8),                           // NUL
        ]
        for bytes in documents {
            let error = refusal(bytes)
            XCTAssertEqual(error?.code, .malformedPayload, "\(bytes)")
            XCTAssertTrue(error?.message.hasPrefix("the document is not well-formed XML: ") ?? false, error?.message ?? "")
            XCTAssertTrue(error?.message.contains(" at line 1, column ") ?? false, error?.message ?? "")
        }
    }

    func testTruncatedEmptyAndNonXMLPayloadsAreRefused() {
        for text in ["", "<a><b></a>", "<a>", "plain text", "<a></a><b></b>", "<a>&unknown;</a>"] {
            XCTAssertEqual(refusal(Array(text.utf8))?.code, .malformedPayload, text)
        }
    }

    func testLimitsAndDeclarationsAreRefusedBeforeOrWhileReading() {
        let deep = String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)
        XCTAssertTrue(refusal(Array(deep.utf8))?.message.contains("deeper than 64 levels") ?? false)
        XCTAssertNoThrow(try reader.read(Data((String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)).utf8)))
        XCTAssertEqual(refusal(Array(#"<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>"#.utf8))?.code, .unsupported)
        XCTAssertEqual(try? SafeXMLReader(maxBytes: 10).read(Data("<a>long enough</a>".utf8)).name, nil)
    }

    func testEveryMutationOfADocumentEndsAsATreeOrARefusal() {
        let original = Array(#"<?xml version="1.0"?><Invoice xmlns="urn:x"><ID a="1">FA-1</ID><!-- c --><Line n="2"><Amount>3.50</Amount></Line></Invoice>"#.utf8)
        var random = SeededGenerator(seed: 0x786D_6C)
        var read = 0
        var refused = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            do {
                _ = try reader.read(Data(bytes))
                read += 1
            } catch is ConnectorError {
                refused += 1
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertEqual(read + refused, 5_000)
        XCTAssertGreaterThan(read, 0, "some mutations leave a readable document")
        XCTAssertGreaterThan(refused, 0)
    }

    func testUTF16AndUTF32DocumentsAreRefusedSoNoDeclarationHidesInThem() {
        let attack = #"<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY c "EUR">]><a currencyID="&c;"/>"#
        let utf16BigEndian: [UInt8] = [0xFE, 0xFF] + attack.utf16.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let utf16LittleEndian: [UInt8] = attack.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }  // no byte order mark
        let utf32: [UInt8] = attack.unicodeScalars.flatMap { scalar -> [UInt8] in [0, 0, 0, UInt8(scalar.value)] }
        for bytes in [utf16BigEndian, utf16LittleEndian, utf32] {
            let error = refusal(bytes)
            XCTAssertEqual(error?.code, .unsupported)
            XCTAssertTrue(error?.message.contains("UTF-16 or UTF-32") ?? false, error?.message ?? "")
        }
        XCTAssertEqual(try reader.read(Data([0xEF, 0xBB, 0xBF] + Array(" <a>x</a>".utf8))).text, "x", "a UTF-8 byte order mark is fine")
    }

    func testDeclarationsAreRefusedWhereverMarkupCanStart() {
        for text in [#"<!ELEMENT a ANY><a/>"#, #"<a/><!ATTLIST a b CDATA "1">"#, #"<a><!-- <!doctype a> --></a>"#,
                     #"<?xml version="1.0"?>  <!DocType a><a/>"#, #"<a><!ENTITY x "y"></a>"#] {
            XCTAssertEqual(refusal(Array(text.utf8))?.code, .unsupported, text)
        }
        XCTAssertEqual(try reader.read(Data("<a><![CDATA[<!x & <y>]]><!-- <!x --></a>".utf8)).text, "<!x & <y>")
    }

    /// The precheck steps over text, values and comments quickly: a declaration hidden in any of
    /// them is still found, and what merely looks like markup inside a value is not.
    func testDeclarationsInTextValuesAndSectionsAreFoundPastLongRuns() throws {
        let run = String(repeating: "x", count: 5_000)
        for text in ["<a>\(run)<!DOCTYPE a></a>", "<a b=\"\(run)<!ENTITY x 'y'>\"/>", "<a><!-- \(run) <!doctype a> --></a>",
                     "<a><?pi \(run) <!ENTITY x 'y'> ?></a>"] {
            XCTAssertEqual(refusal(Array(text.utf8))?.code, .unsupported, String(text.prefix(40)))
        }
        XCTAssertEqual(try reader.read(Data("<a b='\(run)>\"-->' c=\"'\">\(run)</a>".utf8)).attributes["c"], "'")
        XCTAssertEqual(try reader.read(Data("<a><!-- a - b > c -->x</a>".utf8)).text, "x")
    }

    /// White space between elements is no text; between two pieces of text it is kept.
    func testWhiteSpaceOnlyCountsBetweenText() throws {
        XCTAssertEqual(try reader.read(Data("<a>\n  <b/>\n  <c/>\n</a>".utf8)).text, "")
        XCTAssertEqual(try reader.read(Data("<a>x<b/> <c/>y</a>".utf8)).text, "x y")
        XCTAssertEqual(try reader.read(Data("<a> <b/>\t<c/> x <d/> </a>".utf8)).text, "x")
        XCTAssertEqual(try reader.read(Data("<a xml:space=\"preserve\"> <b/> y</a>".utf8)).text, "y")
    }

    func testAttributesAndNamesAreBounded() throws {
        func element(attributes count: Int) -> Data {
            Data(("<a " + (0..<count).map { "b\($0)=\"\"" }.joined(separator: " ") + "/>").utf8)
        }
        XCTAssertEqual(try reader.read(element(attributes: 256)).attributes.count, 256)
        // 100,000 attributes took libxml2 2.9 about 18 s (quadratic); refused before it reads them.
        XCTAssertThrowsError(try reader.read(element(attributes: 100_000))) { error in
            XCTAssertTrue((error as? ConnectorError)?.message.contains("more than 256 attributes") ?? false, "\(error)")
        }
        // '=' and '>' inside values are not attributes nor ends of tags.
        let values = try reader.read(Data(#"<a b="x=y>z" c='1=2'><d e="&gt;=">t</d></a>"#.utf8))
        XCTAssertEqual(values.attributes, ["b": "x=y>z", "c": "1=2"])
        XCTAssertEqual(try reader.read(Data("<\(String(repeating: "n", count: 1024))/>".utf8)).name.count, 1024)
        XCTAssertTrue(refusal(Array("<a \(String(repeating: "n", count: 1025))=\"1\"/>".utf8))?.message.contains("longer than 1024") ?? false)
        XCTAssertTrue(refusal(Array("<\(String(repeating: "n", count: 5000))/>".utf8))?.message.contains("longer than 1024") ?? false)
    }

    /// The precheck counts a name up to the next byte the tag state acts on: two names of 600 bytes
    /// apart are not one of 1,201, whichever of those bytes parts them, and both readers agree.
    func testANameEndsAtEveryByteTheTagStateActsOn() throws {
        let first = String(repeating: "n", count: 600), second = String(repeating: "m", count: 600)
        for separator in [" ", "\t", "\n", "\r"] {
            let bytes = Data("<a\(separator)\(first)=\"1\"\(separator)\(second)='2'/>".utf8)
            XCTAssertEqual(try reader.read(bytes).attributes.count, 2, "parted by \(separator.debugDescription)")
            XCTAssertEqual(try reader.readFlat(bytes).elements[0].attributes.count, 2, "parted by \(separator.debugDescription)")
        }
        let nested = Data("<\(first)><\(second)/></\(first)>".utf8)
        XCTAssertEqual(try reader.read(nested).children.first?.name, second)
        XCTAssertEqual(try reader.readFlat(nested).elements.count, 2)
        // Not well-formed, but refused by libxml2, not as one long name.
        for separator in ["\"", "'", "<", "="] {
            let message = refusal(Array("<a \(first)\(separator)\(second)/>".utf8))?.message ?? ""
            XCTAssertFalse(message.contains("longer than"), "parted by \(separator): \(message)")
            XCTAssertTrue(message.contains("not well-formed"), "parted by \(separator): \(message)")
        }
        XCTAssertTrue(refusal(Array("<a \(first)\(second)/>".utf8))?.message.contains("longer than 1024") ?? false)
    }

    /// The precheck reads names eight bytes at a time: a name of 1,024 bytes is read and one of 1,025
    /// refused wherever it starts relative to a word, whatever it holds (letters, `:`, digits, `-`,
    /// `.`, two-byte UTF-8) and whichever byte ends it.
    func testANameIsMeasuredExactlyWhereverItsBytesFall() throws {
        func isTooLong(_ xml: String) -> Bool {
            do {
                _ = try reader.read(Data(xml.utf8))
                return false
            } catch {
                return (error as? ConnectorError)?.message.contains("longer than 1024") ?? false
            }
        }
        for offset in 0..<9 {
            for piece in ["n", "ab:c", "x1-2.y", "é", "Taxable", "Ω9"] {
                var name = String(repeating: "z", count: 1 + offset)
                while name.utf8.count + piece.utf8.count <= 1024 { name += piece }
                name += String(repeating: "z", count: 1024 - name.utf8.count)
                let padding = String(repeating: " ", count: offset), context = "\(piece) at \(offset)"
                for end in ["/>", " />", "\t/>", "\n/>", "\r/>"] {
                    XCTAssertFalse(isTooLong("<a\(padding) \(name)=\"1\"\(end)"), "\(context), ended by \(end.debugDescription)")
                    XCTAssertTrue(isTooLong("<a\(padding) \(name)z=\"1\"\(end)"), "\(context), ended by \(end.debugDescription)")
                    // (A name with more than one colon is not namespace-well-formed: libxml2 refuses it.)
                    if !piece.contains(":") {
                        XCTAssertEqual(try reader.readFlat(Data("<a\(padding) \(name)=\"1\"\(end)".utf8)).elements[0].attributes.count, 1, context)
                    }
                }
                XCTAssertFalse(isTooLong("<\(name)\(padding)></\(name)>"), context)
                XCTAssertTrue(isTooLong("<\(name)z\(padding)></\(name)z>"), context)
            }
        }
    }

    /// The precheck searches a comment, CDATA section or processing instruction for its end (and for
    /// a `<`) eight bytes at a time: its end and a DOCTYPE in it are found at every offset.
    func testASectionsEndAndADeclarationInItAreFoundAtEveryOffset() throws {
        for length in 0..<20 {
            let filler = String(repeating: "x", count: length)
            for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?p ", "?>")] {
                let section = open + filler + "-]?" + filler + close
                XCTAssertEqual(try reader.read(Data("<a>\(section)<b/></a>".utf8)).children.count, 1, section)
                XCTAssertEqual(try reader.readFlat(Data("<a>\(section)<b/></a>".utf8)).elements.count, 2, section)
                let message = refusal(Array("<a>\(open)\(filler)<!DOCTYPE a>\(close)</a>".utf8))?.message ?? ""
                XCTAssertTrue(message.contains("DOCTYPE"), "\(open) \(length): \(message)")
            }
        }
    }
}
