import Foundation
import HubCore
import HubStore

/// How events, entities and dead letters are written by the API: JSON, CSV, GeoJSON (NGSI-LD is
/// `NGSILDEntity`'s).
enum EventEncoding {
    /// An event as the API's JSON text: members `attributes`, `entity`, `id`, `location` (GeoJSON
    /// point or null), `observedAt`, `receivedAt`, `route`, `type`, keys sorted as `JSONValue.jsonText`
    /// sorts them (the same members as `Event.jsonLine`).
    static func jsonText(_ event: some ListedEventText) -> String {
        var out = JSONOutput(reservingCapacity: 512)
        write(event, to: &out)
        return out.text
    }

    /// Appends `jsonText(event)` to `out`. Written directly, with the attributes as the event's own
    /// text (the same sorted text of `Value.storedForm`s), rather than through a `JSONValue` tree
    /// rebuilt and sorted for every event of every page.
    static func write<Listed: ListedEvent>(_ event: Listed, to out: inout JSONOutput) throws(Listed.WriteError) {
        out.append("{\"attributes\":")
        try event.writeAttributes(to: &out)
        out.append(",\"entity\":")
        out.appendString(event.entity)
        out.append(",\"id\":")
        event.writeID(to: &out)
        if let location = event.location {
            out.append(",\"location\":{\"coordinates\":[")
            out.appendNumber(location.longitude)
            out.append(",")
            out.appendNumber(location.latitude)
            out.append("],\"type\":\"Point\"}")
        } else {
            out.append(",\"location\":null")
        }
        out.append(",\"observedAt\":\"")
        out.appendISO8601(event.observedAt)
        out.append("\",\"receivedAt\":\"")
        out.appendISO8601(event.receivedAt)
        out.append("\",\"route\":")
        out.appendString(event.route)
        out.append(",\"type\":")
        out.appendString(event.type)
        out.append("}")
    }

    /// A JSON object holding `events` as its `items` array beside `members` (which must not hold
    /// `items`), keys sorted as `JSONValue.jsonText` sorts them: the API's listings of events and
    /// entities, as the bytes the response sends (never made a `String`).
    static func listing<Listed: ListedEventText>(_ events: some Sequence<Listed>, _ members: [String: JSONValue]) -> Data {
        let sorted = members.sorted { $0.key < $1.key }
        var out = JSONOutput(reservingCapacity: 64 + 512 * events.underestimatedCount)
        out.append("{")
        for (key, value) in sorted where key < "items" {
            out.appendString(key)
            out.append(":")
            value.write(to: &out)
            out.append(",")
        }
        out.append("\"items\":[")
        var first = true
        for event in events {
            if !first { out.append(",") }
            first = false
            write(event, to: &out)
        }
        out.append("]")
        for (key, value) in sorted where key > "items" {
            out.append(",")
            out.appendString(key)
            out.append(":")
            value.write(to: &out)
        }
        out.append("}")
        return out.data()
    }

    /// The events listing, `listing(records, ["nextCursor": ...])` byte for byte, written from the
    /// rows as the store reads them (no record is copied out): `read` hands over the rows of a
    /// query for up to `limit + 1` events; the first `limit` are the page's items, and one more
    /// makes the last item's `seq` the `nextCursor`.
    static func eventListing(limit: Int, _ read: ((EventRecordRow) throws -> Void) throws -> Void) throws -> Data {
        // Room for the default page; a larger limit grows the buffer only as far as the rows go.
        var out = JSONOutput(reservingCapacity: 64 + 512 * min(limit, 100))
        out.append("{\"items\":[")
        var written = 0
        var last: Int64?
        var more = false
        try read { row in
            guard written < limit else {
                more = true
                return
            }
            if written > 0 { out.append(",") }
            try write(row, to: &out)
            last = row.seq
            written += 1
        }
        out.append("],\"nextCursor\":")
        if more, let last { out.appendString(String(last)) } else { out.append("null") }
        out.append("}")
        return out.data()
    }

    /// The CSV header line.
    static let csvHeader = "id,type,entity,observedAt,receivedAt,route,latitude,longitude,attributes\r\n"

    /// One CSV record (RFC 4180: fields with commas, quotes or line breaks are quoted).
    static func csvRecord(_ event: some ListedEventText) -> String {
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
