import HubCore

/// The sensor family of connectors, for the hub's list of compiled-in connectors.
/// A connector of this family is compiled in by one line in `connectors`.
public enum SensorsPlugin: ConnectorFamily {
    /// Every connector of this family: flat JSON readings, SenML packs, LoRaWAN network servers
    /// (The Things Stack, ChirpStack) and FIWARE IoT Agent measures.
    public static let connectors: [any Connector.Type] = [
        SensorJSONConnector.self,
        SenMLConnector.self,
        TTNConnector.self,
        ChirpStackConnector.self,
        IoTAgentConnector.self,
    ]
}
