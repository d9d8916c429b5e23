import HubCore
/// A route partners push to over HTTP, at `POST /ingest/{route name}`.
public struct WebhookSource: Sendable {
    /// The largest request body accepted; a larger one is answered 413.
    public var maxBodyBytes: Int

    /// Creates a webhook source.
    public init(maxBodyBytes: Int = 4 << 20) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Reads a route's `webhook` object: `maxBodyBytes`.
    public init(settings: Settings) throws {
        try settings.rejectUnknownKeys(["maxBodyBytes"])
        self.init(maxBodyBytes: try settings.optionalInteger("maxBodyBytes", in: 1...(1 << 30)) ?? 4 << 20)
    }
}
