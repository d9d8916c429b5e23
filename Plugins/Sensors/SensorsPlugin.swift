import HubCore

/// The sensor family of connectors, for the hub's list of compiled-in connectors.
public enum SensorsPlugin {
    /// Every connector of this family: flat JSON readings and SenML packs.
    public static let connectors: [any Connector.Type] = [SensorJSONConnector.self, SenMLConnector.self]
}
