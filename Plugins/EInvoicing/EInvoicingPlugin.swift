import HubCore

/// The e-invoicing family of connectors, for the hub's list of compiled-in connectors.
public enum EInvoicingPlugin {
    /// Every connector of this family: UBL, CII, Factur-X PDF, and Chorus Pro statuses.
    public static let connectors: [any Connector.Type] = [
        UBLConnector.self, CIIConnector.self, FacturXConnector.self, ChorusStatusConnector.self,
    ]
}
