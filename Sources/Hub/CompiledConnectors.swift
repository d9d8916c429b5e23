import HubCore
import EInvoicingPlugin
import SensorsPlugin

extension ConnectorCatalog {
    /// The connectors compiled into this hub: one line per connector. A partner adds theirs here.
    public static let compiledIn = ConnectorCatalog([
        SensorJSONConnector.self,
        SenMLConnector.self,
        UBLConnector.self,
        CIIConnector.self,
        FacturXConnector.self,
        ChorusStatusConnector.self,
    ])
}
