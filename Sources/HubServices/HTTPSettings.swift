import HubCore
/// The operations HTTP server: where it listens, its limits, TLS, and who may call it.
public struct HTTPSettings: Sendable {
    /// A bearer token and what it may do.
    public struct Token: Sendable {
        /// A name for logs (never the secret).
        public var name: String
        /// The secret, from the environment (`${VAR}`).
        public var secret: String
        /// `read`, `read:{route}`, `ingest:{route}`, `admin`.
        public var scopes: Set<String>

        /// Creates a token.
        public init(name: String, secret: String, scopes: Set<String>) {
            self.name = name
            self.secret = secret
            self.scopes = scopes
        }
    }

    /// The address to listen on (IPv4 dotted quad).
    public var address: String
    /// The TCP port; 0 picks a free one (tests).
    public var port: Int
    /// The largest request body accepted anywhere (a webhook route may set a lower one).
    public var maxRequestBytes: Int
    /// An idle connection is closed after this many seconds.
    public var connectionTimeoutSeconds: Int
    /// At most this many connections at once (each holds one thread).
    public var maxConnections: Int
    /// At most this many connections at once from one client address, so that one client (a
    /// slow or hostile one) cannot take every connection. Raise it behind a reverse proxy.
    public var maxConnectionsPerAddress: Int
    /// A request's line and headers must arrive within this many seconds of the connection
    /// opening (or of the previous response): a client trickling headers is cut off.
    public var headerTimeoutSeconds: Int
    /// A request's body must arrive within this many seconds of its headers.
    public var requestTimeoutSeconds: Int
    /// Certificate (PEM) file: when set with `keyFile`, the server speaks HTTPS only.
    public var certFile: String?
    /// Private key (PEM) file.
    public var keyFile: String?
    /// Accepted tokens.
    public var tokens: [Token]
    /// Endpoints reachable without a token, among `healthz`, `readyz`, `metrics` and `datasets`
    /// (the open-data catalog and exports of routes that are not restricted).
    public var openEndpoints: Set<String>
    /// Events buffered per live-stream client; a client further behind is dropped.
    public var streamBufferEvents: Int
    /// The longest a webhook or replay waits for its commit before answering 503.
    public var commitTimeoutSeconds: Int

    /// Endpoints that may be opened with `openEndpoints`.
    public static let openableEndpoints: Set<String> = ["healthz", "readyz", "metrics", "datasets"]

    /// Creates settings with defaults: 127.0.0.1:8080, 8 MiB bodies, 30 s idle timeout, 64
    /// connections (16 per client address), headers within 10 s, a body within 60 s.
    public init(address: String = "127.0.0.1", port: Int = 8080, maxRequestBytes: Int = 8 << 20,
                connectionTimeoutSeconds: Int = 30, maxConnections: Int = 64, maxConnectionsPerAddress: Int = 16,
                headerTimeoutSeconds: Int = 10, requestTimeoutSeconds: Int = 60, certFile: String? = nil,
                keyFile: String? = nil, tokens: [Token] = [], openEndpoints: Set<String> = ["healthz", "readyz"],
                streamBufferEvents: Int = 1024, commitTimeoutSeconds: Int = 10) {
        self.address = address
        self.port = port
        self.maxRequestBytes = maxRequestBytes
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.certFile = certFile
        self.keyFile = keyFile
        self.tokens = tokens
        self.openEndpoints = openEndpoints
        self.streamBufferEvents = streamBufferEvents
        self.commitTimeoutSeconds = commitTimeoutSeconds
    }

    /// Reads the configuration's `http` object.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys([
            "address", "port", "maxRequestBytes", "connectionTimeoutSeconds", "maxConnections", "maxConnectionsPerAddress",
            "headerTimeoutSeconds", "requestTimeoutSeconds", "tls", "tokens",
            "openEndpoints", "streamBufferEvents", "commitTimeoutSeconds",
        ])
        self.init()
        if let address = try settings.optionalString("address") {
            let parts = address.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else {
                throw SettingsError(path: settings.path(of: "address"), message: "expected an IPv4 address such as 127.0.0.1, found \"\(address)\"")
            }
            self.address = address
        }
        port = try settings.optionalInteger("port", in: 0...65_535) ?? port
        maxRequestBytes = try settings.optionalInteger("maxRequestBytes", in: 1...(1 << 30)) ?? maxRequestBytes
        connectionTimeoutSeconds = try settings.optionalInteger("connectionTimeoutSeconds", in: 1...3600) ?? connectionTimeoutSeconds
        maxConnections = try settings.optionalInteger("maxConnections", in: 1...10_000) ?? maxConnections
        maxConnectionsPerAddress = try settings.optionalInteger("maxConnectionsPerAddress", in: 1...10_000) ?? maxConnectionsPerAddress
        headerTimeoutSeconds = try settings.optionalInteger("headerTimeoutSeconds", in: 1...600) ?? headerTimeoutSeconds
        requestTimeoutSeconds = try settings.optionalInteger("requestTimeoutSeconds", in: 1...3600) ?? requestTimeoutSeconds
        streamBufferEvents = try settings.optionalInteger("streamBufferEvents", in: 1...1_000_000) ?? streamBufferEvents
        commitTimeoutSeconds = try settings.optionalInteger("commitTimeoutSeconds", in: 1...600) ?? commitTimeoutSeconds
        if let tls = try settings.optionalObject("tls") {
            try tls.rejectUnknownKeys(["certFile", "keyFile"])
            certFile = try tls.string("certFile")
            keyFile = try tls.string("keyFile")
        }
        if let open = try settings.optionalArray("openEndpoints") {
            var names: Set<String> = []
            for (index, value) in open.enumerated() {
                guard let name = value.stringValue, Self.openableEndpoints.contains(name) else {
                    throw SettingsError(path: "\(settings.path(of: "openEndpoints"))[\(index)]",
                                        message: "expected one of \(Self.openableEndpoints.sorted().joined(separator: ", "))")
                }
                names.insert(name)
            }
            openEndpoints = names
        }
        for (index, entry) in (try settings.optionalArray("tokens") ?? []).enumerated() {
            let token = try Settings(entry, path: "\(settings.path(of: "tokens"))[\(index)]")
            try token.rejectUnknownKeys(["name", "token", "scopes"])
            let secret = try token.string("token")
            guard secret.utf8.count >= 16 else {
                throw SettingsError(path: token.path(of: "token"), message: "a token needs at least 16 characters (is its ${VAR} set?)")
            }
            var scopes: Set<String> = []
            for (scopeIndex, value) in (try token.optionalArray("scopes") ?? []).enumerated() {
                guard let scope = value.stringValue, Self.isValidScope(scope) else {
                    throw SettingsError(path: "\(token.path(of: "scopes"))[\(scopeIndex)]",
                                        message: "expected read, admin, validate, operate, read:{route} or ingest:{route}")
                }
                scopes.insert(scope)
            }
            tokens.append(Token(name: try token.string("name"), secret: secret, scopes: scopes))
        }
    }

    private static func isValidScope(_ scope: String) -> Bool {
        if ["read", "admin", "validate", "operate"].contains(scope) { return true }
        for prefix in ["read:", "ingest:"] where scope.hasPrefix(prefix) && scope.count > prefix.count { return true }
        return false
    }
}
