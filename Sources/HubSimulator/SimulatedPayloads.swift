import Foundation
import HubCore
import HubServices

/// The payloads `hub simulate` publishes: each format's real shape with plausible drifting values,
/// and the kinds of malformed messages field gateways really send.
public enum SimulatedPayloads {
    /// A well-formed message of `device` observed at `time`.
    public static func wellFormed(_ device: SimulatedDevice, at time: Timestamp, generator: inout SeededGenerator) -> String {
        let iso = time.iso8601
        switch device.format {
        case .ttn:
            // A parking presence sensor: half decode on the network server, half send raw bytes
            // (port 2: presence byte, battery byte) that the route's codec reads.
            let occupied = device.levels[0] > 0.5
            let rssi = -Double(Int(device.value(1, 40, 120, places: 0)))
            let snr = device.value(2, -10, 12)
            let payload = device.index % 2 == 0
                ? "\"f_port\":1,\"decoded_payload\":{\"status\":\"\(occupied ? "occupied" : "free")\"}"
                : "\"f_port\":2,\"frm_payload\":\"\(Data([occupied ? 1 : 0, UInt8(device.value(3, 20, 100, places: 0))]).base64EncodedString())\""
            return """
                {"end_device_ids":{"device_id":"\(device.name)","application_ids":{"application_id":"city-parking"},"dev_eui":"\(device.eui.uppercased())"},\
                "received_at":"\(iso)","uplink_message":{\(payload),"f_cnt":\(device.sent),\
                "rx_metadata":[{"gateway_ids":{"gateway_id":"gw-\(device.index % 5)"},"rssi":\(rssi),"snr":\(snr)}]}}
                """
        case .chirpstack:
            return """
                {"deduplicationId":"\(device.eui)-\(device.sent)","time":"\(iso)",\
                "deviceInfo":{"tenantName":"city","applicationName":"traffic","deviceName":"\(device.name)","devEui":"\(device.eui)"},\
                "fCnt":\(device.sent),"fPort":1,"object":{"intensity":\(device.value(0, 0, 400, places: 0)),\
                "occupancy":\(device.value(1, 0, 1, places: 2)),"averageVehicleSpeed":\(device.value(2, 10, 90))},\
                "rxInfo":[{"gatewayId":"gw-\(device.index % 5)","rssi":\(-Double(Int(device.value(3, 40, 120, places: 0)))),"snr":7.5}]}
                """
        case .senml:
            return """
                [{"bn":"\(device.name):","bt":\(JSONValue.number(time.secondsSinceEpoch).jsonText),"bu":"dB","n":"LAeq","v":\(device.value(0, 40, 80))},\
                {"n":"LAmax","v":\(device.value(0, 40, 80) + device.value(1, 3, 20))}]
                """
        case .json:
            // Air-quality stations stand still: a fixed grid over Lyon, so the dashboard's map has them.
            return """
                {"device":"\(device.name)","observedAt":"\(iso)","no2":\(device.value(0, 5, 120)),"pm10":\(device.value(1, 5, 60)),\
                "pm25":\(device.value(2, 2, 40)),"temperature":\(device.value(3, -5, 35)),"relativeHumidity":\(device.value(1, 20, 95, places: 0)),\
                "lat":\(String(format: "%.5f", 45.74 + Double(device.index % 20) * 0.004)),\
                "lon":\(String(format: "%.5f", 4.80 + Double(device.index / 20 % 20) * 0.006))}
                """
        case .iotaJSON:
            return """
                {"w":\(device.value(0, 0, 50, places: 2)),"f":\(device.value(1, 0, 2, places: 3)),"TimeInstant":"\(iso)"}
                """
        case .iotaUL:
            return "TimeInstant|\(iso)|t|\(device.value(3, -5, 35))|h|\(device.value(1, 0.2, 0.95, places: 2))|n|\(device.value(0, 5, 120))"
        }
    }

    /// A malformed message of `device`, with the topic to send it to: broken JSON, a missing field,
    /// a payload no codec reads, an unknown apikey, an UltraLight group that is not pairs.
    public static func malformed(_ device: SimulatedDevice, generator: inout SeededGenerator) -> (topic: String, payload: String) {
        let topic = device.format.topic(device: device)
        let variant = Int(generator.next() % 2)
        switch (device.format, variant) {
        case (.ttn, 0):
            return (topic, #"{"end_device_ids":{"device_id":"\#(device.name)"},"uplink_message":{"f_port":"#)
        case (.ttn, _):
            return (topic, #"{"end_device_ids":{"device_id":"\#(device.name)","dev_eui":"\#(device.eui)"},"uplink_message":{"f_port":9,"frm_payload":"AQI="}}"#)
        case (.chirpstack, 0):
            return (topic, #"{"time":"2026-11-22T08:00:00Z","object":{"intensity":3}}"#)
        case (.chirpstack, _):
            return (topic, "{\"deviceInfo\":")
        case (.senml, 0):
            return (topic, #"{"bn":"\#(device.name):","v":1}"#)
        case (.senml, _):
            return (topic, "[{\"n\":\"LAeq\",\"v\":")
        case (.json, 0):
            return (topic, #"{"observedAt":"2026-11-22T08:00:00Z","no2":12}"#)
        case (.json, _):
            return (topic, "no2=12")
        case (.iotaJSON, 0):
            return ("/json/unknown-key/\(device.name)/attrs", #"{"w":1}"#)
        case (.iotaJSON, _):
            return (topic, "{\"w\":")
        case (.iotaUL, 0):
            return (topic, "t|15|h")
        case (.iotaUL, _):
            return ("/ul/unknown-key/\(device.name)/attrs", "t|15")
        }
    }
}
