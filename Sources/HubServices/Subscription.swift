import Foundation
import HubCore

/// One entry of the configuration's `subscriptions[]`: which committed events a partner wants
/// (`Filter`) and where they go (`Target`), with how far behind it may fall (`maxLag`, `onLagLimit`).
///
/// Each event it matches is recorded in the store's outbox in the same transaction as the event,
/// and removed only once the target acknowledged it; see README, "Outbound deliveries".
public struct Subscription: Sendable, Hashable {
    /// Which committed events a subscription takes. Every list left empty matches everything.
    public struct Filter: Sendable, Hashable {
        /// Event types taken; empty: every type.
        public var types: Set<String> = []
        /// Routes taken; empty: every route.
        public var routes: Set<String> = []
        /// Entities taken, a pattern where `*` stands for any run of characters; nil: every entity.
        public var entityPattern: String?
        /// Attributes of which an event must carry at least one; empty: any event.
        public var attributes: Set<String> = []
        /// When not empty, only alarm events (`AlarmRaised`, `AlarmAcknowledged`, `AlarmCleared`)
        /// whose `severity` is one of these.
        public var severities: Set<AlarmRule.Severity> = []

        /// A filter taking every event.
        public init() {}

        /// The alarm events' types, which `severities` select among.
        public static let alarmEventTypes: Set<String> = ["AlarmRaised", "AlarmAcknowledged", "AlarmCleared"]

        /// Whether `event` is one the subscription takes.
        public func matches(_ event: Event) -> Bool {
            guard types.isEmpty || types.contains(event.type), routes.isEmpty || routes.contains(event.route) else { return false }
            if let entityPattern, !AlarmRule.matches(event.entity, pattern: entityPattern) { return false }
            if !attributes.isEmpty, !attributes.contains(where: { event.attributes[$0] != nil }) { return false }
            if !severities.isEmpty {
                guard Self.alarmEventTypes.contains(event.type), case .text(let text)? = event.attributes["severity"],
                      let severity = AlarmRule.Severity(rawValue: text), severities.contains(severity) else { return false }
            }
            return true
        }
    }

    /// How an HTTP target is retried: the first delay after a failure, doubled after each further
    /// failure up to `maxDelay`, each delay drawn at random between its half and itself (jitter).
    public struct RetryPolicy: Sendable, Hashable {
        /// The delay after the first failure.
        public var initialDelay: Duration = .seconds(1)
        /// The cap of the delays.
        public var maxDelay: Duration = .seconds(60)
        /// Failing for this long without a success pauses the subscription (reported, still tried
        /// every `maxDelay`, resumed by the first success).
        public var pauseAfter: Duration = .seconds(3600)

        /// The default policy: 1 s doubling to 60 s, paused after an hour of failures.
        public init() {}

        /// The delay before attempt `failures + 1`, after `failures` (1 or more) failures in a row;
        /// `unit` is a random number in 0..<1.
        public func delay(afterFailures failures: Int, unit: Double) -> Duration {
            let initial = initialDelay.timeInterval, cap = maxDelay.timeInterval
            let full = min(cap, initial * pow(2, Double(min(max(failures - 1, 0), 40))))
            return .milliseconds(Int((full / 2 + full / 2 * unit) * 1000))
        }
    }

    /// A partner's webhook, called with POST.
    public struct HTTPTarget: Sendable, Hashable {
        /// The endpoint (http or https).
        public var url: URL
        /// The HMAC-SHA256 key of the signature header, from the environment (`${VAR}`); nil: unsigned.
        public var secret: String?
        /// How long one request may take, connection included.
        public var timeout: Duration = .seconds(10)
        /// How failures are retried.
        public var retry = RetryPolicy()

        /// A target at `url`.
        public init(url: URL) { self.url = url }
    }

    /// A topic on the hub's MQTT broker.
    public struct MQTTTarget: Sendable, Hashable {
        /// The topic template, `{type}`, `{entity}` and `{route}` replaced by the event's.
        public var topic: String
        /// Whether each message is retained, so that a new subscriber gets each topic's latest state.
        public var retain = false

