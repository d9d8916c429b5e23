import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HubCore

/// The XML form of a SenML pack (RFC 8428 section 7, `application/senml+xml`): a `<sensml>` element
/// whose `<senml>` children carry the record fields as attributes with the JSON labels. It is read
/// into the JSON form, so that both forms are resolved by the same code (`SenMLPack`).
enum SenMLXML {
    /// The labels whose values are numbers; `vb` is a boolean; every other label is text.
    static let numericLabels: Set<String> = ["bt", "bv", "bs", "bver", "t", "v", "s", "ut"]

    /// Whether the payload looks like XML (its first byte that is not white space is `<`).
    static func isXML(_ payload: Data) -> Bool {
        payload.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "<")
    }

    /// The pack as the JSON array of records it stands for; throws a `ConnectorError` naming what is wrong.
    static func document(from payload: Data) throws -> JSONValue {
        let reader = Reader()
        let parser = XMLParser(data: payload)
        parser.delegate = reader
        // An unfinished document can come back as parsed with an error set: both mean refusal.
        guard parser.parse(), reader.error == nil, parser.parserError == nil else {
            let detail = reader.error ?? parser.parserError.map { "\($0.localizedDescription) (line \(parser.lineNumber))" } ?? "unknown error"
            throw ConnectorError(.malformedPayload, "payload is not a SenML XML pack: \(detail)")
        }
        guard reader.sawPack else {
            throw ConnectorError(.malformedPayload, "payload is XML but has no <sensml> element; expected a SenML XML pack")
        }
        return .array(reader.records)
    }

    /// Collects the `<senml>` elements' attributes as JSON records.
    private final class Reader: NSObject, XMLParserDelegate {
        var records: [JSONValue] = []
        var sawPack = false
        var error: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "sensml":
                sawPack = true
            case "senml":
                var record: [String: JSONValue] = [:]
                for (label, text) in attributes {
                    if Self.isNumeric(label) {
                        guard let number = Double(text), number.isFinite else {
                            error = "record \(records.count + 1): \(label)=\(ReasonText.quoted(text)) is not a number"
                            parser.abortParsing()
                            return
                        }
                        record[label] = .number(number)
                    } else if label == "vb" {
                        guard text == "true" || text == "false" else {
                            error = "record \(records.count + 1): vb=\(ReasonText.quoted(text)) is neither true nor false"
                            parser.abortParsing()
                            return
                        }
                        record[label] = .bool(text == "true")
                    } else {
                        record[label] = .string(text)
                    }
                }
                records.append(.object(record))
            default:
                break
            }
        }

        private static func isNumeric(_ label: String) -> Bool { SenMLXML.numericLabels.contains(label) }
    }
}
