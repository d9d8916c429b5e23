import HubServices

/// The gateway formats `hub simulate` speaks, each with the topic its devices publish to (matching
/// the example routes of config/hub.json).
public enum SimulatedFormat: String, CaseIterable, Sendable {
    /// The Things Stack v3 uplinks (parking presence).
    case ttn
    /// ChirpStack v4 `up` events (traffic counts).
    case chirpstack
    /// SenML packs (noise levels).
    case senml
    /// Flat JSON readings (air quality).
    case json
    /// FIWARE IoT Agent JSON measures (water meters).
    case iotaJSON = "iota-json"
    /// FIWARE IoT Agent UltraLight 2.0 measures (air quality).
    case iotaUL = "iota-ul"

    /// The apikey of config/hub.json's IoT Agent JSON service group (water meters).
    public static let waterAPIKey = "water-key"
    /// The apikey of config/hub.json's IoT Agent UltraLight service group (air quality).
    public static let airAPIKey = "air-ul-key"

    /// The MQTT topic a device publishes to.
    public func topic(device: SimulatedDevice) -> String {
        switch self {
        case .ttn: "v3/city-parking@ttn/devices/\(device.name)/up"
        case .chirpstack: "application/city-traffic/device/\(device.eui)/event/up"
        case .senml: "city/noise/\(device.name)"
        case .json: "city/air/\(device.name)/reading"
        case .iotaJSON: "/json/\(Self.waterAPIKey)/\(device.name)/attrs"
        case .iotaUL: "/ul/\(Self.airAPIKey)/\(device.name)/attrs"
        }
    }
}

/// One simulated device: its name, its LoRaWAN EUI, its format and the drifting state of its readings.
public struct SimulatedDevice: Sendable {
    /// The device id, e.g. `sim-ttn-0007`.
    public let name: String
    /// A 16-hex-digit EUI derived from its number.
    public let eui: String
    /// How it talks.
    public let format: SimulatedFormat
    /// Its number in the fleet.
    public let index: Int
    /// Readings that drift from one message to the next (a bounded random walk).
    public var levels: [Double]
    /// How many messages it has sent.
    public var sent = 0

    /// Device number `index` of the fleet, speaking `format`, its levels drawn from `generator`.
    public init(index: Int, format: SimulatedFormat, generator: inout SeededGenerator) {
        self.index = index
        self.format = format
        name = "sim-\(format.rawValue)-" + String(index).leftPadded(to: 4)
        eui = "70b3d5" + String(UInt64(0xE0_0000_0000) + UInt64(index), radix: 16).leftPadded(to: 10)
        levels = (0..<4).map { _ in generator.unit() }
    }

    /// Moves each level a little, keeping it in 0...1.
    public mutating func drift(_ generator: inout SeededGenerator) {
        for i in levels.indices { levels[i] = min(1, max(0, levels[i] + (generator.unit() - 0.5) * 0.1)) }
    }

    /// `low...high` scaled by level `i`, rounded to `places` decimals.
    public func value(_ i: Int, _ low: Double, _ high: Double, places: Int = 1) -> Double {
        let scale = [1.0, 10, 100, 1000][places]
        return ((low + (high - low) * levels[i]) * scale).rounded() / scale
    }
}

extension String {
    /// The text with zeros in front up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
