import Foundation
import HubCore

/// An UltraLight 2.0 measure payload as FIWARE IoT Agents read it: `t|15|h|70`, several measure
/// groups separated by `#`, each optionally starting with an ISO 8601 timestamp
/// (`2026-11-22T08:00:00Z|t|15`).
struct UltraLightPayload: Sendable {
    /// One group of measures, taken at one time.
    struct Group: Sendable {
        /// The group's own timestamp, when it starts with one.
        var time: Timestamp?
        /// `object_id` and value pairs, in payload order.
        var measures: [(objectID: String, value: String)]
    }

    /// The groups, in payload order.
    var groups: [Group]

    /// Parses the text; throws a `ConnectorError` naming the group that is not `key|value` pairs.
    init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ConnectorError(.malformedPayload, "payload is empty; expected UltraLight 2.0 measures such as t|15|h|70")
        }
        groups = try trimmed.split(separator: "#", omittingEmptySubsequences: false).enumerated().map { index, group in
            var fields = group.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            var time: Timestamp?
            if fields.count % 2 == 1, let first = fields.first, let parsed = Timestamp(iso8601: first) {
                time = parsed
                fields.removeFirst()
            }
            guard !fields.isEmpty, fields.count % 2 == 0 else {
                throw ConnectorError(
                    .malformedPayload,
                    "UltraLight measure group \(index + 1) \(ReasonText.quoted(String(group))) is not object_id|value pairs (it has \(fields.count) fields)")
            }
            var measures: [(objectID: String, value: String)] = []
            for pair in stride(from: 0, to: fields.count, by: 2) {
                guard !fields[pair].isEmpty else {
                    throw ConnectorError(.malformedPayload, "UltraLight measure group \(index + 1) has an empty object_id")
                }
                measures.append((fields[pair], fields[pair + 1]))
            }
            return Group(time: time, measures: measures)
        }
    }
}
