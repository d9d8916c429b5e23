import Foundation
import HubCore
import HubXML

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
        let root: XMLElementNode
        do {
            // No byte limit of its own: the broker's message size bounds a SenML payload.
            root = try SafeXMLReader(maxBytes: .max).read(payload)
        } catch let error as ConnectorError {
            throw ConnectorError(error.code, "payload is not a SenML XML pack: \(error.message)")
        }
        var records: [JSONValue] = []
        var sawPack = false
        // Every <sensml> and <senml> element, in document order, wherever it sits.
        var pending = [root]
        while let element = pending.popLast() {
            pending.append(contentsOf: element.children.reversed())
            switch element.name {
            case "sensml": sawPack = true
            case "senml": records.append(.object(try record(element.attributes, number: records.count + 1)))
            default: break
            }
        }
        guard sawPack else {
            throw ConnectorError(.malformedPayload, "payload is XML but has no <sensml> element; expected a SenML XML pack")
        }
        return .array(records)
    }

    /// One `<senml>` element's attributes as a JSON record; `number` counts records from 1.
    private static func record(_ attributes: [String: String], number: Int) throws -> [String: JSONValue] {
        var record: [String: JSONValue] = [:]
        for (label, text) in attributes {
            if numericLabels.contains(label) {
                guard let value = Double(text), value.isFinite else {
                    throw refusal("record \(number): \(label)=\(ReasonText.quoted(text)) is not a number")
                }
                record[label] = .number(value)
            } else if label == "vb" {
                guard text == "true" || text == "false" else {
                    throw refusal("record \(number): vb=\(ReasonText.quoted(text)) is neither true nor false")
                }
                record[label] = .bool(text == "true")
            } else {
                record[label] = .string(text)
            }
        }
        return record
    }

    private static func refusal(_ detail: String) -> ConnectorError {
        ConnectorError(.malformedPayload, "payload is not a SenML XML pack: \(detail)")
    }
}
