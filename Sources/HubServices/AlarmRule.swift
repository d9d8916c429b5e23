import HubCore

/// One entry of the configuration's `rules[]`: which events it watches (routes, types, an entity
/// pattern), the condition that raises an alarm per entity, and the alarm's severity.
///
/// Rules are evaluated on committed events by the hub's alarm stage (HubRuntime), never on the
/// intake path; see README, "Rules and alarms".
public struct AlarmRule: Sendable, Hashable {
    /// How urgent an alarm is, most urgent first.
    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        case critical, major, minor, warning

        /// Most urgent first.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The roll-up mean a threshold compares instead of each value.
    public enum Mean: String, Sendable, Hashable, CaseIterable {
        /// The mean of the hour (UTC) holding the entity's latest observation.
        case hourly
        /// The mean of the day (UTC) holding the entity's latest observation.
        case daily
    }

    /// A limit on a numeric attribute: `above` (raised when the value is greater) or `below`
    /// (raised when it is less), cleared once the value is back past the limit by `hysteresis`.
    public struct Threshold: Sendable, Hashable {
        /// The numeric attribute compared.
        public var attribute: String
        /// True for `above`, false for `below`.
        public var isUpper: Bool
        /// The limit.
        public var limit: Double
        /// How far back past the limit the value must go for the alarm to clear (0: just not past it).
        public var hysteresis: Double
        /// Compare the hourly or daily mean of the roll-ups instead of each value.
        public var mean: Mean?

        /// A limit on `attribute`: above it when `isUpper`, below it otherwise.
        public init(attribute: String, isUpper: Bool, limit: Double, hysteresis: Double = 0, mean: Mean? = nil) {
            self.attribute = attribute
            self.isUpper = isUpper
            self.limit = limit
            self.hysteresis = hysteresis
            self.mean = mean
        }

        /// Whether `value` breaks the limit.
        public func isBreached(by value: Double) -> Bool { isUpper ? value > limit : value < limit }

        /// Whether `value` is far enough back for an open alarm to clear.
        public func isCleared(by value: Double) -> Bool { isUpper ? value <= limit - hysteresis : value >= limit + hysteresis }

        /// `no2 > 200`, `hourly mean of no2 > 200`.
        public var summary: String {
            let subject = mean.map { "\($0.rawValue) mean of \(attribute)" } ?? attribute
            return "\(subject) \(isUpper ? ">" : "<") \(JSONValue.number(limit).jsonText)"
        }
    }

    /// What raises an alarm for an entity.
    public enum Condition: Sendable, Hashable {
        /// A numeric attribute, or its hourly or daily mean, past a limit.
        case threshold(Threshold)
        /// No event of the rule's types for the entity for this many seconds (by the hub's clock).
        case absence(seconds: Int)
        /// A predicate on the event's attributes.
        case predicate(AlarmPredicate)
    }

    /// Unique among the rules: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The severity of its alarms.
    public var severity: Severity
    /// What an operator reads beside the alarm (optional).
    public var description: String?
    /// Routes watched; empty: every route.
    public var routes: Set<String>
    /// Event types watched; empty: every type (absence rules need at least one).
    public var types: Set<String>
    /// Entities watched, a pattern where `*` stands for any run of characters; nil: every entity.
    public var entityPattern: String?
    /// What raises the alarm.
    public var condition: Condition
    /// For thresholds and predicates: the condition must hold this long, by observation time (or
    /// until the hub's clock passes it, when no event says otherwise) before the alarm is raised.
    public var holdSeconds: Int?

    /// Whether an event of `type` about `entity` through `route` is one the rule watches.
    public func watches(type: String, entity: String, route: String) -> Bool {
        (types.isEmpty || types.contains(type)) && (routes.isEmpty || routes.contains(route))
            && (entityPattern.map { Self.matches(entity, pattern: $0) } ?? true)
    }

    /// The condition in words: `no2 > 200 (clears at 180) for 900 s`, `no TripUpdate for 600 s`.
    public var summary: String {
        var text: String
        switch condition {
        case .threshold(let threshold):
            text = threshold.summary
            if threshold.hysteresis > 0 {
                text += " (clears at \(JSONValue.number(threshold.limit + (threshold.isUpper ? -1 : 1) * threshold.hysteresis).jsonText))"
            }
        case .absence(let seconds): text = "no \(types.sorted().joined(separator: " or ")) for \(seconds) s"
        case .predicate(let predicate): text = predicate.description
        }
        if let holdSeconds { text += " for \(holdSeconds) s" }
        return text
    }

    /// Whether `text` matches `pattern`, where `*` stands for any run of characters (none included).
    public static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return text == pattern }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }
}

extension AlarmRule {
    /// The keys a rule may have.
    static let keys: Set<String> = ["name", "severity", "description", "routes", "types", "entity",
                                    "threshold", "absence", "predicate", "forSeconds"]

