import Foundation
import HubCore

/// `einvoicing.chorus-status`: Chorus Pro status records of an invoice (one change, or its whole
/// history) become `InvoiceStatusChanged` events; a transition the lifecycle does not allow is
/// kept and flagged with a warning.
///
/// A record: `{"identifiantFactureCPP": 4711, "numeroFacture": "F-2026-001", "statut": "MANDATEE",
/// "dateStatut": "2026-11-20T10:00:00Z", "statutPrecedent": "SERVICE_FAIT", "commentaire": "..."}`.
/// A history: `{"identifiantFactureCPP": ..., "numeroFacture": ..., "historiqueStatuts": [records]}`.
/// The connector remembers each invoice's last status (per route worker, not across restarts) so
/// that a record without `statutPrecedent` is still checked against what came before.
public struct ChorusStatusConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "einvoicing.chorus-status"
    /// What the connector reads and yields, for listings.
    public static let summary = "Chorus Pro invoice status records (JSON) -> InvoiceStatusChanged, illegal transitions flagged"

    private var lastStatus: [String: String] = [:]
    private var remembered: [String] = []
    private let memory: Int
    private let allowUnknownStatuses: Bool

    /// Reads `memory` (invoices whose last status is remembered, default 100,000) and
    /// `allowUnknownStatuses` (default false: an unknown status is a dead letter).
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["memory", "allowUnknownStatuses"])
        memory = try settings.optionalInteger("memory", in: 1...10_000_000) ?? 100_000
        allowUnknownStatuses = try settings.optionalBool("allowUnknownStatuses") ?? false
    }

    /// One event per status record, oldest first.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let format = "a Chorus Pro status record (a JSON object) or a list of them"
        let document = try PayloadReader.json(envelope.payload, expecting: format)
        let items: [(record: [String: JSONValue], path: String)]
        switch document {
        case .array(let elements):
            items = try elements.enumerated().map { index, element in
                (try PayloadReader.object(element, at: "[\(index)]"), "[\(index)].")
            }
        case .object(let members): items = [(members, "")]
        default: throw PayloadReader.unexpected(document, expecting: format)
        }
        var events: [Event] = []
        for (item, path) in items {
            let invoiceID = try Self.text(item, "identifiantFactureCPP", at: path)
            let number = item["numeroFacture"]?.stringValue
            var records = [(record: item, path: path)]
            if let history = item["historiqueStatuts"] {
                records = try PayloadReader.array(history, at: "\(path)historiqueStatuts").enumerated().map { index, entry in
                    let entryPath = "\(path)historiqueStatuts[\(index)]"
                    return (try PayloadReader.object(entry, at: entryPath), entryPath + ".")
                }
            }
            var parsed: [(status: String, at: Timestamp, record: [String: JSONValue])] = []
            for (record, recordPath) in records {
                let status = Self.code(try Self.text(record, "statut", at: recordPath))
                guard allowUnknownStatuses || ChorusLifecycle.isKnown(status) else {
                    throw ConnectorError(.invalidField, "unknown Chorus Pro status \"\(status)\" for invoice \(invoiceID); the lifecycle's are: \(ChorusLifecycle.labels.keys.sorted().joined(separator: ", "))")
                }
                let dateText = try Self.text(record, "dateStatut", at: recordPath)
                guard let at = Timestamp(iso8601: dateText) ?? Timestamp(iso8601: "\(dateText.prefix(10))T00:00:00Z") else {
                    throw PayloadReader.mismatch(record["dateStatut"], at: "\(recordPath)dateStatut", expected: "an ISO 8601 date or date-time")
                }
                parsed.append((status, at, record))
            }
            parsed.sort { $0.at < $1.at }
            for (status, at, record) in parsed {
                let previous = record["statutPrecedent"]?.stringValue.map(Self.code) ?? lastStatus[invoiceID]
                var attributes: [String: Value] = [
                    "chorusInvoiceID": .text(invoiceID),
                    "status": .text(status),
                    "statusLabel": .text(ChorusLifecycle.label(of: status)),
                    "final": .boolean(ChorusLifecycle.finalStatuses.contains(status)),
                ]
                if let number { attributes["invoiceNumber"] = .text(number) }
                if let previous { attributes["previousStatus"] = .text(previous) }
                for key in ["commentaire", "motif"] {
                    if let comment = record[key]?.stringValue { attributes["comment"] = .text(comment) }
                }
                var warnings: [JSONValue] = []
                if let previous, let problem = ChorusLifecycle.problem(from: previous, to: status) {
                    warnings.append(.object(["rule": .string("CHORUS-LIFECYCLE"), "message": .string(problem)]))
                }
                attributes["warnings"] = .json(.array(warnings))
                events.append(Event(
                    type: "InvoiceStatusChanged", entity: "urn:ngsi-ld:Invoice:chorus:\(invoiceID)", observedAt: at,
                    receivedAt: envelope.receivedAt, route: envelope.route, attributes: attributes, key: status))
                remember(invoiceID, status)
            }
        }
        return events
    }

    /// A status as Chorus Pro codes it: upper case, words joined by `_` (the API also writes `SERVICE-FAIT`).
    private static func code(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "-", with: "_")
    }

    private mutating func remember(_ invoiceID: String, _ status: String) {
        if lastStatus.updateValue(status, forKey: invoiceID) == nil { remembered.append(invoiceID) }
        if remembered.count > memory {
            let forgotten = remembered.count - memory
            for id in remembered.prefix(forgotten) { lastStatus[id] = nil }
            remembered.removeFirst(forgotten)
        }
    }

    /// A text member of a status record: Chorus Pro writes identifiers as text or as whole numbers.
    private static func text(_ record: [String: JSONValue], _ key: String, at path: String) throws -> String {
        if let text = PayloadReader.identifier(record[key]) { return text }
        return try PayloadReader.string(record[key], at: path + key)  // throws: missing, or why it is not text
    }
}
