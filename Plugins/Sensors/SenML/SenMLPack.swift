import Foundation
import HubCore

/// A SenML pack in its JSON form (RFC 8428, `application/senml+json`) with every record resolved:
/// base fields applied, names checked, times made absolute.
///
/// Base fields (`bn`, `bt`, `bu`, `bv`, `bs`) apply to the record that carries them and to every
/// later record until a record gives the same base field again. A record's resolved name is
/// `bn` + `n`, its time `bt` + `t` (below 2^28 seconds: relative to `now`), its number `bv` + `v`,
/// its sum `bs` + `s`. Unknown fields are ignored, except those whose label ends in `_`, which
/// must be understood and so make the pack unreadable, as does a `bver` above 10.
public struct SenMLPack: Sendable, Hashable {
    /// The highest SenML version (`bver`) this reader understands: the one RFC 8428 defines.
    public static let supportedVersion = 10
    /// Resolved times below this many seconds (2^28) count from "now" rather than from 1970.
    public static let relativeTimeLimit: Double = 268_435_456

    /// The resolved records, in pack order.
    public var records: [SenMLRecord]

    /// Reads and resolves a JSON pack; `now` is the instant relative times count from.
    /// - Throws: `ConnectorError` saying what is wrong, and in which record.
    public init(parsing payload: Data, now: Timestamp) throws {
        try self.init(PayloadReader.json(payload, expecting: "a SenML pack, a JSON array of records"), now: now)
    }

    /// Resolves a pack already parsed as JSON; `now` is the instant relative times count from.
    /// - Throws: `ConnectorError` saying what is wrong, and in which record.
    public init(_ document: JSONValue, now: Timestamp) throws {
        guard case .array(let elements) = document else {
            let hint = document.objectValue != nil ? " (wrap a single record in [ ])" : ""
            throw ConnectorError(
                .malformedPayload,
                "a SenML pack must be a JSON array of records, found \(ReasonText.typeWithArticle(document))\(hint)")
        }
        guard !elements.isEmpty else {
            throw ConnectorError(.malformedPayload, "the SenML pack is empty: an array with no records")
        }

        var baseName = ""
        var baseTime = 0.0
        var baseUnit: String?
        var baseValue: Double?
        var baseSum: Double?
        var version: Double?
        var records: [SenMLRecord] = []
        records.reserveCapacity(elements.count)

        for (index, element) in elements.enumerated() {
            let record = "record \(index + 1) of \(elements.count)"
            guard case .object(let fields) = element else {
                throw ConnectorError(.malformedPayload, "\(record) is \(ReasonText.describe(element)); a SenML record is a JSON object")
            }
            let reader = SenMLFieldReader(fields: fields, record: record)

            if let raw = fields["bver"] {
                guard case .number(let number) = raw, number == number.rounded(), number >= 1 else {
                    throw ConnectorError(.invalidField, "\(record): \"bver\" must be a positive whole number, found \(ReasonText.describe(raw))")
                }
                if number > Double(Self.supportedVersion) {
                    throw ConnectorError(
                        .unsupported,
                        "unsupported SenML version \(raw.jsonText) (\(record)); this connector reads versions up to \(Self.supportedVersion)")
                }
                if let version, version != number {
                    throw ConnectorError(
                        .invalidField,
                        "\(record) has bver \(raw.jsonText) but an earlier record has bver \(JSONValue.number(version).jsonText); all records of a pack share one version")
                }
                version = number
            }
            if let label = fields.keys.sorted().first(where: { $0.hasSuffix("_") }) {
                throw ConnectorError(
                    .unsupported,
                    "\(record) has field \(ReasonText.quoted(label)), which ends in \"_\" and so must be understood; this connector does not know it")
            }

            if let name = try reader.string("bn") { baseName = name }
            if let time = try reader.number("bt") { baseTime = time }
            if let unit = try reader.string("bu") { baseUnit = unit.isEmpty ? nil : unit }
            if let value = try reader.number("bv") { baseValue = value }
            if let sum = try reader.number("bs") { baseSum = sum }

            let localName = try reader.string("n") ?? ""
            // A record's own unit wins over the base unit; an empty one means "no unit".
            var unit = baseUnit
            if let own = try reader.string("u") { unit = own.isEmpty ? nil : own }
            let sumField = try reader.number("s")
            let updateTime = try reader.number("ut")

            let valueLabels = ["v", "vs", "vb", "vd"].filter { fields[$0] != nil }
            guard valueLabels.count <= 1 else {
                throw ConnectorError(
                    .invalidField,
                    "\(record) has more than one value (\(valueLabels.joined(separator: " and "))); a record carries exactly one of v, vs, vb or vd")
            }
            var value: SenMLValue?
            switch valueLabels.first {
            case "v"?:
                let number = (baseValue ?? 0) + (try reader.number("v") ?? 0)
                guard number.isFinite else {
                    throw ConnectorError(.invalidField, "\(record): the value bv + v is too large for a double")
                }
                value = .number(number)
            case "vs"?: value = try reader.string("vs").map(SenMLValue.string)
            case "vb"?: value = try reader.bool("vb").map(SenMLValue.boolean)
            case "vd"?: value = try reader.string("vd").map(SenMLValue.data)
            default:
                guard sumField != nil else {
                    throw ConnectorError(.missingField, "\(record) has no value: it needs one of v, vs, vb or vd, or a sum s")
                }
            }

            var sum: Double?
            if sumField != nil || baseSum != nil {
                let total = (baseSum ?? 0) + (sumField ?? 0)
                guard total.isFinite else {
                    throw ConnectorError(.invalidField, "\(record): the sum bs + s is too large for a double")
                }
                sum = total
            }

            let name = baseName + localName
            try Self.checkName(name, record: record)

            let time = try Self.time(baseTime + (try reader.number("t") ?? 0), now: now, record: record)

            records.append(SenMLRecord(baseName: baseName, localName: localName, unit: unit, value: value, sum: sum,
                                       time: time, updateTime: updateTime))
        }
        self.records = records
    }

