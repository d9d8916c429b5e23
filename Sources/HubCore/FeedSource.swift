import Foundation

/// A partner feed a route fetches over HTTP: where, how often, and with which headers.
public struct FeedSource: Sendable {
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

    /// Creates a feed source.
    public init(url: URL, period: Duration, headers: [String: String] = [:], timeout: Duration = .seconds(30),
                maxBytes: Int = 32 << 20) {
        self.url = url
        self.period = period
        self.headers = headers
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    /// Reads a route's `feed` object: `url`, `periodSeconds`, `headers`, `timeoutSeconds`, `maxBytes`.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["url", "periodSeconds", "headers", "timeoutSeconds", "maxBytes"])
        let text = try settings.string("url")
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else {
            throw SettingsError(path: settings.path(of: "url"), message: "\"\(text)\" is not an http or https URL")
        }
        self.init(
            url: url,
            period: .seconds(try settings.optionalInteger("periodSeconds", in: 1...86_400) ?? 30),
            headers: try settings.stringMap("headers"),
            timeout: .seconds(try settings.optionalInteger("timeoutSeconds", in: 1...600) ?? 30),
            maxBytes: try settings.optionalInteger("maxBytes", in: 1...(1 << 30)) ?? 32 << 20)
    }
}
