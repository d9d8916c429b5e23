import HubCore
import HubServices

/// Renders the hub's metrics in the Prometheus text exposition format (version 0.0.4), named by
/// Prometheus's conventions: `_total` counters, `_timestamp_seconds` for Unix times, no rates
/// (Prometheus computes them from the counters: `rate(hub_route_messages_received_total[1m])`).
/// Every sample carries a `hub` label, the hub's name, so that the series of the hubs of a fleet
/// stay apart however they are scraped.
enum PrometheusText {
    static func render(metrics: HubMetrics, routes: [Route], broadcaster: EventBroadcaster, hubName: String) -> String {
        var families: [MetricFamily] = []
        let names = Array(Set(routes.map(\.name) + metrics.routeNames)).sorted()
        func perRoute(_ name: String, _ help: String, _ type: String, _ value: (RouteMetrics) -> Double) {
            families.append(MetricFamily(name: name, help: help, type: type, samples: names.map {
                MetricFamily.Sample(labels: ["route": $0], value: value(metrics.route($0)))
            }))
        }
        perRoute("hub_route_messages_received_total", "Messages that arrived on the route.", "counter") { Double($0.received.value) }
        perRoute("hub_route_events_decoded_total", "Events the route's connector produced.", "counter") { Double($0.eventsDecoded.value) }
        perRoute("hub_route_events_stored_total", "Events the store committed for the route.", "counter") { Double($0.eventsStored.value) }
        perRoute("hub_route_dead_letters_total", "Messages of the route its connector could not decode (or no route took), each kept as a dead letter.",
                 "counter") { Double($0.deadLetters.value) }
        perRoute("hub_route_queue_depth", "Messages waiting for the route's connector.", "gauge") { Double($0.queueDepth.value) }
        perRoute("hub_route_silent", "1 while the route is silent for longer than its expected interval.", "gauge") { Double($0.silent.value) }
        perRoute("hub_route_last_message_timestamp_seconds", "Unix time of the route's last message (0 before the first).",
                 "gauge") { Double($0.lastMessageAt.value) / 1_000_000 }
        func single(_ name: String, _ help: String, _ type: String, _ value: Int) {
            families.append(MetricFamily(name: name, help: help, type: type, samples: [.init(value: Double(value))]))
        }
        single("hub_batches_committed_total", "Store transactions committed.", "counter", metrics.batchesCommitted.value)
        single("hub_batch_failures_total", "Store transactions that failed and were retried.", "counter", metrics.batchFailures.value)
        single("hub_store_writable", "1 while the store commits, 0 while commits fail and intake is paused.", "gauge", metrics.storeWritable.value)
        single("hub_store_spilled_records_total", "Records spilled beside the database because the store failed while the hub stopped.", "counter", metrics.spilledRecords.value)
        single("hub_bus_depth", "Outcomes waiting for the store.", "gauge", metrics.busDepth.value)
        single("hub_mqtt_connected", "1 while the MQTT connection is up.", "gauge", metrics.mqttConnected.value)
        single("hub_mqtt_connects_total", "Times the MQTT connection was established.", "counter", metrics.mqttConnects.value)
        single("hub_stream_clients", "Live-stream clients connected.", "gauge", broadcaster.clientCount)
        single("hub_stream_clients_dropped_total", "Live-stream clients dropped for falling behind.", "counter", broadcaster.dropped.value)
        families += metrics.providedFamilies()

        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for sample in family.samples {
                out += "\(family.name)\(labels(sample.labels.merging(["hub": hubName]) { own, _ in own })) \(number(sample.value))\n"
            }
        }
        let histogram = metrics.commitLatency.snapshot
        let name = "hub_batch_commit_seconds"
        out += "# HELP \(name) Time each store transaction took to commit.\n# TYPE \(name) histogram\n"
        for (bound, count) in zip(metrics.commitLatency.bounds, histogram.cumulative) {
            out += "\(name)_bucket\(labels(["hub": hubName, "le": number(bound)])) \(count)\n"
        }
        let hub = labels(["hub": hubName])
        out += "\(name)_bucket\(labels(["hub": hubName, "le": "+Inf"])) \(histogram.count)\n"
        out += "\(name)_sum\(hub) \(number(histogram.sum))\n\(name)_count\(hub) \(histogram.count)\n"
        return out
    }

    private static func labels(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.keys.sorted().map { key -> String in
            let value = labels[key]!.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(value)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
