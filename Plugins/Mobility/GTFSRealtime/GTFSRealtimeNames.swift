/// The names gtfs-realtime.proto gives its enum values, for event attributes; a number the schema
/// does not name (a newer producer) is kept as its number.
enum GTFSRealtimeNames {
    static let incrementality = ["FULL_DATASET", "DIFFERENTIAL"]
    static let vehicleStopStatus = ["INCOMING_AT", "STOPPED_AT", "IN_TRANSIT_TO"]
    static let congestionLevel = ["UNKNOWN_CONGESTION_LEVEL", "RUNNING_SMOOTHLY", "STOP_AND_GO", "CONGESTION", "SEVERE_CONGESTION"]
    static let occupancyStatus = [
        "EMPTY", "MANY_SEATS_AVAILABLE", "FEW_SEATS_AVAILABLE", "STANDING_ROOM_ONLY", "CRUSHED_STANDING_ROOM_ONLY",
        "FULL", "NOT_ACCEPTING_PASSENGERS", "NO_DATA_AVAILABLE", "NOT_BOARDABLE",
    ]
    static let stopScheduleRelationship = ["SCHEDULED", "SKIPPED", "NO_DATA", "UNSCHEDULED"]
    static let tripScheduleRelationship = [
        "SCHEDULED", "ADDED", "UNSCHEDULED", "CANCELED", "", "REPLACEMENT", "DUPLICATED", "DELETED", "NEW",
    ]
    /// Alert causes start at 1.
    static let cause = [
        "", "UNKNOWN_CAUSE", "OTHER_CAUSE", "TECHNICAL_PROBLEM", "STRIKE", "DEMONSTRATION", "ACCIDENT", "HOLIDAY",
        "WEATHER", "MAINTENANCE", "CONSTRUCTION", "POLICE_ACTIVITY", "MEDICAL_EMERGENCY", "SPECIAL_EVENT",
    ]
    /// Alert effects start at 1.
    static let effect = [
        "", "NO_SERVICE", "REDUCED_SERVICE", "SIGNIFICANT_DELAYS", "DETOUR", "ADDITIONAL_SERVICE", "MODIFIED_SERVICE",
        "OTHER_EFFECT", "UNKNOWN_EFFECT", "STOP_MOVED", "NO_EFFECT", "ACCESSIBILITY_ISSUE",
    ]
    /// Alert severity levels start at 1.
    static let severityLevel = ["", "UNKNOWN_SEVERITY", "INFO", "WARNING", "SEVERE"]

    /// The name of `value` in `names`, or the number as text when the list does not name it.
    static func name(_ value: UInt64, in names: [String]) -> String {
        if value < UInt64(names.count), !names[Int(value)].isEmpty { return names[Int(value)] }
        return String(value)
    }
}
