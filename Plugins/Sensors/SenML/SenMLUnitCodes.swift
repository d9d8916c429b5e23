/// SenML unit symbols (RFC 8428 section 12.1 and RFC 8798) and the UN/CEFACT Recommendation 20
/// common codes that events carry. Only unambiguous equivalents are listed; any other SenML unit
/// is kept as its SenML symbol.
enum SenMLUnitCodes {
    /// The UN/CEFACT common code for a SenML unit symbol, or nil when none is listed.
    static func cefactCode(forSenMLUnit unit: String) -> String? {
        codes[unit]
    }

    /// The table, SenML symbol to UN/CEFACT code.
    static let codes: [String: String] = [
        // Temperature
        "Cel": "CEL", "K": "KEL",
        // Ratios (relative humidity is a percentage too)
        "%": "P1", "%RH": "P1", "ppm": "59", "ppb": "61",
        // Pressure
        "Pa": "PAL", "hPa": "A97", "kPa": "KPA",
        // Length, area, volume, mass, density
        "m": "MTR", "mm": "MMT", "cm": "CMT", "km": "KMT", "m2": "MTK", "m3": "MTQ", "l": "LTR",
        "kg": "KGM", "g": "GRM", "kg/m3": "KMQ", "ug/m3": "GQ", "mg/m3": "GP",
        // Time and frequency
        "s": "SEC", "ms": "C26", "min": "MIN", "h": "HUR", "Hz": "HTZ", "kHz": "KHZ", "MHz": "MHZ",
        // Speed, acceleration, flow
        "m/s": "MTS", "km/h": "KMH", "m/s2": "MSK", "m3/s": "MQS",
        // Electricity, energy, power
        "V": "VLT", "mV": "2Z", "A": "AMP", "mA": "4K", "Ah": "AMH", "W": "WTT", "kW": "KWT",
        "Wh": "WHR", "kWh": "KWH", "J": "JOU", "C": "COU", "F": "FAR", "Ohm": "OHM", "S": "SIE",
        "Wb": "WEB", "T": "D33", "W/m2": "D54",
        // Light, sound, radiation, amount of substance, angle, force, data
        "lx": "LUX", "lm": "LUM", "cd": "CDL", "dB": "2N", "Bq": "BQL", "Gy": "A95", "Sv": "D13",
        "mol": "C34", "rad": "C81", "sr": "D27", "deg": "DD", "N": "NEW", "B": "AD",
    ]
}
