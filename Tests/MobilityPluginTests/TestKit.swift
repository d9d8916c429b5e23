import HubTesting

/// This target's fixtures, envelopes and settings: feed bodies on route `mobility`.
let testKit = ConnectorTestKit(bundle: .module, route: "mobility", source: .feed, origin: "https://partner.example/feed")
