/// A feed-quality finding from the public GTFS-Realtime validator's rules that need no static
/// GTFS (github.com/MobilityData/gtfs-realtime-validator, RULES.md). A warning never stops the
/// feed: it is counted per fetch and kept on the event it concerns.
struct GTFSRealtimeWarning: Hashable, Sendable {
    /// The validator's rule id, e.g. `E002`.
    var rule: String
    /// What was found, for a person.
    var detail: String

    /// `E001 ...: detail`, as events carry it.
    var text: String { "\(rule) \(Self.titles[rule] ?? ""): \(detail)" }

    /// The rule titles, by id.
    static let titles: [String: String] = [
        "E001": "not in POSIX time",
        "E002": "stop_time_updates not strictly sorted by stop_sequence",
        "E012": "header timestamp older than an entity timestamp",
        "E022": "stop_time_update times not increasing",
        "E025": "departure before arrival",
        "E026": "invalid vehicle position",
        "E027": "invalid vehicle bearing",
        "E032": "alert has no informed_entity",
        "W001": "timestamp not populated",
    ]

    /// POSIX seconds a feed may plausibly carry: 2001-09-09 to 2100-01-01. A larger value is
    /// almost always milliseconds, a smaller one a relative or local time.
    static let posixRange: ClosedRange<UInt64> = 1_000_000_000...4_102_444_800
}

/// Checks one decoded feed entity against the validator rules and lists what it finds.
enum GTFSRealtimeQuality {
    static func posix(_ value: UInt64, _ field: @autoclosure () -> String, into warnings: inout [GTFSRealtimeWarning]) {
        if !GTFSRealtimeWarning.posixRange.contains(value) {
            warnings.append(GTFSRealtimeWarning(rule: "E001", detail: "\(field()) is \(value)"))
        }
    }

    static func notAfterHeader(_ value: UInt64, _ field: @autoclosure () -> String, header: UInt64?,
                               into warnings: inout [GTFSRealtimeWarning]) {
        if let header, header > 0, value > header {
            warnings.append(GTFSRealtimeWarning(rule: "E012", detail: "\(field()) \(value) is after header timestamp \(header)"))
        }
    }

    /// The header's own findings.
    static func check(header: GTFSRealtimeFeed.Header) -> [GTFSRealtimeWarning] {
        var warnings: [GTFSRealtimeWarning] = []
        if let timestamp = header.timestamp, timestamp > 0 { posix(timestamp, "header.timestamp", into: &warnings) }
        return warnings
    }

    static func check(vehicle: GTFSRealtimeFeed.VehiclePosition, header: UInt64?) -> [GTFSRealtimeWarning] {
        var warnings: [GTFSRealtimeWarning] = []
        var label: String { "vehicle_id \(vehicle.vehicle?.id ?? "?")" }
        if let timestamp = vehicle.timestamp, timestamp > 0 {
            posix(timestamp, "\(label) timestamp", into: &warnings)
            notAfterHeader(timestamp, "\(label) timestamp", header: header, into: &warnings)
        } else {
            warnings.append(GTFSRealtimeWarning(rule: "W001", detail: "\(label) does not have a timestamp"))
        }
        if let position = vehicle.position {
            let latitude = position.latitude ?? 0, longitude = position.longitude ?? 0
            if !(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180) {
                warnings.append(GTFSRealtimeWarning(rule: "E026", detail: "\(label) position (\(latitude), \(longitude)) is out of range"))
            }
            if let bearing = position.bearing, !(bearing >= 0 && bearing <= 360) {
                warnings.append(GTFSRealtimeWarning(rule: "E027", detail: "\(label) bearing \(bearing) is not within 0-360"))
            }
        }
        return warnings
    }

    static func check(tripUpdate: GTFSRealtimeFeed.TripUpdate, header: UInt64?) -> [GTFSRealtimeWarning] {
        var warnings: [GTFSRealtimeWarning] = []
        var label: String { "trip_id \(tripUpdate.trip?.tripID ?? "?")" }
        if let timestamp = tripUpdate.timestamp, timestamp > 0 {
            posix(timestamp, "\(label) timestamp", into: &warnings)
            notAfterHeader(timestamp, "\(label) timestamp", header: header, into: &warnings)
        } else {
            warnings.append(GTFSRealtimeWarning(rule: "W001", detail: "\(label) does not have a timestamp"))
        }
        var previousSequence: UInt32?
        var previousTime: Int64?
        for update in tripUpdate.stopTimeUpdates {
            var stop: String { "\(label) stop_sequence \(update.stopSequence.map(String.init) ?? "?")" }
            if let sequence = update.stopSequence {
                if let previousSequence, sequence <= previousSequence {
                    warnings.append(GTFSRealtimeWarning(rule: "E002", detail: "\(stop) follows stop_sequence \(previousSequence)"))
                }
                previousSequence = sequence
            }
            let arrival = update.arrival?.time, departure = update.departure?.time
            func follow(_ time: Int64?, _ name: StaticString) {
                guard let time else { return }
                if time > 0 { posix(UInt64(time), "\(stop) \(name).time", into: &warnings) }
                if let previousTime, time < previousTime {
                    warnings.append(GTFSRealtimeWarning(rule: "E022", detail: "\(stop) \(name).time \(time) is before the previous time \(previousTime)"))
                }
                previousTime = time
            }
            follow(arrival, "arrival")
            follow(departure, "departure")
            if let arrival, let departure, departure < arrival {
                warnings.append(GTFSRealtimeWarning(rule: "E025", detail: "\(stop) departure.time \(departure) is before arrival.time \(arrival)"))
            }
        }
        return warnings
    }

    static func check(alert: GTFSRealtimeFeed.Alert, entityID: String) -> [GTFSRealtimeWarning] {
        var warnings: [GTFSRealtimeWarning] = []
        for period in alert.activePeriods {
            if let start = period.start, start > 0 { posix(start, "alert \(entityID) active_period.start", into: &warnings) }
            if let end = period.end, end > 0 { posix(end, "alert \(entityID) active_period.end", into: &warnings) }
        }
        if alert.informedEntities.isEmpty {
            warnings.append(GTFSRealtimeWarning(rule: "E032", detail: "alert \(entityID) does not have an informed_entity"))
        }
        return warnings
    }
}
