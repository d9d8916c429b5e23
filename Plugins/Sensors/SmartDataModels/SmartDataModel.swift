/// The FIWARE Smart Data Models the sensor connectors know by name, with the unit each model
/// gives its measured attributes (UN/CEFACT common codes, as the models' own examples use them).
///
/// When a route's `entityType` is one of these, a reading whose name is an attribute of the model
/// gets the model's unit without any setting; other types work too, they just bring no defaults.
enum SmartDataModel {
    /// Attribute name -> UN/CEFACT unit code (nil: a count, a ratio or a code, which has none).
    static let units: [String: [String: String?]] = [
        "AirQualityObserved": [
            "no2": "GQ", "no": "GQ", "nox": "GQ", "so2": "GQ", "o3": "GQ", "pm10": "GQ", "pm25": "GQ", "pm1": "GQ",
            "co": "GP", "co2": "59", "temperature": "CEL", "relativeHumidity": nil, "windSpeed": "MTS",
            "windDirection": "DD", "precipitation": "MMT", "airQualityIndex": nil,
        ],
        "NoiseLevelObserved": ["LAeq": "2N", "LAmax": "2N", "LAS": "2N", "LAeq_d": "2N", "LAmin": "2N"],
        "ParkingSpot": ["status": nil],
        "TrafficFlowObserved": ["intensity": nil, "occupancy": nil, "averageVehicleSpeed": "KMH", "averageVehicleLength": "MTR"],
        "WaterConsumptionObserved": ["waterConsumption": "LTR", "flow": "G51", "cumulativeWaterConsumption": "MTQ"],
    ]

    /// The values `ParkingSpot.status` may take in the model.
    static let parkingStatuses: Set<String> = ["free", "occupied", "closed", "unknown"]

    /// The model's unit for an attribute; `.some(nil)` when the model knows it without a unit,
    /// nil when the type or the attribute is not one of the models above.
    static func unit(of attribute: String, in type: String) -> String?? {
        units[type]?[attribute]
    }
}
