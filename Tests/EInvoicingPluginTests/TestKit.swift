import HubTesting

/// This target's fixtures, envelopes and settings: dropped files on route `invoices`.
let testKit = ConnectorTestKit(bundle: .module, route: "invoices", source: .file, origin: "invoice.xml")
