import HubCore

/// One value a device reported, before it is mapped to a Smart Data Model attribute.
struct Reading: Sendable, Hashable {
    /// The name the device (or its decoder) gave it.
    var name: String
    /// The value as reported.
    var value: JSONValue
    /// A unit the source already states (a payload codec's), used when the mapping gives none.
    var unit: String?

    init(_ name: String, _ value: JSONValue, unit: String? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
    }

    /// The readings of a decoded-payload object, in name order.
    static func all(in object: [String: JSONValue]) -> [Reading] {
        object.sorted { $0.key < $1.key }.map { Reading($0.key, $0.value) }
    }
}

/// What a radio network says about how an uplink was heard: kept as attributes of the event and
/// as the device registry's last RSSI.
struct RadioMetadata: Sendable, Hashable {
    /// Received signal strength of the best gateway, in dBm.
    var rssi: Double?
    /// Signal-to-noise ratio of the best gateway, in dB.
    var snr: Double?
    /// The id of the gateway that heard it best.
    var gateway: String?
    /// The LoRaWAN frame counter.
    var frameCounter: Double?
    /// The LoRaWAN port.
    var port: Double?

    /// The best reception among a network server's radio metadata entries, reading `rssi`, `snr`
    /// and the gateway id through `gatewayID`.
    static func bestReception(_ entries: JSONValue?, gatewayID: ([String: JSONValue]) -> String?) -> (rssi: Double?, snr: Double?, gateway: String?)? {
        let receptions = (entries?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            (rssi: entry["rssi"]?.numberValue, snr: entry["snr"]?.numberValue, gateway: gatewayID(entry))
        }
        return best(of: receptions)
    }

    /// The best of several gateways' receptions: the highest RSSI (then SNR).
    static func best(of receptions: [(rssi: Double?, snr: Double?, gateway: String?)]) -> (rssi: Double?, snr: Double?, gateway: String?)? {
        receptions.max { ($0.rssi ?? -.infinity, $0.snr ?? -.infinity) < ($1.rssi ?? -.infinity, $1.snr ?? -.infinity) }
    }
}