        /// A target publishing on `topic`.
        public init(topic: String) { self.topic = topic }

        /// The topic of `event`: the template with its placeholders replaced; characters MQTT
        /// reserves (`+`, `#`, `/` inside a value) become `_`.
        public func topic(for event: Event) -> String {
            func clean(_ text: String) -> String { String(text.map { "+#/".contains($0) ? "_" : $0 }) }
            return topic.replacingOccurrences(of: "{type}", with: clean(event.type))
                .replacingOccurrences(of: "{entity}", with: clean(event.entity))
                .replacingOccurrences(of: "{route}", with: clean(event.route))
        }
    }

    /// Where the events go.
    public enum Target: Sendable, Hashable {
        /// A partner's webhook.
        case http(HTTPTarget)
        /// A topic template on the hub's broker.
        case mqtt(MQTTTarget)
    }

    /// What happens to a subscription whose outbox holds `maxLag` events.
    public enum LagPolicy: String, Sendable, Hashable, CaseIterable {
        /// New events are not recorded for it (each counted as dropped) until its lag is back
        /// under the limit; what it holds is kept and delivered.
        case pause
        /// The oldest events it holds are removed to make room (each counted as dropped).
        case dropOldest
    }

    /// Unique among the subscriptions: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// Which events it takes.
    public var filter: Filter
    /// Where they go.
    public var target: Target
    /// The most events its outbox holds.
    public var maxLag = 100_000
    /// What happens at `maxLag`.
    public var onLagLimit = LagPolicy.pause
    /// The most events one delivery carries.
    public var batchSize = 100

    /// A subscription named `name`.
    public init(name: String, filter: Filter = Filter(), target: Target) {
        self.name = name
        self.filter = filter
        self.target = target
    }
}

