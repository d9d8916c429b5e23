import HubCore

/// The NGSI-LD entity URNs the sensor connectors give their events: `urn:ngsi-ld:{type}:{id}`.
enum EntityURN {
    /// The URN of the entity of a type with an id.
    static func make(type: String, id: String) -> String {
        "urn:ngsi-ld:\(type):\(id)"
    }

    /// Checks an `entityType` setting: a letter, then letters, digits, `_`, `-` or `.`
    /// (so that it reads as an NGSI-LD type name and cannot break the URN it goes into).
    static func validateType(_ type: String, path: String) throws {
        guard let first = type.unicodeScalars.first else {
            throw SettingsError(path: path, message: "must not be empty; give an NGSI-LD type such as \"AirQualityObserved\"")
        }
        let isLetter = { (c: Unicode.Scalar) in ("A"..."Z").contains(c) || ("a"..."z").contains(c) }
        let isAllowed = { (c: Unicode.Scalar) in isLetter(c) || ("0"..."9").contains(c) || "_-.".unicodeScalars.contains(c) }
        guard isLetter(first), type.unicodeScalars.allSatisfy(isAllowed) else {
            throw SettingsError(
                path: path,
                message: "\(ReasonText.quoted(type)) is not a type name: start with a letter and use only letters, digits, \"_\", \"-\" and \".\" (e.g. \"AirQualityObserved\")")
        }
    }
}
