import Foundation
import HubCore

/// Turns a SIRI-Lite StopMonitoring JSON response, as French transport authorities publish it
/// (`Siri.ServiceDelivery.StopMonitoringDelivery[].MonitoredStopVisit[]`, values wrapped as
/// `{"value": ...}`), into `StopVisit` events with aimed and expected times and the delay between
/// them; see `SIRILite/README.md`. A visit whose content did not change since the last poll yields nothing.
public struct SIRILiteConnector: Connector {
    /// The id routes use to name this connector.
    public static let id = "mobility.siri-lite"
    /// What the connector reads and yields, for listings.
    public static let summary = "SIRI-Lite StopMonitoring JSON -> StopVisit events (aimed/expected times, delay)"

    private let language: String?
    private var lastVisits: [String: String] = [:]

    /// Builds the connector: `language` (optional) picks which of several translated names
    /// (`{"value": ..., "lang": ...}`) to keep; without it, the first one.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["language"])
        language = try settings.optionalString("language")
    }

    /// A SIRI text: a string, `{"value": "..."}`, or a list of those (one per language).
    private func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .object(let members)?: return members["value"].flatMap { text($0) }
        case .array(let entries)?:
            if let language, let match = entries.first(where: { $0["lang"]?.stringValue == language }) { return text(match) }
            return entries.lazy.compactMap { self.text($0) }.first
        default: return nil
        }
    }

    /// Decodes one StopMonitoring response.
    public mutating func decode(_ envelope: Envelope) throws -> [Event] {
        let document = try PayloadReader.object(envelope.payload, expecting: "a SIRI-Lite StopMonitoring document")
        let siri = try PayloadReader.object(document["Siri"], at: "Siri")
        let delivery = try PayloadReader.object(siri["ServiceDelivery"], at: "Siri.ServiceDelivery")
        let stopDeliveries = try PayloadReader.array(delivery["StopMonitoringDelivery"], at: "Siri.ServiceDelivery.StopMonitoringDelivery")
        let responseTime = try PayloadReader.time(delivery["ResponseTimestamp"], at: "Siri.ServiceDelivery.ResponseTimestamp", allowingEpochSeconds: true)
        var events: [Event] = []
        var seen: [String: String] = [:]
        for (deliveryIndex, stopDelivery) in stopDeliveries.enumerated() {
            let deliveryPath = "Siri.ServiceDelivery.StopMonitoringDelivery[\(deliveryIndex)]"
            _ = try PayloadReader.object(stopDelivery, at: deliveryPath)
            let visits = try stopDelivery["MonitoredStopVisit"].map { try PayloadReader.array($0, at: "\(deliveryPath).MonitoredStopVisit") } ?? []
            for (index, visit) in visits.enumerated() {
                let path = "\(deliveryPath).MonitoredStopVisit[\(index)]"
                _ = try PayloadReader.object(visit, at: path)
                guard let stop = text(visit["MonitoringRef"]) else { throw ConnectorError(.missingField, "\(path).MonitoringRef is missing") }
                let journey = try PayloadReader.object(visit["MonitoredVehicleJourney"], at: "\(path).MonitoredVehicleJourney")
                let call = try PayloadReader.object(journey["MonitoredCall"], at: "\(path).MonitoredVehicleJourney.MonitoredCall")
                let callPath = "\(path).MonitoredVehicleJourney.MonitoredCall"
                let journeyRef = text(journey["FramedVehicleJourneyRef"]?["DatedVehicleJourneyRef"])
                let item = text(visit["ItemIdentifier"]) ?? journeyRef ?? "\(stop)#\(index)"
                let content = visit.jsonText
                seen[item] = content
                guard lastVisits[item] != content else { continue }

                var attributes: [String: Value] = ["stopId": .text(stop), "itemId": .text(item)]
                attributes["lineId"] = text(journey["LineRef"]).map(Value.text)
                attributes["operatorId"] = text(journey["OperatorRef"]).map(Value.text)
                attributes["direction"] = text(journey["DirectionName"]).map(Value.text)
                attributes["destination"] = text(journey["DestinationName"]).map(Value.text)
                attributes["journeyId"] = journeyRef.map(Value.text)
                attributes["stopName"] = text(call["StopPointName"]).map(Value.text)
                attributes["arrivalStatus"] = text(call["ArrivalStatus"]).map(Value.text)
                attributes["departureStatus"] = text(call["DepartureStatus"]).map(Value.text)
                attributes["vehicleAtStop"] = call["VehicleAtStop"]?.boolValue.map(Value.boolean)
                var anyTime = false
                for kind in ["Arrival", "Departure"] {
                    let aimed = try PayloadReader.time(call["Aimed\(kind)Time"], at: "\(callPath).Aimed\(kind)Time", allowingEpochSeconds: true)
                    let expected = try PayloadReader.time(call["Expected\(kind)Time"], at: "\(callPath).Expected\(kind)Time", allowingEpochSeconds: true)
                    let name = kind.lowercased()
                    attributes["aimed\(kind)"] = aimed.map { .text($0.iso8601) }
                    attributes["expected\(kind)"] = expected.map { .text($0.iso8601) }
                    if let aimed, let expected {
                        let seconds = Double(expected.microsecondsSinceEpoch - aimed.microsecondsSinceEpoch) / 1e6
                        attributes["\(name)Delay"] = .number(seconds, unit: "SEC")
                    }
                    anyTime = anyTime || aimed != nil || expected != nil
                }
                guard anyTime else {
                    throw ConnectorError(.missingField, "\(callPath) has no aimed or expected arrival or departure time")
                }
                let recorded = try PayloadReader.time(visit["RecordedAtTime"], at: "\(path).RecordedAtTime", allowingEpochSeconds: true)
                events.append(Event(type: "StopVisit", entity: "urn:ngsi-ld:StopPoint:\(stop)",
                                    observedAt: recorded ?? responseTime ?? envelope.receivedAt,
                                    receivedAt: envelope.receivedAt, route: envelope.route, attributes: attributes,
                                    key: item + "#" + content))
            }
        }
        lastVisits = seen
        return events
    }
}
