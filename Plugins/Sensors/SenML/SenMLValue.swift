/// The value of a resolved SenML record: one of the four kinds RFC 8428 defines.
public enum SenMLValue: Sendable, Hashable {
    /// A number: the record's `v` plus the pack's base value `bv`.
    case number(Double)
    /// Text, from `vs`.
    case string(String)
    /// A flag, from `vb`.
    case boolean(Bool)
    /// Binary data, from `vd`, kept as the base64url text it arrived as.
    case data(String)
}
