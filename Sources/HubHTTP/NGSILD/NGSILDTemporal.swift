import HubCore

/// The temporal representation of an entity (ETSI GS CIM 009 clause 4.5.7): each attribute as
/// the list of its instances over time, oldest first, from the entity's stored events.
enum NGSILDTemporal {
    /// The temporal representation of one entity from its events (any order), keeping for each
    /// attribute in `attributes` (all when nil) its last `lastN` instances (all when nil);
    /// `temporalValues` gives the simplified form (`"values": [[value, observedAt], ...]`).
    static func entity(id: String, events: [Event], attributes: Set<String>?, lastN: Int?, temporalValues: Bool) -> [String: JSONValue]? {
        let ordered = events.sorted { ($0.observedAt, $0.id) < ($1.observedAt, $1.id) }
        guard let newest = ordered.last else { return nil }
        var instances: [String: [[String: JSONValue]]] = [:]
        for event in ordered {
            for (name, attribute) in NGSILDEntity.normalized(event) where !NGSILDEntity.reservedMembers.contains(name) {
                if let attributes, !attributes.contains(name) { continue }
                if let object = attribute.objectValue { instances[name, default: []].append(object) }
            }
        }
        var members: [String: JSONValue] = ["id": .string(id), "type": .string(NGSILDEntity.type(of: newest.type))]
        for (name, list) in instances {
            let kept = lastN.map { Array(list.suffix($0)) } ?? list
            members[name] = temporalValues ? simplified(kept) : .array(kept.map(JSONValue.object))
        }
        return members
    }

    /// `{"type": "Property", "values": [[value, time], ...]}`, `"objects"` for a Relationship.
    private static func simplified(_ instances: [[String: JSONValue]]) -> JSONValue {
        let kind = instances.first?["type"]?.stringValue ?? "Property"
        let key = kind == "Relationship" ? "objects" : "values"
        let pairs = instances.map { instance -> JSONValue in
            let value = instance["object"] ?? instance["value"] ?? .null
            return .array([value["@value"] ?? value, instance["observedAt"] ?? .null])
        }
        return .object(["type": .string(kind), key: .array(pairs)])
    }
}
