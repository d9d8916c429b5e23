import HubCore

/// Builds connectors by id from the compiled-in list.
public struct ConnectorCatalog: Sendable {
    /// The compiled-in connector types, in the order they are listed.
    public let types: [any Connector.Type]

    /// A catalog of the given connector types.
    public init(_ types: [any Connector.Type]) { self.types = types }

    /// A catalog of every connector of the given families, family by family.
    public init(families: [any ConnectorFamily.Type]) { self.init(families.flatMap { $0.connectors }) }

    /// The ids of the compiled-in connectors.
    public var ids: [String] { types.map { $0.id } }

    /// The connector type with this id, if compiled in.
    public func type(withID id: String) -> (any Connector.Type)? {
        types.first { $0.id == id }
    }

    /// Makes a connector from its id and settings; `path` names where the settings sit in the config.
    public func make(id: String, settings: JSONValue, path: String = "settings") throws -> any Connector {
        guard let type = type(withID: id) else {
            throw SettingsError(path: path, message: "unknown connector \"\(id)\"; known: \(ids.joined(separator: ", "))")
        }
        return try type.init(settings: Settings(settings, path: path))
    }
}
