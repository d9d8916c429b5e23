import Foundation
import HubCore

/// Everything a hub needs to run, read from `config/hub.json` and validated before anything starts.
public struct HubConfiguration: Sendable {
    /// Where events are kept and how they are batched.
    public struct Store: Sendable {
        /// The SQLite database file; with `postgres`, the prefix of this hub's own files (the MQTT
        /// receipt journal, spill files), which stay on its disk.
        public var path: String
        /// `synchronous=FULL` instead of NORMAL: survives power loss at the cost of speed.
        public var synchronousFull: Bool
        /// A batch is committed when it holds this many records...
        public var batchSize: Int
        /// ...or when its first record has waited this long.
        public var batchDelay: Duration
        /// How long a stop keeps retrying a failing store before it spills what it holds to a file
        /// beside the database (committed at the next start).
        public var stopTimeoutSeconds: Int = 30
        /// The write-ahead log's cap in bytes: past it, it is folded into the database and truncated.
        public var walLimitBytes: Int = 64 << 20
        /// What expires: `store.retentionDays` (the default for events), each route's
        /// `retentionDays`, `store.deadLetterRetentionDays` and `store.rollupRetentionDays`.
        public var retention = RetentionPolicy()
        /// How many read-only connections serve API reads at once (`store.readConnections`).
        public var readConnections = 4
        /// Days a cleared alarm is kept in the alarm history (`store.alarmRetentionDays`).
        public var alarmRetentionDays = 365
        /// A PostgreSQL server that keeps the events instead of the SQLite file (`store.postgres`),
        /// which several hubs may share; nil for the embedded SQLite store.
        public var postgres: Postgres?
    }

    /// The PostgreSQL server of `store.postgres`.
    public struct Postgres: Sendable {
        /// What libpq connects with: a URI (`postgresql://hub@db.example:5432/hub?sslmode=verify-full`)
        /// or keyword/value text; its password comes from the environment (`${HUB_PG_URL}`) or
        /// libpq's own `PGPASSWORD` / `.pgpass`, never from the file.
        public var url: String

        /// A server reached with `url`.
        public init(url: String) {
            self.url = url
        }

