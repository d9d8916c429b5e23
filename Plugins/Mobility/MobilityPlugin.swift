import HubCore

/// The mobility family of connectors, for the hub's list of compiled-in connectors.
/// A connector of this family is compiled in by one line in `connectors`.
public enum MobilityPlugin: ConnectorFamily {
    /// Every connector of this family: GTFS-Realtime, GBFS, SIRI-Lite and Waze for Cities.
    public static let connectors: [any Connector.Type] = [
        GTFSRealtimeConnector.self,
        GBFSConnector.self,
        SIRILiteConnector.self,
        WazeConnector.self,
    ]
}
