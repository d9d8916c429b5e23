import HubCore

/// The e-invoicing family of connectors, for the hub's list of compiled-in connectors.
/// A connector of this family is compiled in by one line in `connectors`.
public enum EInvoicingPlugin: ConnectorFamily {
    /// Every connector of this family: UBL, CII, Factur-X PDF, and Chorus Pro statuses.
    public static let connectors: [any Connector.Type] = [
        UBLConnector.self,
        CIIConnector.self,
        FacturXConnector.self,
        ChorusStatusConnector.self,
    ]
}