        /// The server as `hub check` and logs show it: the URI's password and parameter values
        /// hidden, keyword/value text not shown at all.
        public var redacted: String {
            guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://"), let parsed = URL(string: url) else {
                return "(connection parameters)"
            }
            return SecretRedaction.url(parsed)
        }
    }

    /// The broker the hub subscribes to.
    public struct MQTT: Sendable {
        /// Broker host name or address.
        public var host: String
        /// Broker port.
        public var port: Int
        /// The fixed client id that names the hub's persistent session at the broker: `clientId`,
        /// or `territory-hub-<hub name>` (`defaultClientID(hubName:)`), so that hubs on different
        /// hosts never take each other's session.
        public var clientID: String
        /// The protocol version: MQTT 5 (the default: reason codes on disconnects, PUBLISH
        /// properties, shared subscriptions) or MQTT 3.1.1 for a broker without MQTT 5.
        public var protocolVersion: ProtocolVersion
        /// User name, when the broker asks for one.
        public var username: String?
        /// Password, from the environment (`${VAR}`).
        public var password: String?
        /// CA certificates file: when set, the connection uses TLS.
        public var caFile: String?
        /// Client certificate and key files, for brokers that authenticate clients by certificate.
        public var certFile: String?
        /// The client certificate's private key.
        public var keyFile: String?
        /// Seconds between keep-alive pings.
        public var keepAliveSeconds: Int
        /// The shared-subscription group (`mqtt.shareGroup`): when set, every route's filter is
        /// subscribed as `$share/<group>/<filter>`, so the broker spreads its messages over the hubs
        /// of the group (MQTT 5 only).
        public var shareGroup: String?
        /// First reconnect delay, doubled after each failure...
        public var reconnectMinSeconds: Int
        /// ...up to this cap.
        public var reconnectMaxSeconds: Int

        /// The MQTT protocol versions the hub speaks, as `mqtt.protocolVersion` writes them.
        public enum ProtocolVersion: String, Sendable, CaseIterable {
            /// MQTT 5.0.
            case v5 = "5"
            /// MQTT 3.1.1.
            case v311 = "3.1.1"
        }

        /// `territory-hub-<hub name>` (the hub name is the host name unless `hub.name` says otherwise);
        /// `territory-hub` for a hub named after a host without a name.
        public static func defaultClientID(hubName: String) -> String {
            hubName == Identity.unnamed ? Identity.unnamed : "territory-hub-\(hubName)"
        }
    }

    /// This hub among the hubs that share the work (`hub`): its name, and how long a lease on a task
    /// that runs on one hub at a time lasts (see `SingletonLease`).
    public struct Identity: Sendable {
        /// The hub's name (`hub.name`): the `hub` of `/api/v1/routes` and of every `/metrics`
        /// sample, the holder of its leases, and the default MQTT client id's suffix. Defaults to
        /// the host name, so that hubs on different hosts differ without configuration.
        public var name: String
        /// How long a lease lasts without renewal (`hub.leaseSeconds`): a dead hub's tasks move to
        /// another hub within this plus one `leaseRenewal`.
        public var leaseDuration: Duration = .seconds(15)
        /// How often a hub renews its leases and tries to take the free ones (`hub.leaseRenewalSeconds`).
        public var leaseRenewal: Duration = .seconds(5)

        /// The name of a hub whose host has no name.
        public static let unnamed = "territory-hub"

        /// The host name reduced to letters, digits, `-`, `_` and `.` (anything else becomes `-`);
        /// `unnamed` when the host has no name.
        public static func defaultName(hostName: String) -> String {
            let cleaned = String(hostName.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
            return cleaned.isEmpty ? unnamed : cleaned
        }
    }

    /// Sizes of the queues between the stages; every queue is bounded.
    public struct Queues: Sendable {
        /// Messages waiting for one route's connector.
        public var routeCapacity: Int
        /// Decoded outcomes waiting for the store.
        public var busCapacity: Int
    }

    /// This hub's name and lease timing.
    public var hub: Identity
    /// The store.
    public var store: Store
    /// The broker, when any route listens to MQTT.
    public var mqtt: MQTT?
    /// Queue sizes.
    public var queues: Queues
    /// The routes, in config order.
    public var routes: [Route]
    /// The operations HTTP server, when configured.
    public var http: HTTPSettings?
    /// The alarm rules (`rules[]`), evaluated on committed events.
    public var rules: [AlarmRule] = []
    /// The outbound deliveries (`subscriptions[]`): committed events pushed to partners' webhooks.
    public var subscriptions: [Subscription] = []

    /// Reads and validates a configuration file.
    ///
    /// - Parameters:
    ///   - url: the JSON file.
    ///   - environment: values for `${VAR}` references (the process environment in production).
    ///   - catalog: the compiled-in connectors; each route's connector and settings are checked against it.
    /// - Throws: `SettingsError` whose path names the offending entry, e.g. `routes[2].connector`.
    public static func load(
        contentsOf url: URL, environment: [String: String], catalog: ConnectorCatalog
    ) throws -> HubConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SettingsError(path: url.path, message: "cannot read the configuration file (\(error.localizedDescription))")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch let error as JSONParseError {
            throw SettingsError(path: url.path, message: error.message)
        }
        return try HubConfiguration(json: json, environment: environment, catalog: catalog)
    }

    /// Validates a configuration document; see `load(contentsOf:environment:catalog:)`. `hostName`
    /// is the default hub name, which names the default MQTT client id (`MQTT.defaultClientID(hubName:)`).
    public init(json: JSONValue, environment: [String: String], catalog: ConnectorCatalog,
                hostName: String = ProcessInfo.processInfo.hostName) throws {
        let root = try Settings(EnvironmentSubstitution.apply(to: json, environment: environment), path: "")
        try root.rejectUnknownKeys(["hub", "store", "mqtt", "queues", "routes", "http", "rules", "subscriptions"])
        hub = try Self.readIdentity(root.optionalObject("hub"), hostName: hostName)
        store = try Self.readStore(root.optionalObject("store"))
        mqtt = try root.optionalObject("mqtt").map { [hub] in try Self.readMQTT($0, hubName: hub.name) }
        queues = try Self.readQueues(root.optionalObject("queues"))
        routes = try Self.readRoutes(root, catalog: catalog)
        for route in routes { store.retention.eventDaysByRoute[route.name] = route.retentionDays }
        http = try root.optionalObject("http").map(HTTPSettings.init(settings:))
        rules = try AlarmRule.readAll(root, routeNames: Set(routes.map(\.name)))
        subscriptions = try Subscription.readAll(root, routeNames: Set(routes.map(\.name)))
        if mqtt == nil, let index = subscriptions.firstIndex(where: { if case .mqtt = $0.target { true } else { false } }) {
            throw SettingsError(path: "subscriptions[\(index)].mqtt",
                                message: "an MQTT target publishes on the hub's broker, but no broker is configured (mqtt)")
        }
        if mqtt == nil, routes.contains(where: { if case .mqtt = $0.source { true } else { false } }) {
            throw SettingsError(path: "mqtt", message: "routes listen to MQTT but no broker is configured")
        }
        if mqtt?.protocolVersion == .v311, let index = routes.firstIndex(where: {
            if case .mqtt(let filter, _) = $0.source { filter.shareGroup != nil } else { false }
        }) {
            throw SettingsError(path: "routes[\(index)].mqtt.topic",
                                message: "a shared subscription ($share/...) needs MQTT 5, but mqtt.protocolVersion is \"3.1.1\"")
        }
        if mqtt?.shareGroup != nil, let index = routes.firstIndex(where: {
            if case .mqtt(let filter, _) = $0.source { filter.shareGroup != nil } else { false }
        }) {
            throw SettingsError(path: "routes[\(index)].mqtt.topic",
                                message: "mqtt.shareGroup already subscribes every route as $share/<group>/<filter>; write the topic without its $share prefix")
        }
    }

    /// Reads `hub`: the name (letters, digits, `-`, `_`, `.`; the host name by default) and the
    /// lease timing, whose renewal must come well within the lease's duration.
    private static func readIdentity(_ settings: Settings?, hostName: String) throws -> Identity {
        var identity = Identity(name: Identity.defaultName(hostName: hostName))
        guard let settings else { return identity }
        try settings.rejectUnknownKeys(["name", "leaseSeconds", "leaseRenewalSeconds"])
        if let name = try settings.optionalString("name"), !name.isEmpty {
            guard name.count <= 128, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw SettingsError(path: settings.path(of: "name"),
                                    message: "\"\(name)\" is not a valid hub name (at most 128 letters, digits, - _ .)")
            }
            identity.name = name
        }
        if let seconds = try settings.optionalInteger("leaseSeconds", in: 2...3600) { identity.leaseDuration = .seconds(seconds) }
        if let seconds = try settings.optionalInteger("leaseRenewalSeconds", in: 1...1800) { identity.leaseRenewal = .seconds(seconds) }
        guard identity.leaseRenewal * 2 <= identity.leaseDuration else {
            throw SettingsError(path: settings.path(of: "leaseRenewalSeconds"),
                                message: "must be at most half of leaseSeconds, so that a renewal that fails once does not lose the lease")
        }
        return identity
    }

    /// The days a retention setting may say: one day to a hundred years.
    static let retentionDays = 1...36_500

    private static func readStore(_ settings: Settings?) throws -> Store {
        var store = Store(path: "./data/hub.sqlite", synchronousFull: false, batchSize: 4000, batchDelay: .milliseconds(10))
        guard let settings else { return store }
        try settings.rejectUnknownKeys(["path", "synchronous", "batchSize", "batchDelayMs", "stopTimeoutSeconds", "walLimitMB",
                                        "retentionDays", "deadLetterRetentionDays", "rollupRetentionDays",
                                        "readConnections", "alarmRetentionDays", "postgres"])
        if let path = try settings.optionalString("path") {
            guard !path.isEmpty else { throw SettingsError(path: settings.path(of: "path"), message: "must not be empty") }
            store.path = path
        }
        switch try settings.optionalString("synchronous") {
        case nil, "normal"?: store.synchronousFull = false
        case "full"?: store.synchronousFull = true
        case let other?:
            throw SettingsError(path: settings.path(of: "synchronous"), message: "expected \"normal\" or \"full\", found \"\(other)\"")
        }
        if let size = try settings.optionalInteger("batchSize", in: 1...100_000) { store.batchSize = size }
        if let delay = try settings.optionalInteger("batchDelayMs", in: 1...10_000) { store.batchDelay = .milliseconds(delay) }
        if let seconds = try settings.optionalInteger("stopTimeoutSeconds", in: 1...3600) { store.stopTimeoutSeconds = seconds }
        if let megabytes = try settings.optionalInteger("walLimitMB", in: 1...65_536) { store.walLimitBytes = megabytes << 20 }
        store.retention.defaultEventDays = try settings.optionalInteger("retentionDays", in: Self.retentionDays)
        store.retention.deadLetterDays = try settings.optionalInteger("deadLetterRetentionDays", in: Self.retentionDays)
        store.retention.rollupDays = try settings.optionalInteger("rollupRetentionDays", in: Self.retentionDays)
        if let count = try settings.optionalInteger("readConnections", in: 1...64) { store.readConnections = count }
        if let days = try settings.optionalInteger("alarmRetentionDays", in: Self.retentionDays) { store.alarmRetentionDays = days }
        if let postgres = try settings.optionalObject("postgres") {
            try postgres.rejectUnknownKeys(["url"])
            guard let url = try postgres.optionalString("url"), !url.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw SettingsError(path: postgres.path(of: "url"),
                                    message: "must name the PostgreSQL server, e.g. \"${HUB_PG_URL}\" with HUB_PG_URL=postgresql://hub@db:5432/hub")
            }
            store.postgres = Postgres(url: url)
        }
        return store
    }

    private static func readMQTT(_ settings: Settings, hubName: String) throws -> MQTT {
        try settings.rejectUnknownKeys([
            "host", "port", "clientId", "protocolVersion", "username", "password", "tls", "keepAliveSeconds", "reconnect",
            "shareGroup",
        ])
        func nonEmpty(_ key: String) throws -> String? {
            guard let value = try settings.optionalString(key), !value.isEmpty else { return nil }
            return value
        }
        var mqtt = MQTT(
            host: try nonEmpty("host") ?? "127.0.0.1",
            port: try settings.optionalInteger("port", in: 1...65_535) ?? 1883,
            clientID: try nonEmpty("clientId") ?? MQTT.defaultClientID(hubName: hubName),
            protocolVersion: .v5,
            username: try nonEmpty("username"), password: try nonEmpty("password"),
            caFile: nil, certFile: nil, keyFile: nil,
            keepAliveSeconds: try settings.optionalInteger("keepAliveSeconds", in: 5...3600) ?? 30,
            reconnectMinSeconds: 1, reconnectMaxSeconds: 30)
        if let version = try nonEmpty("protocolVersion") {
            guard let known = MQTT.ProtocolVersion(rawValue: version) else {
                throw SettingsError(path: settings.path(of: "protocolVersion"),
                                    message: "expected \"5\" or \"3.1.1\", found \"\(version)\"")
            }
            mqtt.protocolVersion = known
        }
        if let group = try settings.optionalString("shareGroup") {
            guard !group.isEmpty, !group.contains(where: { "/+#\u{0}".contains($0) }) else {
                throw SettingsError(path: settings.path(of: "shareGroup"),
                                    message: "\"\(group)\" is not a valid share group (non-empty, without / + # or NUL)")
            }
            // MQTT 3.1.1 has no shared subscriptions: a broker that follows it takes $share/... for
            // an ordinary filter that no topic matches (Mosquitto accepts it as an extension, others
            // do not), so the hub would silently receive nothing.
            guard mqtt.protocolVersion == .v5 else {
                throw SettingsError(path: settings.path(of: "shareGroup"),
                                    message: "a shared subscription needs MQTT 5, but mqtt.protocolVersion is \"3.1.1\" (MQTT 3.1.1 has no $share; remove protocolVersion or set it to \"5\")")
            }
            mqtt.shareGroup = group
        }
        if let tls = try settings.optionalObject("tls") {
            try tls.rejectUnknownKeys(["caFile", "certFile", "keyFile"])
            mqtt.caFile = try tls.string("caFile")
            mqtt.certFile = try tls.optionalString("certFile")
            mqtt.keyFile = try tls.optionalString("keyFile")
            if (mqtt.certFile == nil) != (mqtt.keyFile == nil) {
                throw SettingsError(path: tls.path, message: "certFile and keyFile go together")
            }
        }
        if let reconnect = try settings.optionalObject("reconnect") {
            try reconnect.rejectUnknownKeys(["minSeconds", "maxSeconds"])
            mqtt.reconnectMinSeconds = try reconnect.optionalInteger("minSeconds", in: 1...3600) ?? 1
            mqtt.reconnectMaxSeconds = try reconnect.optionalInteger("maxSeconds", in: 1...3600) ?? 30
            guard mqtt.reconnectMaxSeconds >= mqtt.reconnectMinSeconds else {
                throw SettingsError(path: reconnect.path(of: "maxSeconds"), message: "must not be less than minSeconds")
            }
        }
        return mqtt
    }

    private static func readQueues(_ settings: Settings?) throws -> Queues {
        var queues = Queues(routeCapacity: 1024, busCapacity: 4096)
        guard let settings else { return queues }
        try settings.rejectUnknownKeys(["routeCapacity", "busCapacity"])
        queues.routeCapacity = try settings.optionalInteger("routeCapacity", in: 1...1_000_000) ?? queues.routeCapacity
        queues.busCapacity = try settings.optionalInteger("busCapacity", in: 1...1_000_000) ?? queues.busCapacity
        return queues
    }

    private static func readRoutes(_ root: Settings, catalog: ConnectorCatalog) throws -> [Route] {
        guard let entries = try root.optionalArray("routes") else {
            throw SettingsError(path: "routes", message: "required list of routes is missing")
        }
        var routes: [Route] = []
        var names: Set<String> = []
        for (index, entry) in entries.enumerated() {
            let settings = try Settings(entry, path: "routes[\(index)]")
            try settings.rejectUnknownKeys(Set(Route.Source.kinds + ["name", "connector", "settings", "expectedIntervalSeconds",
                                                                      "deviceIntervalSeconds", "restricted", "openData",
                                                                      "retentionDays"]))
            let name = try settings.string("name")
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw SettingsError(path: settings.path(of: "name"), message: "\"\(name)\" is not a valid route name (letters, digits, - _ .)")
            }
            guard names.insert(name).inserted else {
                throw SettingsError(path: settings.path(of: "name"), message: "another route is already named \"\(name)\"")
            }
            let source = try readSource(of: settings)
            let connector = try settings.string("connector")
            guard catalog.type(withID: connector) != nil else {
                throw SettingsError(
                    path: settings.path(of: "connector"),
                    message: "unknown connector \"\(connector)\"; known: \(catalog.ids.joined(separator: ", "))")
            }
            let connectorSettings = settings.members["settings"] ?? .object([:])
            // Build the connector once now so that bad settings stop the start-up with their path.
            _ = try catalog.make(id: connector, settings: connectorSettings, path: settings.path(of: "settings"))
            let interval = try settings.optionalInteger("expectedIntervalSeconds", in: 1...31_536_000).map { Duration.seconds($0) }
            var route = Route(name: name, source: source, connector: connector,
                              settings: connectorSettings, expectedInterval: interval)
            route.deviceInterval = try settings.optionalInteger("deviceIntervalSeconds", in: 1...31_536_000).map { Duration.seconds($0) }
            route.isRestricted = try settings.optionalBool("restricted") ?? false
            route.openData = try settings.optionalObject("openData").map(OpenDataSettings.init(settings:))
            route.retentionDays = try settings.optionalInteger("retentionDays", in: Self.retentionDays)
            routes.append(route)
        }
        return routes
    }

    /// Reads the one source a route names: `mqtt`, `feed`, `webhook` or `folder`.
    private static func readSource(of route: Settings) throws -> Route.Source {
        let named = Route.Source.kinds.filter { route.members[$0] != nil }
        guard named.count == 1, let kind = named.first, let settings = try route.optionalObject(kind) else {
            let problem = named.isEmpty ? "a route needs a source" : "a route has exactly one source, not \(named.joined(separator: " and "))"
            throw SettingsError(path: route.path, message: "\(problem); known: \(Route.Source.kinds.joined(separator: ", "))")
        }
        switch kind {
        case "feed": return .feed(try FeedSource(settings: settings))
        case "webhook": return .webhook(try WebhookSource(settings: settings))
        case "folder": return .folder(try FolderSource(settings: settings))
        default:
            try settings.rejectUnknownKeys(["topic", "qos"])
            let filter: TopicFilter
            do {
                filter = try TopicFilter(try settings.string("topic"))
            } catch let error as TopicFilterError {
                throw SettingsError(path: settings.path(of: "topic"), message: error.description)
            }
            return .mqtt(filter: filter, qos: try settings.optionalInteger("qos", in: 0...2) ?? 1)
        }
    }
}
