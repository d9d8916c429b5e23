import HubCore

/// Reads The Things Stack v3 uplink messages (MQTT `v3/{application}@{tenant}/devices/{device}/up`,
/// a webhook body, or the same message wrapped in an event-stream `data` member) into one Smart
/// Data Models event per uplink. See `TTN/README.md`.
///
/// The readings are `uplink_message.decoded_payload` (the network server's payload formatter);
/// without one, the base64 `frm_payload` is decoded by the codec the settings give for its
/// `f_port`, or the uplink becomes a dead letter saying so. The best gateway's RSSI and SNR, the
/// gateway id, `f_cnt` and `f_port` are kept as attributes, and `refDevice` names the device.
public struct TTNConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "sensors.ttn"
    /// What the connector reads and yields, for listings.
    public static let summary = "The Things Stack v3 uplink (decoded_payload, or frm_payload through a codec) -> one Smart Data Models event"

    private enum DeviceID: String { case deviceID = "device_id", devEUI = "dev_eui" }

    private let mapper: ObservationMapper
    private let codecs: [String: PayloadCodec]
    private let deviceID: DeviceID

    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(ObservationMapper.settingNames.union(["codecs", "deviceId"]))
        mapper = try ObservationMapper(settings: settings)
        codecs = try PayloadCodec.table(settings)
        let choice = try settings.optionalString("deviceId") ?? DeviceID.devEUI.rawValue
        guard let deviceID = DeviceID(rawValue: choice) else {
            throw SettingsError(path: settings.path(of: "deviceId"), message: "\(ReasonText.quoted(choice)) is neither \"dev_eui\" nor \"device_id\"")
        }
        self.deviceID = deviceID
    }

    /// Turns one uplink into one event, or throws the reason it cannot.
    public func decode(_ envelope: Envelope) throws -> [Event] {
        var message = try PayloadReader.object(envelope.payload, expecting: "a The Things Stack uplink JSON object")
        if message["end_device_ids"] == nil, case .object(let data)? = message["data"] { message = data }
        let ids = try PayloadReader.object(message["end_device_ids"], at: "end_device_ids")
        guard message["uplink_message"] != nil else {
            throw ConnectorError(.unsupported, "not an uplink: the message has no uplink_message (only uplinks carry readings; route join and downlink events elsewhere)")
        }
        let uplink = try PayloadReader.object(message["uplink_message"], at: "uplink_message")
        let device: String
        switch deviceID {
        case .devEUI:
            device = try ids["dev_eui"] == nil ? PayloadReader.string(ids["device_id"], at: "end_device_ids.device_id") : PayloadReader.string(ids["dev_eui"], at: "end_device_ids.dev_eui")
        case .deviceID:
            device = try PayloadReader.string(ids["device_id"], at: "end_device_ids.device_id")
        }
        let port = try PayloadReader.integer(uplink["f_port"], at: "uplink_message.f_port")
        let observedAt = try PayloadReader.time(message["received_at"], at: "received_at")
            ?? PayloadReader.time(uplink["received_at"], at: "uplink_message.received_at") ?? envelope.receivedAt

        let readings: [Reading]
        switch uplink["decoded_payload"] {
        case .object(let decoded)?:
            readings = Self.readings(decoded)
        case nil, .null?:
            readings = try PayloadCodec.decode(base64: uplink["frm_payload"]?.stringValue, port: port, codecs: codecs,
                                               field: "uplink_message.frm_payload")
        case let other?:
            throw PayloadReader.mismatch(other, at: "uplink_message.decoded_payload", expected: "an object")
        }

        let best = RadioMetadata.bestReception(uplink["rx_metadata"]) { $0["gateway_ids"]?["gateway_id"]?.stringValue }
        let radio = RadioMetadata(rssi: best?.rssi, snr: best?.snr, gateway: best?.gateway,
                                  frameCounter: uplink["f_cnt"]?.numberValue, port: port.map(Double.init))
        var location: GeoPoint?
        if let user = uplink["locations"]?["user"], let lat = user["latitude"]?.numberValue, let lon = user["longitude"]?.numberValue {
            location = GeoPoint(latitude: lat, longitude: lon)
        }
        return [try mapper.event(device: device, readings: readings, observedAt: observedAt, envelope: envelope,
                                 location: location, radio: radio)]
    }

    /// The readings of a decoded payload. SenseCAP's formatter lists its measurements in `messages`
    /// as `{"type": "Air Temperature", "measurementValue": 13.3}`: each becomes a reading named in
    /// lower camel case (`airTemperature`), and an entry without `type` gives its own members.
    static func readings(_ decoded: [String: JSONValue]) -> [Reading] {
        guard case .array(let messages)? = decoded["messages"], !messages.isEmpty,
              messages.allSatisfy({ $0.objectValue != nil })
        else { return Reading.all(in: decoded) }
        var flat = decoded
        flat["messages"] = nil
        for case .object(let message) in messages {
            if case .string(let type)? = message["type"], let value = message["measurementValue"] {
                flat[lowerCamelCase(type)] = value
            } else {
                flat.merge(message) { current, _ in current }
            }
        }
        return Reading.all(in: flat)
    }

    /// `Air Temperature` -> `airTemperature`, `UV Index` -> `uvIndex`.
    static func lowerCamelCase(_ text: String) -> String {
        let words = text.split { !$0.isLetter && !$0.isNumber }
        return words.enumerated().map { index, word in
            index == 0 ? word.lowercased() : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined()
    }
}
