import Foundation
import HubCore
import HubStore

/// How events, entities and dead letters are written by the API: JSON, CSV, GeoJSON (NGSI-LD is
/// `NGSILDEntity`'s).
enum EventEncoding {
    /// An event as the API's JSON (the same members as `Event.jsonLine`).
    static func json(_ event: Event) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(event.id.rawValue), "type": .string(event.type), "entity": .string(event.entity),
            "observedAt": .string(event.observedAt.iso8601), "receivedAt": .string(event.receivedAt.iso8601),
            "route": .string(event.route), "attributes": .object(event.attributes.mapValues(\.storedForm)),
        ]
        members["location"] = event.location?.geoJSON ?? .null
        return .object(members)
    }

    /// The CSV header line.
    static let csvHeader = "id,type,entity,observedAt,receivedAt,route,latitude,longitude,attributes\r\n"

    /// One CSV record (RFC 4180: fields with commas, quotes or line breaks are quoted).
    static func csvRecord(_ event: Event) -> String {
        let fields = [
            event.id.rawValue, event.type, event.entity, event.observedAt.iso8601, event.receivedAt.iso8601, event.route,
            event.location.map { JSONValue.number($0.latitude).jsonText } ?? "",
            event.location.map { JSONValue.number($0.longitude).jsonText } ?? "",
            event.attributesJSON,
        ]
        return fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An entity's latest state as a GeoJSON feature; nil when it has no location.
    static func geoJSONFeature(_ event: Event) -> JSONValue? {
        guard let location = event.location else { return nil }
        return .object([
            "type": .string("Feature"), "id": .string(event.entity), "geometry": location.geoJSON,
            "properties": .object([
                "type": .string(event.type), "route": .string(event.route),
                "observedAt": .string(event.observedAt.iso8601),
                "attributes": .object(event.attributes.mapValues(\.storedForm)),
            ]),
        ])
    }

    /// A dead letter as the API's JSON; `full` adds the whole payload in base64.
    static func json(_ stored: StoredDeadLetter, full: Bool) -> JSONValue {
        let letter = stored.deadLetter
        let preview = letter.payload.prefix(2048)
        var members: [String: JSONValue] = [
            "id": .number(Double(stored.id)), "route": .string(letter.route), "source": .string(letter.source.rawValue),
            "origin": .string(letter.origin), "reason": .string(letter.reason),
            "receivedAt": .string(letter.receivedAt.iso8601), "payloadBytes": .number(Double(letter.payload.count)),
            "payloadPreview": String(data: preview, encoding: .utf8).map(JSONValue.string) ?? .null,
            "replayedAt": stored.replayedAt.map { .string($0.iso8601) } ?? .null,
        ]
        if full { members["payloadBase64"] = .string(letter.payload.base64EncodedString()) }
        return .object(members)
    }
}
