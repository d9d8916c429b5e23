import HubCore
import HubServices

extension FeedIntake: MetricFamilyProvider {
    /// Each feed's poll results for `/metrics`, labelled by route.
    public func metricFamilies() -> [MetricFamily] {
        let statuses = self.statuses
        func family(_ name: String, _ help: String, _ type: String, _ value: (FeedStatus) -> Double?) -> MetricFamily {
            MetricFamily(name: name, help: help, type: type, samples: statuses.compactMap { status in
                value(status).map { MetricFamily.Sample(labels: ["route": status.route], value: $0) }
            })
        }
        return [
            family("hub_feed_fetches_total", "Fetches of the feed, answered or not.", "counter") { Double($0.fetches) },
            family("hub_feed_not_modified_total", "Fetches answered 304 Not Modified.", "counter") { Double($0.notModified) },
            family("hub_feed_failures_total", "Fetches that failed (network, HTTP error, size limit).", "counter") { Double($0.failures) },
            family("hub_feed_skipped_turns_total", "Turns skipped because the route's queue was full.", "counter") { Double($0.skippedTurns) },
            family("hub_feed_events_total", "Events produced from the feed's bodies.", "counter") { Double($0.eventsProduced) },
            family("hub_feed_last_http_status", "HTTP status of the last answered fetch.", "gauge") { $0.lastHTTPStatus.map(Double.init) },
            family("hub_feed_last_bytes", "Size of the last body fetched.", "gauge") { Double($0.lastBytes) },
            family("hub_feed_last_success_timestamp_seconds", "Unix time of the last successful fetch.", "gauge") {
                $0.lastSuccessAt.map { Double($0.microsecondsSinceEpoch) / 1_000_000 }
            },
        ]
    }
}