extension Subscription {
    /// Whether `name` is a valid subscription (or rule, or route) name: letters, digits, `-`, `_`, `.`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// Reads one entry of `subscriptions[]` (or the body of `POST /api/v1/subscriptions`);
    /// `routeNames` are the routes its filter may name.
    public init(settings: Settings, routeNames: Set<String>) throws {
        try settings.rejectUnknownKeys(["name", "filter", "http", "mqtt", "maxLag", "onLagLimit", "batchSize"])
        name = try settings.string("name")
        guard Self.isValidName(name) else {
            throw SettingsError(path: settings.path(of: "name"), message: "\"\(name)\" is not a valid subscription name (letters, digits, - _ .)")
        }
        filter = try settings.optionalObject("filter").map { try Self.filter($0, routeNames: routeNames) } ?? Filter()
        let kinds = ["http", "mqtt"].filter { settings.members[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let target = try settings.optionalObject(kind) else {
            let problem = kinds.isEmpty ? "a subscription needs a target" : "a subscription has exactly one target, not http and mqtt"
            throw SettingsError(path: settings.path, message: "\(problem); known: http, mqtt")
        }
        self.target = kind == "http" ? .http(try Self.http(target)) : .mqtt(try Self.mqtt(target))
        if let lag = try settings.optionalInteger("maxLag", in: 1...100_000_000) { maxLag = lag }
        if let policy = try settings.optionalString("onLagLimit") {
            guard let known = LagPolicy(rawValue: policy) else {
                throw SettingsError(path: settings.path(of: "onLagLimit"),
                                    message: "expected \"pause\" or \"dropOldest\", found \"\(policy)\"")
            }
            onLagLimit = known
        }
        if let size = try settings.optionalInteger("batchSize", in: 1...1000) { batchSize = size }
    }

    private static func filter(_ settings: Settings, routeNames: Set<String>) throws -> Filter {
        try settings.rejectUnknownKeys(["types", "routes", "entity", "attributes", "severities"])
        var filter = Filter()
        filter.types = try settings.nameSet("types")
        filter.routes = try settings.nameSet("routes")
        for (index, route) in (try settings.optionalArray("routes") ?? []).enumerated() where !routeNames.contains(route.stringValue ?? "") {
            throw SettingsError(path: "\(settings.path(of: "routes"))[\(index)]",
                                message: "no route is named \"\(route.stringValue ?? "")\"; known: \(routeNames.sorted().joined(separator: ", "))")
        }
        filter.entityPattern = try settings.optionalString("entity")
        if filter.entityPattern?.isEmpty == true {
            throw SettingsError(path: settings.path(of: "entity"), message: "must not be empty (leave it out to take every entity)")
        }
        filter.attributes = try settings.nameSet("attributes")
        for (index, value) in (try settings.optionalArray("severities") ?? []).enumerated() {
            guard let text = value.stringValue, let severity = AlarmRule.Severity(rawValue: text) else {
                throw SettingsError(path: "\(settings.path(of: "severities"))[\(index)]",
                                    message: "expected one of \(AlarmRule.Severity.allCases.map(\.rawValue).joined(separator: ", ")), found \(value.jsonText)")
            }
            filter.severities.insert(severity)
        }
        return filter
    }

    private static func http(_ settings: Settings) throws -> HTTPTarget {
        try settings.rejectUnknownKeys(["url", "secret", "timeoutMs", "retry"])
        let text = try settings.string("url")
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false else {
            throw SettingsError(path: settings.path(of: "url"), message: "\"\(text)\" is not an http or https URL")
        }
        var target = HTTPTarget(url: url)
        if let secret = try settings.optionalString("secret") {
            guard !secret.isEmpty else {
                throw SettingsError(path: settings.path(of: "secret"), message: "is empty: set it from the environment with \"${VAR}\"")
            }
            target.secret = secret
        }
        if let timeout = try settings.optionalInteger("timeoutMs", in: 10...600_000) { target.timeout = .milliseconds(timeout) }
        if let retry = try settings.optionalObject("retry") {
            try retry.rejectUnknownKeys(["initialDelayMs", "maxDelayMs", "pauseAfterSeconds"])
            if let initial = try retry.optionalInteger("initialDelayMs", in: 1...3_600_000) { target.retry.initialDelay = .milliseconds(initial) }
            if let cap = try retry.optionalInteger("maxDelayMs", in: 1...86_400_000) { target.retry.maxDelay = .milliseconds(cap) }
            guard target.retry.maxDelay >= target.retry.initialDelay else {
                throw SettingsError(path: retry.path(of: "maxDelayMs"), message: "must not be less than initialDelayMs")
            }
            if let pause = try retry.optionalInteger("pauseAfterSeconds", in: 1...31_536_000) { target.retry.pauseAfter = .seconds(pause) }
        }
        return target
    }

    private static func mqtt(_ settings: Settings) throws -> MQTTTarget {
        try settings.rejectUnknownKeys(["topic", "retain", "qos"])
        let topic = try settings.string("topic")
        guard !topic.isEmpty, !topic.contains("+"), !topic.contains("#"), !topic.hasPrefix("$") else {
            throw SettingsError(path: settings.path(of: "topic"),
                                message: "\"\(topic)\" is not a topic to publish on (not empty, no + or #, not starting with $)")
        }
        if let qos = try settings.optionalInteger("qos", in: 0...2), qos != 1 {
            throw SettingsError(path: settings.path(of: "qos"), message: "deliveries are published with QoS 1 (removed from the outbox on PUBACK)")
        }
        var target = MQTTTarget(topic: topic)
        target.retain = try settings.optionalBool("retain") ?? false
        return target
    }

    /// Reads `subscriptions[]`: each subscription, unique names.
    static func readAll(_ root: Settings, routeNames: Set<String>) throws -> [Subscription] {
        var subscriptions: [Subscription] = []
        var names: Set<String> = []
        for (index, entry) in (try root.optionalArray("subscriptions") ?? []).enumerated() {
            let settings = try Settings(entry, path: "subscriptions[\(index)]")
            let subscription = try Subscription(settings: settings, routeNames: routeNames)
            guard names.insert(subscription.name).inserted else {
                throw SettingsError(path: settings.path(of: "name"), message: "another subscription is already named \"\(subscription.name)\"")
            }
            subscriptions.append(subscription)
        }
        return subscriptions
    }
}
