import HubCore

/// One SenML record with the pack's base fields applied (RFC 8428 section 4.6, "resolved"):
/// a full name, a unit, an absolute time, and its value and/or sum.
public struct SenMLRecord: Sendable, Hashable {
    /// The base name in effect for this record (`bn`, as written; empty when none).
    public var baseName: String
    /// The record's own name (`n`, as written; empty when none).
    public var localName: String
    /// The unit, SenML's symbol as written (`u`, or else `bu`); nil when neither is given.
    public var unit: String?
    /// The value, when the record has one (it may carry only a sum).
    public var value: SenMLValue?
    /// The integrated sum (`bs` + `s`), when the record or the pack gives one.
    public var sum: Double?
    /// When the value was measured: `bt` + `t`, taken relative to the receiving time when below 2^28.
    public var time: Timestamp
    /// The longest time in seconds before the sensor reports again (`ut`), when given.
    public var updateTime: Double?

    /// The resolved name, the base name followed by the record's name.
    public var name: String { baseName + localName }

    /// Creates a resolved record.
    public init(baseName: String, localName: String, unit: String?, value: SenMLValue?, sum: Double?,
                time: Timestamp, updateTime: Double? = nil) {
        self.baseName = baseName
        self.localName = localName
        self.unit = unit
        self.value = value
        self.sum = sum
        self.time = time
        self.updateTime = updateTime
    }
}
