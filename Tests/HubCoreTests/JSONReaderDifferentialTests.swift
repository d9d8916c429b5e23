import Foundation
import HubCore
import XCTest

/// `JSONValue(parsing:)` reads bytes with the hub's own reader; JSONSerialization is the oracle.
/// Whatever Foundation refuses must be refused; whatever both accept must give the same value;
/// what only Foundation accepts must be one of its extensions to RFC 8259 (trailing commas,
/// UTF-16/UTF-32 text recognised by zero bytes). No input may trap.
final class JSONReaderDifferentialTests: XCTestCase {
    func testHandWrittenCorpusAgreesWithJSONSerialization() {
        let valid = [
            "0", "-0", "1", "-1", "1.5", "-1.5e-3", "1E+2", "1e-400", "0e0", "0.1e1", "1.5e0008", "100", "0.0012",
            "9007199254740993", "9223372036854775807", "9223372036854775808", "18446744073709551615",
            "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
            "1.7976931348623157e308", "-1.7976931348623157e308", "4.9e-324", "2.2250738585072011e-308",
            "2.2250738585072014e-308", "0.30000000000000004", "123456789012345.678", "1234567890123456789e-10",
            "0.000000000000000000000000000001", "1e22", "1e23", "123456789012345e22", "8.98846567431158e307",
            "true", "false", "null", "\"\"", "[]", "{}", " \t\r\n[ 1 , 2 ]\n", "[[[]]]", "{\"a\":{\"b\":[{}]}}",
            "{\"a\":1,\"a\":2}", "{\"\":0}", "[true,false,null,0,\"x\",{},[]]",
            "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u0000\"", "\"\\u00e9\\u00E9\"", "\"\\u20AC\"", "\"\\uFFFF\"",
            "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00 and \\uDBFF\\uDFFF\"", "\"é€😀\"", "\"\u{7F}\"", "\"a\\nb\\u0041\"",
            "{\"device\":\"aq-1\",\"ts\":1764403200,\"no2\":41.25,\"pm25\":12}",
        ]
        let invalid = [
            "", " ", "01", "-01", "-", "1.", ".5", "+1", "1e", "1e+", "1.e3", "--1", "0x10", "1e400", "-1e400",
            "1.7976931348623159e308", "NaN", "Infinity", "-Infinity", "tru", "nul", "True", "nulls", "1 2",
            "[1 2]", "{1:2}", "{\"a\" 1}", "{\"a\":}", "{\"a\"}", "[", "]", "{", "}", "[1", "{\"a\":1", "\"abc",
            "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\\"", "\"a\tb\"", "\"a\nb\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "\"\\uD83D\"", "\"\\uDE00\\uD83D\"", "\"\\ud800\\ud800\"", "\u{0B}1", "\u{0C}1",
            "1\u{A0}", "'a'", "[,]", "[,1]", "{,}", "//1\n1", "/*x*/1", "[1]]", "{}}", "\u{FEFF}\u{FEFF}1",
        ]
        for text in valid {
            let outcome = compare(Data(text.utf8))
            XCTAssertEqual(outcome, .sameValue, text)
        }
        for text in invalid {
            let outcome = compare(Data(text.utf8))
            XCTAssertEqual(outcome, .bothRefuse, text)
        }
        // Foundation's extensions, which the hub refuses.
        for text in ["[1,]", "{\"a\":1,}", "[[1,],]"] {
            XCTAssertEqual(compare(Data(text.utf8)), .onlyFoundationAccepts, text)
        }
        XCTAssertEqual(compare(Data([0x31, 0x00, 0x32, 0x00])), .onlyFoundationAccepts, "UTF-16LE \"12\"")
        XCTAssertEqual(compare(Data([0xEF, 0xBB, 0xBF, 0x31])), .sameValue, "a UTF-8 byte order mark is ignored")
    }

