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

    /// The members of a GeoJSON feature's `properties` that are not attributes.
    static let geoJSONMetadata: Set<String> = ["entity", "entityType", "route", "observedAt"]

    /// An entity's latest state as a GeoJSON feature (RFC 7946), `geometry` null when it has no
    /// location. `properties` are flat, as QGIS and Leaflet expect: `entity`, `entityType`, `route`,
    /// `observedAt`, then one member per attribute (a number's unit in a sibling `<name>_unit`,
    /// nested JSON as its text); an attribute named like one of the first four is written
    /// `attribute_<name>`.
    static func geoJSONFeature(_ event: Event) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for (name, value) in event.attributes {
            let key = geoJSONMetadata.contains(name) ? "attribute_\(name)" : name
            switch value {
            case .number(let number, let unit):
                properties[key] = number.isFinite ? .number(number) : .null
                if let unit { properties["\(key)_unit"] = .string(unit) }
            case .text(let text): properties[key] = .string(text)
            case .boolean(let flag): properties[key] = .bool(flag)
            case .json(let json): properties[key] = .string(json.jsonText)
            }
        }
        properties["entity"] = .string(event.entity)
        properties["entityType"] = .string(event.type)
        properties["route"] = .string(event.route)
        properties["observedAt"] = .string(event.observedAt.iso8601)
        return .object([
            "type": .string("Feature"), "id": .string(event.entity), "geometry": event.location?.geoJSON ?? .null,
            "properties": .object(properties),
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
