import Foundation
import HubCore

/// A partner feed a route fetches over HTTP: where, how often, and with which headers.
public struct FeedSource: Sendable {
    /// Further files a feed's first document points to, fetched after it in the same turn.
    public enum Discovery: String, Sendable {
        /// GBFS: `url` is `gbfs.json`; station_information, station_status and
        /// free_bike_status / vehicle_status are fetched from the URLs it lists.
        case gbfs
    }

    /// The feed's URL (http or https).
    public var url: URL
    /// Time between two fetches, unless the feed's own `ttl` asks for longer.
    public var period: Duration
    /// Request headers, e.g. an API key from the environment (`${VAR}`).
    public var headers: [String: String]
    /// How long one fetch may take before it is abandoned.
    public var timeout: Duration
    /// The largest body accepted; a larger one is an error of the fetch.
    public var maxBytes: Int
    /// The longest wait between two attempts while the feed keeps failing.
    public var maxBackoff: Duration
    /// Whether the first document lists further files to fetch.
    public var discovery: Discovery?
    /// Hosts besides the feed's own origin that redirects and discovery may lead to (`host` or
    /// `host:port`). The feed's headers are never sent to them.
    public var allowedHosts: [String]
    /// Whether the feed may be fetched from a loopback, private or link-local address (a partner
    /// feed never is; a gateway on the city's own network may be).
    public var allowsPrivateNetwork: Bool
    /// Whether to ask for a compressed body (gzip, deflate, brotli, zstd), decoded within
    /// `maxBytes` and `maxCompressionRatio`.
    public var acceptsCompression: Bool
    /// How many times a compressed body may expand before the fetch is abandoned as a bomb.
    public var maxCompressionRatio: Int

    /// Creates a feed source.
    public init(url: URL, period: Duration, headers: [String: String] = [:], timeout: Duration = .seconds(30),
                maxBytes: Int = 32 << 20, maxBackoff: Duration = .seconds(600), discovery: Discovery? = nil,
                allowedHosts: [String] = [], allowsPrivateNetwork: Bool = false, acceptsCompression: Bool = false,
                maxCompressionRatio: Int = 100) {
        self.url = url
        self.period = period
        self.headers = headers
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.maxBackoff = maxBackoff
        self.discovery = discovery
        self.allowedHosts = allowedHosts
        self.allowsPrivateNetwork = allowsPrivateNetwork
        self.acceptsCompression = acceptsCompression
        self.maxCompressionRatio = maxCompressionRatio
    }

    /// Reads a route's `feed` object: `url`, `periodSeconds`, `headers`, `timeoutSeconds`, `maxBytes`,
    /// `maxBackoffSeconds`, `discovery` (`"gbfs"`), `allowHosts`, `allowPrivateNetwork`,
    /// `compression`, `maxCompressionRatio`.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["url", "periodSeconds", "headers", "timeoutSeconds", "maxBytes", "maxBackoffSeconds", "discovery",
                                        "allowHosts", "allowPrivateNetwork", "compression", "maxCompressionRatio"])
        let text = try settings.string("url")
        guard let url = URL.http(text) else {
            throw SettingsError(path: settings.path(of: "url"), message: "\"\(text)\" is not an http or https URL")
        }
        var discovery: Discovery?
        if let name = try settings.optionalString("discovery") {
            guard let known = Discovery(rawValue: name) else {
                throw SettingsError(path: settings.path(of: "discovery"), message: "unknown discovery \"\(name)\"; known: gbfs")
            }
            discovery = known
        }
        self.init(
            url: url,
            period: .seconds(try settings.optionalInteger("periodSeconds", in: 1...86_400) ?? 30),
            headers: try settings.stringMap("headers"),
            timeout: .seconds(try settings.optionalInteger("timeoutSeconds", in: 1...600) ?? 30),
            maxBytes: try settings.optionalInteger("maxBytes", in: 1...(1 << 30)) ?? 32 << 20,
            maxBackoff: .seconds(try settings.optionalInteger("maxBackoffSeconds", in: 1...86_400) ?? 600),
            discovery: discovery,
            allowedHosts: try Self.hosts(settings),
            allowsPrivateNetwork: try settings.optionalBool("allowPrivateNetwork") ?? false,
            acceptsCompression: try settings.optionalBool("compression") ?? false,
            maxCompressionRatio: try settings.optionalInteger("maxCompressionRatio", in: 2...10_000) ?? 100)
    }

    /// `allowHosts`: host names or `host:port`, lowercased.
    private static func hosts(_ settings: Settings) throws -> [String] {
        try (settings.optionalArray("allowHosts") ?? []).enumerated().map { index, value in
            guard let host = value.stringValue, !host.isEmpty, !host.contains("/"), !host.contains("@") else {
                throw SettingsError(path: "\(settings.path(of: "allowHosts"))[\(index)]",
                                    message: "expected a host name or host:port such as \"cdn.example.org\"")
            }
            return host.lowercased()
        }
    }
}
