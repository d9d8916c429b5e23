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
        let document: JSONValue
        do { document = try JSONValue(parsing: envelope.payload) } catch {
            throw ConnectorError(.malformedPayload, "the status record is not JSON: \(error)")
        }
        let items: [[String: JSONValue]]
        switch document {
        case .array(let elements): items = try elements.map { try object($0) }
        case .object(let members): items = [members]
        default: throw ConnectorError(.malformedPayload, "expected a status record or a list of them, found \(document.typeName)")
        }
        var events: [Event] = []
        for item in items {
            let invoiceID = try text(item, "identifiantFactureCPP")
            let number = item["numeroFacture"]?.stringValue
            var records = [item]
            if let history = item["historiqueStatuts"] {
                guard let entries = history.arrayValue else {
                    throw ConnectorError(.invalidField, "historiqueStatuts of invoice \(invoiceID) must be a list")
                }
                records = try entries.map { try object($0) }
            }
            var parsed: [(status: String, at: Timestamp, record: [String: JSONValue])] = []
            for record in records {
                let status = Self.code(try text(record, "statut"))
                guard allowUnknownStatuses || ChorusLifecycle.isKnown(status) else {
                    throw ConnectorError(.invalidField, "unknown Chorus Pro status \"\(status)\" for invoice \(invoiceID); the lifecycle's are: \(ChorusLifecycle.labels.keys.sorted().joined(separator: ", "))")
                }
                let dateText = try text(record, "dateStatut")
                guard let at = Timestamp(iso8601: dateText) ?? Timestamp(iso8601: "\(dateText.prefix(10))T00:00:00Z") else {
                    throw ConnectorError(.invalidField, "dateStatut \"\(dateText)\" of invoice \(invoiceID) is not an ISO 8601 date or time")
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

    private func object(_ value: JSONValue) throws -> [String: JSONValue] {
        guard let members = value.objectValue else {
            throw ConnectorError(.malformedPayload, "expected a status record (a JSON object), found \(value.typeName)")
        }
        return members
    }

    private func text(_ record: [String: JSONValue], _ key: String) throws -> String {
        switch record[key] {
        case .string(let text)? where !text.isEmpty: return text
        case .number(let number)? where number == number.rounded(): return String(Int64(number))
        case nil, .null?: throw ConnectorError(.missingField, "the status record has no \"\(key)\"")
        case let other?: throw ConnectorError(.invalidField, "\"\(key)\" must be text, found \(other.typeName)")
        }
    }
}