    /// Reads one rule of `rules[]`; `routeNames` are the configured routes a rule may name.
    init(settings: Settings, routeNames: Set<String>) throws {
        try settings.rejectUnknownKeys(Self.keys)
        name = try settings.string("name")
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw SettingsError(path: settings.path(of: "name"), message: "\"\(name)\" is not a valid rule name (letters, digits, - _ .)")
        }
        let severityText = try settings.string("severity")
        guard let severity = Severity(rawValue: severityText) else {
            throw SettingsError(path: settings.path(of: "severity"),
                                message: "expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(severityText)\"")
        }
        self.severity = severity
        description = try settings.optionalString("description")
        routes = try settings.nameSet("routes")
        for (index, route) in (try settings.optionalArray("routes") ?? []).enumerated() where !routeNames.contains(route.stringValue ?? "") {
            throw SettingsError(path: "\(settings.path(of: "routes"))[\(index)]",
                                message: "no route is named \"\(route.stringValue ?? "")\"; known: \(routeNames.sorted().joined(separator: ", "))")
        }
        types = try settings.nameSet("types")
        entityPattern = try settings.optionalString("entity")
        if entityPattern?.isEmpty == true {
            throw SettingsError(path: settings.path(of: "entity"), message: "must not be empty (leave it out to watch every entity)")
        }
        holdSeconds = try settings.optionalInteger("forSeconds", in: 1...31_536_000)

        let kinds = ["threshold", "absence", "predicate"].filter { settings.members[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first else {
            let problem = kinds.isEmpty ? "a rule needs a condition" : "a rule has exactly one condition, not \(kinds.joined(separator: " and "))"
            throw SettingsError(path: settings.path, message: "\(problem); known: threshold, absence, predicate")
        }
        switch kind {
        case "threshold":
            condition = .threshold(try Self.threshold(try settings.optionalObject("threshold")!))
        case "absence":
            let absence = try settings.optionalObject("absence")!
            try absence.rejectUnknownKeys(["seconds"])
            guard let seconds = try absence.optionalInteger("seconds", in: 1...31_536_000) else {
                throw SettingsError(path: absence.path(of: "seconds"), message: "required whole number of seconds is missing")
            }
            guard !types.isEmpty else {
                throw SettingsError(path: settings.path(of: "types"), message: "an absence rule names the event types whose absence it watches")
            }
            if holdSeconds != nil {
                throw SettingsError(path: settings.path(of: "forSeconds"), message: "an absence rule's duration is absence.seconds")
            }
            condition = .absence(seconds: seconds)
        default:
            let text = try settings.string("predicate")
            do {
                condition = .predicate(try AlarmPredicate(parsing: text))
            } catch {
                throw SettingsError(path: settings.path(of: "predicate"), message: "\(error)")
            }
        }
    }

    private static func threshold(_ settings: Settings) throws -> Threshold {
        try settings.rejectUnknownKeys(["attribute", "above", "below", "hysteresis", "mean"])
        let attribute = try settings.string("attribute")
        guard !attribute.isEmpty else { throw SettingsError(path: settings.path(of: "attribute"), message: "must not be empty") }
        let above = try settings.optionalNumber("above"), below = try settings.optionalNumber("below")
        guard (above == nil) != (below == nil), let limit = above ?? below else {
            throw SettingsError(path: settings.path, message: "a threshold has exactly one of above and below")
        }
        let hysteresis = try settings.optionalNumber("hysteresis") ?? 0
        guard hysteresis >= 0, hysteresis.isFinite else {
            throw SettingsError(path: settings.path(of: "hysteresis"), message: "must be zero or more")
        }
        var mean: Mean?
        if let text = try settings.optionalString("mean") {
            guard let known = Mean(rawValue: text) else {
                throw SettingsError(path: settings.path(of: "mean"), message: "expected \"hourly\" or \"daily\", found \"\(text)\"")
            }
            mean = known
        }
        return Threshold(attribute: attribute, isUpper: above != nil, limit: limit, hysteresis: hysteresis, mean: mean)
    }

    /// Reads `rules[]`: each rule, unique names.
    static func readAll(_ root: Settings, routeNames: Set<String>) throws -> [AlarmRule] {
        var rules: [AlarmRule] = []
        var names: Set<String> = []
        for (index, entry) in (try root.optionalArray("rules") ?? []).enumerated() {
            let settings = try Settings(entry, path: "rules[\(index)]")
            let rule = try AlarmRule(settings: settings, routeNames: routeNames)
            guard names.insert(rule.name).inserted else {
                throw SettingsError(path: settings.path(of: "name"), message: "another rule is already named \"\(rule.name)\"")
            }
            rules.append(rule)
        }
        return rules
    }
}
