import Foundation
import HubCore
import XCTest

final class JSONValueTests: XCTestCase {
    func testObjectsKeepEveryMemberAtEveryDepthAndANameGivenTwiceKeepsItsLastValue() throws {
        let value = try JSONValue(parsing: Data(#"{"a":1,"b":{"c":{"d":[{"e":2},{}]},"f":3},"a":4,"g":{"h":5,"h":6}}"#.utf8))
        XCTAssertEqual(value, .object([
            "a": .number(4),
            "b": .object(["c": .object(["d": .array([.object(["e": .number(2)]), .object([:])])]), "f": .number(3)]),
            "g": .object(["h": .number(6)]),
        ]))
    }

    func testParsesBooleansApartFromNumbers() throws {
        let value = try JSONValue(parsing: Data(#"{"t":true,"f":false,"one":1,"zero":0,"x":1.5,"s":"é","n":null,"a":[1,"2"]}"#.utf8))
        XCTAssertEqual(value["t"], .bool(true))
        XCTAssertEqual(value["f"], .bool(false))
        XCTAssertEqual(value["one"], .number(1))
        XCTAssertEqual(value["zero"], .number(0))
        XCTAssertEqual(value["x"], .number(1.5))
        XCTAssertEqual(value["s"], .string("é"))
        XCTAssertEqual(value["n"], .null)
        XCTAssertEqual(value["a"], .array([.number(1), .string("2")]))
    }

    func testNumbersWithManyDigitsReadBackAsTheSameDouble() throws {
        let samples: [Double] = [-10 + 6.4, 0.1 + 0.2, 1 / 3, 2.718281828459045, -1.7976931348623157e308, Double.leastNonzeroMagnitude]
        for sample in samples {
            XCTAssertEqual(try JSONValue(parsing: Data("[\(sample)]".utf8)), .array([.number(sample)]), "\(sample)")
        }
    }

    func testRandomDoublesSurviveWritingAndParsing() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let sample = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
            let text = JSONValue.array([.number(sample)]).jsonText
            XCTAssertEqual(try JSONValue(parsing: Data(text.utf8)), .array([.number(sample)]), text)
        }
    }

    func testInvalidInputGivesAReasonNotACrash() {
        let cases: [(Data, String)] = [
            (Data(), "not valid JSON"),
            (Data("{\"a\":".utf8), "not valid JSON"),
            (Data([0x7B, 0x22, 0xFF, 0x22, 0x7D]), "not valid UTF-8 (bad byte at offset 2)"),
            (Data([0xC3]), "not valid UTF-8"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try JSONValue(parsing: data)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    func testWritesSortedEscapedCompactText() throws {
        let value = JSONValue.object(["b": .number(2), "a": .string("line\n\"q\"\u{01}"), "c": .array([.bool(true), .null, .number(0.25)])])
        XCTAssertEqual(value.jsonText, #"{"a":"line\n\"q\"\u0001","b":2,"c":[true,null,0.25]}"#)
        XCTAssertEqual(try JSONValue(parsing: Data(value.jsonText.utf8)), value)
    }

    func testEveryCharacterThatNeedsItIsEscapedWhereverItStands() {
        // JSONOutput looks for these eight bytes at a time: put each at every offset of strings
        // longer and shorter than a word, and compare with an escape written out per character.
        func expected(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                case let c where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let specials = ["\"", "\\", "\n", "\u{00}", "\u{1F}", "\u{08}", "\u{2028}", "\u{2029}", "\u{2027}", "é", "\u{7F}", " "]
        for length in [1, 7, 8, 9, 16, 17] {
            for offset in 0..<length {
                for special in specials {
                    let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: length - offset - 1)
                    XCTAssertEqual(JSONValue.string(text).jsonText, expected(text), text.debugDescription)
                }
            }
        }
    }
}
