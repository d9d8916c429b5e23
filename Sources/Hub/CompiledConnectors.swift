import HubCore
import MobilityPlugin
import EInvoicingPlugin
import SensorsPlugin

extension ConnectorCatalog {
    /// The connectors compiled into this hub: one line per connector. A partner adds theirs here.
    public static let compiledIn = ConnectorCatalog([
        SensorJSONConnector.self,
        SenMLConnector.self,
        TTNConnector.self,
        ChirpStackConnector.self,
        IoTAgentConnector.self,
        GTFSRealtimeConnector.self,
        GBFSConnector.self,
        SIRILiteConnector.self,
        WazeConnector.self,
        UBLConnector.self,
        CIIConnector.self,
        FacturXConnector.self,
        ChorusStatusConnector.self,
    ])
}
