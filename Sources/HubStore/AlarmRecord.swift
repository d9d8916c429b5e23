import HubCore

/// One alarm as the store keeps it: raised by a rule for an entity, perhaps acknowledged by an
/// operator, cleared when the condition stopped. While it is open (not cleared) it is the only one
/// of its rule and entity; a repeat of the condition updates `count`, `value` and `lastObservedAt`.
public struct AlarmRecord: Sendable, Hashable {
    /// Where an alarm is in its lifecycle.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Open, nobody has acknowledged it.
        case raised
        /// Open, an operator has acknowledged it.
        case acknowledged
        /// The condition stopped (it may have been acknowledged before).
        case cleared
    }

    /// The store's id; nil until the alarm is first saved.
    public var id: Int64?
    /// The rule that raised it (`rules[].name`).
    public var rule: String
    /// The rule's severity when it was raised (`AlarmRule.Severity`).
    public var severity: String
    /// The entity in alarm.
    public var entity: String
    /// The type of the event that raised it.
    public var entityType: String
    /// The route of that event.
    public var route: String
    /// The condition and what broke it, in words.
    public var message: String
    /// The latest value found past the limit (thresholds and means); nil for other conditions.
    public var value: Double?
    /// How many evaluations found the condition, the first included.
    public var count: Int
    /// When the hub raised it.
    public var raisedAt: Timestamp
    /// Observation time of the event that raised it.
    public var firstObservedAt: Timestamp
    /// Observation time of the latest event found in alarm (absence: receipt time of the last event).
    public var lastObservedAt: Timestamp
    /// The name of the token of the operator who acknowledged it.
    public var acknowledgedBy: String?
    /// When it was acknowledged.
    public var acknowledgedAt: Timestamp?
    /// When it cleared; nil while open.
    public var clearedAt: Timestamp?
    /// Why it cleared, in words.
    public var clearedReason: String?

    /// A new alarm, not yet saved.
    public init(rule: String, severity: String, entity: String, entityType: String, route: String, message: String,
                value: Double?, raisedAt: Timestamp, observedAt: Timestamp) {
        self.rule = rule
        self.severity = severity
        self.entity = entity
        self.entityType = entityType
        self.route = route
        self.message = message
        self.value = value
        self.count = 1
        self.raisedAt = raisedAt
        self.firstObservedAt = observedAt
        self.lastObservedAt = observedAt
    }

    /// Where it is in its lifecycle.
    public var status: Status {
        if clearedAt != nil { return .cleared }
        return acknowledgedAt == nil ? .raised : .acknowledged
    }

    /// Whether it is not cleared.
    public var isOpen: Bool { clearedAt == nil }

    /// The columns of the `alarms` table a store reads an alarm from, in the order its row reader
    /// takes them (the same table in SQLite and PostgreSQL).
    package static let storedColumns = """
        id, rule, severity, entity, entity_type, route, message, value, count, raised_at, first_observed_at, last_observed_at, \
        acknowledged_by, acknowledged_at, cleared_at, cleared_reason
        """
}

/// Which alarms `AlarmKeeping.alarms(matching:limit:)` reads.
public struct AlarmQuery: Sendable, Hashable {
    /// true: open alarms only; false: cleared ones only (the history); nil: both.
    public var open: Bool?
    /// Severities kept; empty: all.
    public var severities: [String] = []
    /// Routes kept; empty: all.
    public var routes: [String] = []
    /// Routes never shown (the caller may not read them).
    public var hiddenRoutes: [String] = []
    /// Only this entity's alarms.
    public var entity: String?
    /// Only this rule's alarms.
    public var rule: String?
    /// Only alarms whose id is smaller (the next page, newest first).
    public var before: Int64?

    /// Every alarm.
    public init() {}
}
