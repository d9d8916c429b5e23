import HubCore

/// How the hub's events read as NGSI-LD entities (ETSI GS CIM 009 clause 4.5): an entity's latest
/// state in the normalized form, its simplified (`keyValues`) form, and its temporal evolution.
///
/// - every attribute is a Property with `observedAt` (the observation's time) and `unitCode`
///   for a number with a unit; text in ISO 8601 is a DateTime value;
/// - `refDevice` (and any `ref...` attribute holding a URN) is a Relationship;
/// - network metadata (`rssi`, `snr`, `gateway`, `fCnt`, `fPort`) are sub-properties of the
///   `refDevice` Relationship (they describe how the reading reached the hub, not what was observed);
/// - the device watch's `DeviceInactive` / `DeviceActive` events are the device's entity of type
///   `Device`, whose `deviceState` Property is `inactive` or `active`;
/// - the location is the GeoProperty `location`.
enum NGSILDEntity {
    /// Attributes that describe the radio link, kept under `refDevice`.
    static let networkMetadata: Set<String> = ["rssi", "snr", "gateway", "fCnt", "fPort"]
    /// The device watch's event types and the state each one means.
    static let deviceStates = ["DeviceInactive": "inactive", "DeviceActive": "active"]
    /// Names an entity's members use that are not attributes.
    static let reservedMembers: Set<String> = ["id", "type", "@context", "scope", "createdAt", "modifiedAt", "deletedAt"]

    /// The NGSI-LD type of an event's entity.
    static func type(of storeType: String) -> String {
        deviceStates[storeType] == nil ? storeType : "Device"
    }

    /// The store types whose entities have the NGSI-LD `type`.
    static func storeTypes(for type: String) -> [String] {
        type == "Device" ? ["Device"] + deviceStates.keys.sorted() : [type]
    }

    /// The system times `sysAttrs` adds: when the entity was first and last written.
    struct SystemTimes: Sendable {
        var createdAt: Timestamp
        var modifiedAt: Timestamp
    }

    /// An event as an NGSI-LD entity in the normalized form, with system times when given.
    static func normalized(_ event: Event, system: SystemTimes? = nil) -> [String: JSONValue] {
        var members: [String: JSONValue] = ["id": .string(event.entity), "type": .string(type(of: event.type))]
        let observedAt = JSONValue.string(event.observedAt.iso8601)
        let folds = isRelationship("refDevice", event.attributes["refDevice"])
        for (name, value) in event.attributes where !reservedMembers.contains(name) && name != "location" {
            if folds, networkMetadata.contains(name) { continue }
            var attribute = self.attribute(name, value)
            attribute["observedAt"] = observedAt
            if name == "refDevice", folds {
                for metadata in networkMetadata.sorted() {
                    if let value = event.attributes[metadata] { attribute[metadata] = .object(self.attribute(metadata, value)) }
                }
            }
            members[name] = .object(attribute)
        }
        if let state = deviceStates[event.type] {
            members["deviceState"] = .object(["type": .string("Property"), "value": .string(state), "observedAt": observedAt])
        }
        if let location = event.location {
            members["location"] = .object(["type": .string("GeoProperty"), "value": location.geoJSON, "observedAt": observedAt])
        }
        if let system {
            let created = JSONValue.string(system.createdAt.iso8601)
            let modified = JSONValue.string(system.modifiedAt.iso8601)
            for (name, attribute) in members where !reservedMembers.contains(name) {
                guard var object = attribute.objectValue else { continue }
                object["createdAt"] = created
                object["modifiedAt"] = modified
                members[name] = .object(object)
            }
            members["createdAt"] = created
            members["modifiedAt"] = modified
        }
        return members
    }

    /// One attribute without its times: a Relationship for a reference, a Property otherwise.
    static func attribute(_ name: String, _ value: Value) -> [String: JSONValue] {
        if isRelationship(name, value), let object = value.text {
            return ["type": .string("Relationship"), "object": .string(object)]
        }
        var property: [String: JSONValue] = ["type": .string("Property")]
        switch value {
        case .number(let number, let unit):
            property["value"] = .number(number)
            if let unit { property["unitCode"] = .string(unit) }
        case .text(let text):
            property["value"] = isDateTime(text) ? .object(["@type": .string("DateTime"), "@value": .string(text)]) : .string(text)
        case .boolean(let flag): property["value"] = .bool(flag)
        case .json(let json): property["value"] = json
        }
        return property
    }

    /// Whether an attribute is a reference to another entity: `refDevice` or `ref<Name>` holding a URN.
    static func isRelationship(_ name: String, _ value: Value?) -> Bool {
        guard name.hasPrefix("ref"), name.count > 3, name.dropFirst(3).first?.isUppercase == true,
              let text = value?.text else { return false }
        return text.hasPrefix("urn:") || text.hasPrefix("http://") || text.hasPrefix("https://")
    }

    /// Whether text is an ISO 8601 date-time (with a time and a zone, as the hub writes them).
    static func isDateTime(_ text: String) -> Bool {
        text.count >= 20 && text.count <= 40 && text.first?.isNumber == true && Timestamp(iso8601: text) != nil
    }

    /// The simplified form (`options=keyValues`): each attribute's value, a Relationship's object,
    /// a DateTime's text; sub-attributes and times left out.
    static func keyValues(_ normalized: [String: JSONValue]) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for (name, member) in normalized {
            guard !reservedMembers.contains(name), let attribute = member.objectValue else {
                members[name] = member
                continue
            }
            let value = attribute["object"] ?? attribute["value"] ?? .null
            members[name] = value["@value"] ?? value
        }
        return members
    }

    /// The entity with only the attributes named in `attributes` (id, type and system times kept).
    static func projected(_ normalized: [String: JSONValue], to attributes: Set<String>) -> [String: JSONValue] {
        normalized.filter { reservedMembers.contains($0.key) || attributes.contains($0.key) }
    }

    /// The attribute names of an entity in normalized form.
    static func attributeNames(_ normalized: [String: JSONValue]) -> Set<String> {
        Set(normalized.keys.filter { !reservedMembers.contains($0) })
    }
}
