/// The gateway formats `hub simulate` speaks, each with the topic its devices publish to (matching
/// the example routes of config/hub.json).
enum SimulatedFormat: String, CaseIterable, Sendable {
    case ttn, chirpstack, senml, json
    case iotaJSON = "iota-json"
    case iotaUL = "iota-ul"

    /// The apikey of the IoT Agent service groups in config/hub.json.
    static let waterAPIKey = "water-key"
    static let airAPIKey = "air-ul-key"

    /// The MQTT topic a device publishes to.
    func topic(device: SimulatedDevice) -> String {
        switch self {
        case .ttn: "v3/city-parking@ttn/devices/\(device.name)/up"
        case .chirpstack: "application/city-traffic/device/\(device.eui)/event/up"
        case .senml: "city/noise/\(device.name)"
        case .json: "city/air/\(device.name)/reading"
        case .iotaJSON: "/json/\(Self.waterAPIKey)/\(device.name)/attrs"
        case .iotaUL: "/ul/\(Self.airAPIKey)/\(device.name)/attrs"
        }
    }

    /// Parses `ttn,chirpstack,...`.
    static func list(_ text: String) throws -> [SimulatedFormat] {
        let formats = try text.split(separator: ",").map { name in
            guard let format = SimulatedFormat(rawValue: String(name)) else {
                throw UsageError("unknown format \"\(name)\"; known: \(allCases.map(\.rawValue).joined(separator: ","))")
            }
            return format
        }
        guard !formats.isEmpty else { throw UsageError("--formats needs at least one format") }
        return formats
    }
}

/// One simulated device: its name, its LoRaWAN EUI, its format and the drifting state of its readings.
struct SimulatedDevice: Sendable {
    /// The device id, e.g. `sim-ttn-0007`.
    let name: String
    /// A 16-hex-digit EUI derived from its number.
    let eui: String
    /// How it talks.
    let format: SimulatedFormat
    /// Its number in the fleet.
    let index: Int
    /// Readings that drift from one message to the next (a bounded random walk).
    var levels: [Double]
    /// How many messages it has sent.
    var sent = 0

    init(index: Int, format: SimulatedFormat, generator: inout SeededGenerator) {
        self.index = index
        self.format = format
        name = "sim-\(format.rawValue)-" + String(index).leftPadded(to: 4)
        eui = "70b3d5" + String(UInt64(0xE0_0000_0000) + UInt64(index), radix: 16).leftPadded(to: 10)
        levels = (0..<4).map { _ in generator.unit() }
    }

    /// Moves each level a little, keeping it in 0...1.
    mutating func drift(_ generator: inout SeededGenerator) {
        for i in levels.indices { levels[i] = min(1, max(0, levels[i] + (generator.unit() - 0.5) * 0.1)) }
    }

    /// `low...high` scaled by level `i`, rounded to `places` decimals.
    func value(_ i: Int, _ low: Double, _ high: Double, places: Int = 1) -> Double {
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