    func testNestingIsLimitedAt512LikeJSONSerialization() {
        for depth in [1, 511, 512, 513, 100_000] {
            let arrays = Data((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            let objects = Data((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
            let expected: Outcome = depth <= 512 ? .sameValue : .bothRefuse
            XCTAssertEqual(compare(arrays), expected, "arrays nested \(depth) deep")
            XCTAssertEqual(compare(objects), expected, "objects nested \(depth) deep")
        }
        // Unclosed nesting far past the limit is refused too, without exhausting the stack.
        XCTAssertThrowsError(try JSONValue(parsing: Data(repeating: UInt8(ascii: "["), count: 1_000_000))) { error in
            XCTAssertTrue("\(error)".contains("nested deeper than 512"), "\(error)")
        }
    }

    func testEveryBasicMultilingualPlaneEscapeAndSurrogatePairAgrees() {
        var failures = 0
        for unit in stride(from: 0, through: 0xFFFF, by: 7) where failures < 10 {
            let text = String(format: "[\"\\u%04x\",\"\\u%04X\\ud834\\udd1e\"]", unit, unit)
            let outcome = compare(Data(text.utf8))
            let expected: Outcome = (0xD800...0xDFFF).contains(unit) ? .bothRefuse : .sameValue
            if outcome != expected { failures += 1; XCTFail("\(text): \(outcome)") }
        }
        for high in stride(from: 0xD800, through: 0xDBFF, by: 61) {
            for low in stride(from: 0xDC00, through: 0xDFFF, by: 67) {
                XCTAssertEqual(compare(Data(String(format: "\"\\u%04x\\u%04x\"", high, low).utf8)), .sameValue)
            }
        }
    }

    func testNumbersAtTheEdgesReadAsTheNearestDouble() {
        var generator = CorpusGenerator(seed: 11)
        for _ in 0..<20_000 {
            let sample = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let digits = Int(generator.next() % 19) + 1
            for text in ["\(sample)", "-\(sample)", String(format: "%.\(digits)g", sample), String(format: "%.\(digits)e", -sample)] {
                XCTAssertEqual(compare(Data(text.utf8)), .sameValue, text)
            }
            let integer = generator.next() >> (generator.next() % 64)
            let decimal = "\(integer).\(generator.next() % 1000)e\(Int(generator.next() % 80) - 40)"
            for text in ["\(integer)", "-\(integer)", decimal] {
                XCTAssertEqual(compare(Data(text.utf8)), .sameValue, text)
            }
        }
    }

    func testMutatedDocumentsNeverTrapAndRefuseWhatFoundationRefuses() {
        var generator = CorpusGenerator(seed: 2026)
        let seeds = (0..<200).map { _ in Data(randomDocument(depth: 0, using: &generator).utf8) }
        let alphabet = Array("{}[]\",:\\/-+.0123456789eEtrufalsn \t\r\n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xFF]
        var counts: [Outcome: Int] = [:]
        for seed in seeds {
            XCTAssertEqual(compare(seed), .sameValue, String(decoding: seed, as: UTF8.self))
            for _ in 0..<40 {
                var bytes = [UInt8](seed)
                for _ in 0...(generator.next() % 3) {
                    let position = Int(generator.next() % UInt64(bytes.count + 1))
                    switch generator.next() % 4 {
                    case 0 where position < bytes.count: bytes.remove(at: position)
                    case 1 where position < bytes.count: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    case 2: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                    default: bytes = Array(bytes.prefix(position))
                    }
                }
                let outcome = compare(Data(bytes))
                counts[outcome, default: 0] += 1
                if outcome == .differentValues {
                    XCTFail("different values for \(String(decoding: bytes, as: UTF8.self))")
                } else if outcome == .onlyHubAccepts {
                    XCTFail("the hub accepts what Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
                } else if outcome == .onlyFoundationAccepts, !usesFoundationExtension(bytes) {
                    XCTFail("the hub refuses RFC 8259 JSON: \(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        // The corpus exercises both sides: plenty of mutants still parse, plenty do not.
        XCTAssertGreaterThan(counts[.sameValue, default: 0], 500, "\(counts)")
        XCTAssertGreaterThan(counts[.bothRefuse, default: 0], 2000, "\(counts)")
    }

    func testRandomBytesNeverTrap() {
        var generator = CorpusGenerator(seed: 7)
        for _ in 0..<20_000 {
            let bytes = (0..<(generator.next() % 24)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let outcome = compare(Data(bytes))
            XCTAssertTrue(outcome == .bothRefuse || outcome == .sameValue || (outcome == .onlyFoundationAccepts && usesFoundationExtension(bytes)),
                          "\(bytes): \(outcome)")
        }
    }

    func testReasonsNameTheOffset() {
        let cases = [
            ("{\"a\":}", "unexpected '}' at offset 5"),
            ("[1,]", "unexpected ']' at offset 3"),
            ("01", "leading zero"),
            ("\"a\u{01}\"", "control character 0x1 at offset 2"),
            ("1e400", "too large"),
            ("\"\\udc00\"", "low surrogate"),
            ("[1", "ends inside an array"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try JSONValue(parsing: Data(text.utf8))) { error in
                XCTAssertTrue("\(error)".hasPrefix("payload is not valid JSON: "), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
    }

    // MARK: - The oracle

    enum Outcome: Hashable {
        case sameValue, differentValues, bothRefuse, onlyHubAccepts, onlyFoundationAccepts
    }

    private func compare(_ data: Data) -> Outcome {
        let hub = try? JSONValue(parsing: data)
        let foundation = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])).map(Self.convert)
        switch (hub, foundation) {
        case (nil, nil): return .bothRefuse
        case (.some, nil): return .onlyHubAccepts
        case (nil, .some): return .onlyFoundationAccepts
        case let (.some(mine), .some(theirs)): return mine == theirs ? .sameValue : .differentValues
        }
    }

    /// Foundation's objects as a JSONValue (booleans are NSNumbers of C type "c"; long numbers
    /// come back as NSDecimalNumber, whose text is exact).
    private static func convert(_ object: Any) -> JSONValue {
        switch object {
        case let dictionary as [String: Any]: .object(dictionary.mapValues(convert))
        case let array as [Any]: .array(array.map(convert))
        case let string as String: .string(string)
        case let number as NSNumber where number.objCType.pointee == 0x63: .bool(number.boolValue)
        case let number as NSDecimalNumber: .number(Double(number.stringValue) ?? .nan)
        case let number as NSNumber: .number(number.doubleValue)
        default: .null
        }
    }

    /// Trailing commas, zero bytes (Foundation then reads the text as UTF-16 or UTF-32), or bytes
    /// that are not UTF-8 (which the hub refuses before reading, with the offset of the bad byte).
    private func usesFoundationExtension(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil { return true }
        var sawComma = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","): sawComma = true
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "]"), UInt8(ascii: "}"): if sawComma { return true }
            default: sawComma = false
            }
        }
        return false
    }

    private func randomDocument(depth: Int, using generator: inout CorpusGenerator) -> String {
        let kind = depth > 4 ? generator.next() % 5 : generator.next() % 8
        switch kind {
        case 0: return ["true", "false", "null"][Int(generator.next() % 3)]
        case 1: return "\(Int64(bitPattern: generator.next()) >> (generator.next() % 64))"
        case 2: return "\(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))"
        case 3, 4:
            let pieces = ["a", "é", "😀", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\\"", " ", "x1", "\\/"]
            return "\"" + (0..<(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined() + "\""
        case 5:
            return "[" + (0..<(generator.next() % 4)).map { _ in randomDocument(depth: depth + 1, using: &generator) }.joined(separator: ",") + "]"
        default:
            let members = (0..<(generator.next() % 4)).map { index in
                "\"k\(index)\" : " + randomDocument(depth: depth + 1, using: &generator)
            }
            return "{ " + members.joined(separator: ", ") + " }"
        }
    }
}

/// SplitMix64 (HubServices has one; HubCore's tests do not depend on it): the corpus is the same on every run.
private struct CorpusGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
