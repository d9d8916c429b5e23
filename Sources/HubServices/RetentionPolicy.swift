/// How long the store keeps what it holds: raw events per route, with a default for the store,
/// and dead letters on their own. A nil number of days keeps for ever.
///
/// Events expire once observed and received more than the route's days ago (a backlog of old
/// observations replayed today is kept the route's days from today); dead letters by the time they
/// were received; roll-ups (hourly aggregates of numeric attributes,
/// which days are summed from) by the start of their hour, on days of their own, so that they
/// outlive the raw events they summarize. Latest states, the device registry and archived
/// documents are never expired.
public struct RetentionPolicy: Sendable, Hashable {
    /// Days to keep the events of a route that says nothing itself (`store.retentionDays`).
    public var defaultEventDays: Int?
    /// Days to keep each route's events, by route name (`routes[].retentionDays`).
    public var eventDaysByRoute: [String: Int]
    /// Days to keep dead letters (`store.deadLetterRetentionDays`).
    public var deadLetterDays: Int?
    /// Days to keep roll-ups (`store.rollupRetentionDays`), whatever the events' days.
    public var rollupDays: Int?

    /// A policy; the default keeps everything for ever.
    public init(defaultEventDays: Int? = nil, eventDaysByRoute: [String: Int] = [:], deadLetterDays: Int? = nil,
                rollupDays: Int? = nil) {
        self.defaultEventDays = defaultEventDays
        self.eventDaysByRoute = eventDaysByRoute
        self.deadLetterDays = deadLetterDays
        self.rollupDays = rollupDays
    }

    /// Whether anything ever expires.
    public var expiresAnything: Bool {
        defaultEventDays != nil || !eventDaysByRoute.isEmpty || deadLetterDays != nil || rollupDays != nil
    }

    /// The days the events of `route` are kept: its own setting, else the store's default; nil for ever.
    public func eventDays(forRoute route: String) -> Int? {
        eventDaysByRoute[route] ?? defaultEventDays
    }

    /// The policy in words, for `hub check`: one phrase per route, then the default, dead letters and roll-ups.
    public func summary(routes: [String]) -> String {
        func days(_ value: Int?) -> String { value.map { "\($0) day\($0 == 1 ? "" : "s")" } ?? "for ever" }
        let perRoute = routes.map { route in
            "\(route) \(days(eventDays(forRoute: route)))\(eventDaysByRoute[route] == nil ? " (store default)" : "")"
        }
        return (perRoute + ["other routes \(days(defaultEventDays))", "dead letters \(days(deadLetterDays))",
                           "roll-ups \(days(rollupDays))"])
            .joined(separator: ", ")
    }
}
