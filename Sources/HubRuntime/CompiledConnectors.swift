import EInvoicingPlugin
import HubCore
import HubServices
import MobilityPlugin
import SensorsPlugin

extension ConnectorCatalog {
    /// The connectors compiled into this hub: every connector of every family, one line per family.
    /// A partner adds a connector with one line in its family's list (`SensorsPlugin.connectors`),
    /// or a family of their own with one line here.
    public static let compiledIn = ConnectorCatalog(families: [
        SensorsPlugin.self,
        MobilityPlugin.self,
        EInvoicingPlugin.self,
    ])
}
