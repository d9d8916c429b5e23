import HubCore

/// Reads ChirpStack v4 uplink events (JSON on `application/{id}/device/{devEui}/event/up`, or an
/// HTTP integration body) into one Smart Data Models event per uplink. See `ChirpStack/README.md`.
///
/// The readings are `object` (the device profile's codec); without one, the base64 `data` is decoded
/// by the codec the settings give for its `fPort`, or the uplink becomes a dead letter saying so.
public struct ChirpStackConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "sensors.chirpstack"
    /// What the connector reads and yields, for listings.
    public static let summary = "ChirpStack v4 up event (object, or data through a codec) -> one Smart Data Models event"

    private let mapper: ObservationMapper
    private let codecs: [String: PayloadCodec]
    private let useDeviceName: Bool

    /// Builds the connector from a route's settings; throws `SettingsError` naming the bad setting.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(ObservationMapper.settingNames.union(["codecs", "deviceId"]))
        mapper = try ObservationMapper(settings: settings)
        codecs = try PayloadCodec.table(settings)
        switch try settings.optionalString("deviceId") ?? "devEui" {
        case "devEui": useDeviceName = false
        case "deviceName": useDeviceName = true
        case let other:
            throw SettingsError(path: settings.path(of: "deviceId"), message: "\(ReasonText.quoted(other)) is neither \"devEui\" nor \"deviceName\"")
        }
    }

    /// Turns one up event into one event, or throws the reason it cannot.
    public func decode(_ envelope: Envelope) throws -> [Event] {
        let message = try PayloadReader.object(envelope.payload, expecting: "a ChirpStack up event JSON object")
        let info = try PayloadReader.object(message["deviceInfo"], at: "deviceInfo")
        let idKey = useDeviceName ? "deviceName" : "devEui"
        let device = try PayloadReader.string(info[idKey], at: "deviceInfo.\(idKey)")
        let port = try PayloadReader.integer(message["fPort"], at: "fPort")
        let observedAt = try PayloadReader.time(message["time"], at: "time") ?? envelope.receivedAt

        let readings: [Reading]
        switch message["object"] {
        case .object(let decoded)?:
            readings = Reading.all(in: decoded)
        case nil, .null?:
            readings = try PayloadCodec.decode(base64: message["data"]?.stringValue, port: port, codecs: codecs, field: "data")
        case let other?:
            throw PayloadReader.mismatch(other, at: "object", expected: "an object")
        }
        let best = RadioMetadata.bestReception(message["rxInfo"]) { $0["gatewayId"]?.stringValue }
        let radio = RadioMetadata(rssi: best?.rssi, snr: best?.snr, gateway: best?.gateway,
                                  frameCounter: message["fCnt"]?.numberValue, port: port.map(Double.init))
        return [try mapper.event(device: device, readings: readings, observedAt: observedAt, envelope: envelope, radio: radio)]
    }
}