    // MARK: - Names and times

    /// Checks a resolved name against RFC 8428 section 4.5.1: not empty, only `A-Z a-z 0-9 - : . / _`,
    /// and starting with a letter or digit.
    private static func checkName(_ name: String, record: String) throws {
        guard let first = name.unicodeScalars.first else {
            throw ConnectorError(
                .missingField,
                "\(record) has no name: neither it nor an earlier record gives a base name bn, and it has no n")
        }
        let isAlphanumeric = { (c: Unicode.Scalar) in
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c)
        }
        let rule = "(SenML names use only A-Z a-z 0-9 - : . / _ and start with a letter or digit)"
        guard isAlphanumeric(first) else {
            throw ConnectorError(.invalidField, "\(record): name \(ReasonText.quoted(name)) does not start with a letter or digit \(rule)")
        }
        if let bad = name.unicodeScalars.first(where: { !isAlphanumeric($0) && !"-:./_".unicodeScalars.contains($0) }) {
            throw ConnectorError(
                .invalidField,
                "\(record): name \(ReasonText.quoted(name)) has the character \(ReasonText.quoted(String(bad))), which is not allowed \(rule)")
        }
    }

    /// The instant of a resolved time `bt` + `t` in seconds: since 1970, or relative to `now` below 2^28.
    private static func time(_ seconds: Double, now: Timestamp, record: String) throws -> Timestamp {
        if seconds >= relativeTimeLimit {
            guard let time = Timestamp(secondsSinceEpoch: seconds) else {
                throw ConnectorError(
                    .invalidField,
                    "\(record): time bt + t = \(JSONValue.number(seconds).jsonText) seconds since 1970 is not a date in years 1 to 9999")
            }
            return time
        }
        // Relative: keep within about 285 years of now, so that the microseconds fit comfortably.
        let micros = (seconds * 1_000_000).rounded()
        guard micros.magnitude < 9e15 else {
            throw ConnectorError(
                .invalidField,
                "\(record): relative time bt + t = \(JSONValue.number(seconds).jsonText) seconds from now is too far in the past")
        }
        let (sum, overflow) = now.microsecondsSinceEpoch.addingReportingOverflow(Int64(micros))
        guard !overflow, Timestamp(secondsSinceEpoch: Double(sum) / 1_000_000) != nil else {
            throw ConnectorError(
                .invalidField,
                "\(record): relative time bt + t = \(JSONValue.number(seconds).jsonText) seconds from now is not a date in years 1 to 9999")
        }
        return Timestamp(microsecondsSinceEpoch: sum)
    }
}
