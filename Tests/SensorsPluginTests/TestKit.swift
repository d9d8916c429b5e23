import HubTesting

/// This target's fixtures, envelopes and settings: MQTT messages on route `sensors`.
let testKit = ConnectorTestKit(bundle: .module, route: "sensors", source: .mqtt, origin: "city/sensors/up")
